import CareJourneyCore
import CareJourneyExampleWorkers
import CareJourneyWire
import CareJourneyWorker
import Foundation
import Testing
import CareJourneyTestSupport

/// The example reminder worker serves both kinds of reminder the shipped policies put on `review-reminders`.
@Suite struct ReminderOutboxTests {
    func request(_ kind: TaskKind, detail: String? = nil) -> TaskRequest {
        TaskRequest(
            task: "C-1#9", caseID: "C-1", queue: "review-reminders", kind: kind.rawValue, attempt: 1,
            createdAt: Date(timeIntervalSince1970: 1_767_603_600), due: Date(timeIntervalSince1970: 1_799_139_600),
            detail: detail, brief: ["name": "Ada"])
    }

    @Test func writesReviewAndFinancialReassessmentRemindersAndRefusesOthers() throws {
        let path = temporaryPath("reminders.jsonl")
        let outbox = ReviewReminderOutbox(path: path)
        #expect(outbox.answer(request(.reviewReminder, detail: "planned"), progress: { _ in }) == .done([:]))
        #expect(outbox.answer(request(.chargingReminder), progress: { _ in }) == .done([:]))
        guard case .failed(_, retry: false) = outbox.answer(request(.findProvider), progress: { _ in }) else {
            Issue.record("a brokerage task was not refused")
            return
        }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].contains("\"review\":\"planned\""))
        #expect(lines[1].contains("\"review\":\"financial re-assessment\""))
        #expect(lines[1].contains("\"to\":\"Ada\""))
    }
}
