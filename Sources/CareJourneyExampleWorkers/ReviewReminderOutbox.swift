import CareJourneyCore
import CareJourneyWire
import Foundation

/// Review reminders, and the reminders that a financial re-assessment is due (the shipped policies put both on
/// `review-reminders`): writes each reminder as one JSON line to an outbox file, where a letter or e-mail service
/// would pick it up. A line names the due day on the council's calendar (`dueDay`, in `timeZone`), the day a letter
/// gives ("by 5 November"), beside the exact instant (`due`).
public struct ReviewReminderOutbox: ExampleWorker {
    /// The outbox file reminders are appended to.
    public let path: String

    public let service = "review-reminders"

    /// A worker writing reminders to `path`.
    public init(path: String) { self.path = path }

    public func answer(_ task: TaskRequest, progress: @Sendable (String) -> Void) -> TaskOutcome {
        let charging = task.kind == TaskKind.chargingReminder.rawValue
        guard task.kind == TaskKind.reviewReminder.rawValue || charging else { return notMine(task) }
        let line: [String: JSONValue] = [
            "task": .string(task.task), "case": .string(task.caseID),
            "review": .string(charging ? "financial re-assessment" : task.detail ?? "review"),
            "due": task.due.map { .string(ISO8601Text.format($0)) } ?? .null,
            "dueDay": task.dueDay.map { .string($0.description) } ?? .null,
            "timeZone": task.timeZone.map(JSONValue.string) ?? .null,
            "to": task.brief["name"] ?? .null,
        ]
        do {
            try append(line)
        } catch {
            return .failed("cannot write to \(path): \(error)", retry: true)
        }
        return .done([:])
    }

    private func append(_ line: [String: JSONValue]) throws {
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
