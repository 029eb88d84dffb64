import CareJourneyCore
import CareJourneyWire
import CareJourneyWorker
import Foundation

/// Review reminders: writes each reminder as one JSON line to an outbox file (`REMINDER_OUTBOX`, default
/// `review-reminders.jsonl`), where a letter or e-mail service would pick it up.
///
///     swift run review-reminder-worker [--broker tcp://127.0.0.1:5555]
@main
struct ReviewReminderWorker {
    static func main() async {
        let outbox = ProcessInfo.processInfo.environment["REMINDER_OUTBOX"] ?? "review-reminders.jsonl"
        await WorkerCommandLine.run(defaultService: "review-reminders") { task, _ in
            guard task.kind == "review-reminder" else {
                return .failed("review-reminders does not handle '\(task.kind)' tasks", retry: false)
            }
            let line: [String: JSONValue] = [
                "task": .string(task.task), "case": .string(task.caseID), "review": .string(task.detail ?? "review"),
                "due": task.due.map { .string(ISO8601Text.format($0)) } ?? .null,
                "to": task.brief["name"] ?? .null,
            ]
            do {
                try append(line, to: outbox)
            } catch {
                return .failed("cannot write to \(outbox): \(error)", retry: true)
            }
            return .done([:])
        }
    }

    static func append(_ line: [String: JSONValue], to path: String) throws {
        let data = Data(JSONValue.object(line).serialized() + [0x0a])
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: data)
    }
}
