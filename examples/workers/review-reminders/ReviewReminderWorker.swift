import CareJourneyExampleWorkers
import CareJourneyWorker
import Foundation

/// Review reminders: writes each reminder as one JSON line to an outbox file (`REMINDER_OUTBOX`, default
/// `review-reminders.jsonl`), where a letter or e-mail service would pick it up (the answers are
/// `ReviewReminderOutbox`'s).
///
///     swift run review-reminder-worker [--broker tcp://127.0.0.1:5555]
@main
struct ReviewReminderWorker {
    static func main() async {
        let outbox = ReviewReminderOutbox(
            path: ProcessInfo.processInfo.environment["REMINDER_OUTBOX"] ?? "review-reminders.jsonl")
        await WorkerCommandLine.run(defaultService: outbox.service) { task, progress in
            outbox.answer(task, progress: progress)
        }
    }
}
