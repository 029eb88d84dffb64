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
            detail: detail, brief: ["name": "Ada"], dueDay: LocalDate(year: 2027, month: 1, day: 5),
            timeZone: "Europe/London")
    }

    /// The due day and its zone travel in the request's body beside the instant, and a day that is not one is refused.
    @Test func aRequestCarriesTheDueDayAndTheZone() throws {
        let sent = request(.reviewReminder, detail: "planned")
        let body = String(decoding: sent.encoded(), as: UTF8.self)
        #expect(body.contains("\"dueDay\":\"2027-01-05\""))
        #expect(body.contains("\"timeZone\":\"Europe/London\""))
        #expect(try TaskRequest.decode(sent.encoded()) == sent)
        let broken = body.replacingOccurrences(of: "2027-01-05", with: "2027-02-30")
        #expect(throws: WireError.self) { try TaskRequest.decode(Array(broken.utf8)) }
        var none = sent
        (none.due, none.dueDay, none.timeZone) = (nil, nil, nil)
        #expect(String(decoding: none.encoded(), as: UTF8.self).contains("\"dueDay\":null"))
        #expect(try TaskRequest.decode(none.encoded()) == none)
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
        #expect(lines[0].contains("\"due\":\"2027-01-05T09:00:00Z\""))
        #expect(lines[0].contains("\"dueDay\":\"2027-01-05\""))
        #expect(lines[0].contains("\"timeZone\":\"Europe/London\""))
    }
}
