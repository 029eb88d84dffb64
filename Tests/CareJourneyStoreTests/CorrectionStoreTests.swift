import CareJourneyCore
import CareJourneyReports
import Foundation
import GRDB
import Testing
import CareJourneyTestSupport

@testable import CareJourneyStore

/// `correct-record` through the engine: the named event is rewritten and the case replayed, the correction's own
/// event keeps who, when and why without the value, and the wrong value is stored nowhere after it.
@Suite struct CorrectionStoreTests {
    static let contact: JSONValue = [
        "name": "Ada Lovelace", "clientType": "adult", "route": "gp", "nhsNumber": "943 476 5919",
        "birthMonth": "1941-03", "gender": "female", "ethnicity": "white-british", "postcode": "DE1 2AB",
    ]
    /// Written without spaces, so the corrected event is shorter than the wrong one and is not overwritten in place:
    /// the wrong one's bytes are freed, and must be zeroed.
    static let fix: JSONValue = [
        "event": 1, "field": "nhsNumber", "value": "4010232137", "reason": "two digits transposed at contact",
    ]

    /// Ada's case with some history behind the contact (a snapshot was written at the close), as `C-1`: her details
    /// were given at the first contact and carry over to the re-referral.
    func adasCase(_ engine: Engine) async throws -> CaseID {
        let id = try #require(try await engine.send(nil, "contact", Self.contact, at: start)).state.id
        try await engine.send(id, "reassign", ["team": "north", "worker": "sw.jones"], at: start)
        try await engine.send(id, "give-information-and-advice", at: start.addingTimeInterval(3600))
        try await engine.send(
            id, "contact", ["name": "Ada Lovelace", "clientType": "adult", "route": "self-referral"],
            at: start.addingTimeInterval(7200))
        return id
    }

    func correct(_ engine: Engine, _ id: CaseID, _ data: JSONValue, at: Date) async throws -> CommandOutcome {
        let command = Command(
            caseID: id, event: try event("correct-record", data), actor: "m.patel", reason: "records team", at: at)
        return try await engine.apply(command)
    }

    @Test func aCorrectedNHSNumberIsNowhereAfterwardsAndTheReportsUseTheNewOne() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        let corrected = start.addingTimeInterval(86_400)
        try await withEngine(store, policy: try shippedPolicy()) { engine in
            let id = try await adasCase(engine)
            guard case .applied(let done) = try await correct(engine, id, Self.fix, at: corrected) else {
                Issue.record("the correction was refused")
                return
            }
            #expect(done.version == 5)
            #expect(done.state.person?.details?.nhsNumber == "4010232137")
            #expect(done.effects.isEmpty)
            #expect(!done.data.contains("401"), "the correction's own event keeps no value")
            // The engine emptied the WAL before it answered.
            let bytes = try storeBytes(store)
            #expect(bytes.range(of: Data("4010232137".utf8)) != nil, "the files are read: the right number is found")
            for old in ["943 476 5919", "9434765919"] {
                #expect(bytes.range(of: Data(old.utf8)) == nil, "\(old) is still in the files")
            }
            try await engine.send(id, "give-information-and-advice", at: corrected.addingTimeInterval(60))
        }
        let record = try #require(try await store.record(of: "C-1"))
        #expect(record.state.person?.details?.nhsNumber == "4010232137")
        let contact = try #require(record.history.first)
        #expect(
            contact.data
                == [
                    "name": "Ada Lovelace", "clientType": "adult", "route": "gp", "nhsNumber": "4010232137",
                    "birthMonth": "1941-03", "gender": "female", "ethnicity": "white-british", "postcode": "DE1 2AB",
                ])
        let correction = try #require(record.history.first { $0.name == "correct-record" })
        #expect(correction.actor == "m.patel")
        #expect(correction.at == corrected)
        #expect(
            correction.data
                == ["event": 1, "field": "nhsNumber", "reason": "two digits transposed at contact"])
        let verify = try store.verify()
        #expect(verify.isClean, "\(verify.differences)")

        let period = try ReportPeriod(from: "2026-01-01", to: "2026-12-31")
        let cld = try await store.reduceHistories(
            activeFrom: period.start, into: CLDReturn(period: period, laCode: "503")
        ) { report, history in report.add(history) }
        #expect(cld.rows.count == 2, "both contacts are requests")
        #expect(cld.rows.allSatisfy { $0.contains("4010232137") })
        #expect(!cld.csv.contains("9434765919"))
    }

    @Test func aCorrectedNameIsFoundByItsNewNameAndNotByItsOld() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        try await withEngine(store, policy: try shippedPolicy()) { engine in
            let id = try await adasCase(engine)
            let fix: JSONValue = [
                "event": 1, "field": "name", "value": "Ada Byron", "reason": "recorded on the wrong case",
            ]
            guard case .applied = try await correct(engine, id, fix, at: start.addingTimeInterval(86_400)) else {
                Issue.record("the correction was refused")
                return
            }
        }
        // The later contact still says Lovelace: the case shows the name its history gives.
        #expect(try await store.cases(matching: CaseFilter(query: "Lovelace")).cases.map(\.id) == ["C-1"])
        let fixLater: JSONValue = ["event": 4, "field": "name", "value": "Ada Byron", "reason": "as event 1"]
        try await withEngine(store, policy: try shippedPolicy()) { engine in
            guard case .applied = try await correct(engine, "C-1", fixLater, at: start.addingTimeInterval(90_000))
            else {
                Issue.record("the correction was refused")
                return
            }
        }
        #expect(try await store.cases(matching: CaseFilter(query: "Lovelace")).cases.isEmpty)
        #expect(try await store.cases(matching: CaseFilter(query: "Byron")).cases.map(\.id) == ["C-1"])
        #expect(try await store.record(of: "C-1")?.state.person?.name == "Ada Byron")
        #expect(try store.verify().isClean)
    }

    @Test(
        arguments: [
            (
                ["event": 9, "field": "name", "value": "x", "reason": "r"], TransitionError.Code.invalidData,
                "has no event 9"
            ),
            (
                ["event": 1, "field": "clientType", "value": "child", "reason": "r"], .invalidData,
                "'child' is not one of"
            ),
            (["event": 1, "field": "nhsNumber", "value": "943 476 5918", "reason": "r"], .invalidData, "nhsNumber"),
            (["event": 3, "field": "note", "value": "x", "reason": "r"], .invalidData, "has no field 'note'"),
            (["event": 1, "field": "nhsNumber", "value": "4010232137", "reason": " "], .invalidData, "reason"),
        ] as [(JSONValue, TransitionError.Code, String)])
    func aCorrectionThatMakesNoSenseIsRefusedAndChangesNothing(
        data: JSONValue, code: TransitionError.Code, words: String
    ) async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        try await withEngine(store, policy: try shippedPolicy()) { engine in
            let id = try await adasCase(engine)
            let before = try await store.record(of: id)?.history
            guard case .rejected(let error, _) = try await correct(engine, id, data, at: start.addingTimeInterval(9000))
            else {
                Issue.record("the correction was made")
                return
            }
            #expect(error.code == code)
            #expect(error.message.contains(words), "\(error.message)")
            #expect(try await store.record(of: id)?.history == before)
        }
        #expect(try store.verify().isClean)
    }

    @Test func theServicesOwnEventsAndDecisionsCannotBeCorrected() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        try await withEngine(store, policy: try shippedPolicy()) { engine in
            let id = try await engine.caseInDelivery(at: start)
            let due = try #require(try await store.record(of: id)?.state.timers[.reviewInformal])
            try await engine.send(
                id, "timer-fired", ["timer": "review.informal", "due": .string(ISO8601Text.format(due))], at: due)
            func refusal(_ data: JSONValue) async throws -> TransitionError? {
                guard case .rejected(let error, _) = try await correct(engine, id, data, at: due) else { return nil }
                return error
            }
            let system = try #require(
                try await refusal(["event": 9, "field": "timer", "value": "review.planned.due", "reason": "r"]))
            #expect(system.field == "event")
            #expect(system.message.contains("the service sent itself"))
            // Not eligible after all is a decision, with written reasons, not a record put right.
            let decision = try #require(
                try await refusal(["event": 4, "field": "eligible", "value": false, "reason": "r"]))
            #expect(decision.message.contains("the corrected event 4 ('eligibility-decided') cannot be recorded"))
            // A plan over the high-cost threshold could not have been signed off without the panel.
            let cost = try #require(
                try await refusal(["event": 6, "field": "councilManaged.weeklyCost", "value": 2000, "reason": "r"]))
            #expect(cost.code == .guardFailed)
            #expect(cost.message.contains("event 8 ('sign-off') would no longer apply"), "\(cost.message)")

            // Reablement that ended in independence closed the case: "needs remain" would reopen it.
            let bo = try #require(
                try await engine.send(nil, "contact", ["name": "Bo", "clientType": "adult", "route": "gp"], at: start)
            ).state.id
            try await engine.send(bo, "offer-reablement", at: start)
            try await engine.send(bo, "reablement-ended", ["outcome": "independent"], at: start.addingTimeInterval(60))
            let reopen: JSONValue = ["event": 3, "field": "outcome", "value": "needs-remain", "reason": "r"]
            guard case .rejected(let course, _) = try await correct(engine, bo, reopen, at: due) else {
                Issue.record("the case's course was rewritten")
                return
            }
            #expect(course.code == .guardFailed)
            #expect(course.message.contains("would change where case C-2 stands"), "\(course.message)")
            #expect(course.missing.first == "its stage (closed, then assessment)")
        }
        #expect(try store.verify().isClean)
    }
}
