import CareJourneyCore
import CareJourneyFiles
import Foundation
import Testing
import CareJourneyTestSupport

@testable import CareJourneyKit

@Suite struct PolicyFileTests {
    @Test func theShippedCouncilsLoadWithTheirNumbers() throws {
        let derbyshire = try PolicyFile.load(Repository.path("workflows/derbyshire.yaml"))
        #expect(derbyshire.reviews.informalAfter == .hours(72))
        #expect(derbyshire.reviews.firstFormalOpens == .weeks(6))
        #expect(derbyshire.reviews.firstFormalDue == .weeks(8))
        #expect(derbyshire.reviews.plannedInterval == .months(12))
        #expect(derbyshire.transfer.fundingContinues == .weeks(6))
        #expect(derbyshire.queue(for: .findProvider) == "brokerage")
        #expect(derbyshire.ras.indicativeBudget(points: 46, support: .some) == Money(pounds: 288))
        let wiltshire = try PolicyFile.load(Repository.path("workflows/wiltshire.yaml"))
        #expect(wiltshire.reablement.maximum == .weeks(6))
        #expect(wiltshire.reablement.checkEvery == .weeks(1))
        #expect(wiltshire.reviews.plannedInterval == .months(12))
        #expect(wiltshire.reviews.escalateAfter == .days(7))
        #expect(wiltshire.queue(for: .conductReview) == "review-team")
        #expect(wiltshire.minimumRole(of: .signOff) == .manager)
        #expect(derbyshire.minimumRoles == nil)
        #expect(derbyshire.minimumRole(of: .signOff) == .practitioner)
    }

    @Test func aPolicyMayRaiseAnEventsMinimumRoleButNeverLowerIt() throws {
        let raised = try PolicyFile.parse(
            try String(contentsOfFile: Repository.path("workflows/derbyshire.yaml"), encoding: .utf8)
                + "roles:\n  eligibility-decided: manager\n  close-case: admin\n", file: "council.yaml")
        #expect(raised.minimumRoles == [.eligibilityDecided: .manager, .closeCase: .admin])
        let lowered = try #require(
            try policyError(replacing: "queues:", with: "roles:\n  high-cost-decided: practitioner\nqueues:"))
        #expect(lowered.code == .badValue)
        #expect(lowered.key == "roles.high-cost-decided")
        #expect(
            lowered.message
                == "'high-cost-decided' needs at least the manager role; a policy may raise a minimum, never lower it")
        #expect(lowered.hint == "use manager or admin, or leave it out")
        let system = try #require(try policyError(replacing: "queues:", with: "roles:\n  timer-fired: admin\nqueues:"))
        #expect(system.code == .unknownKey)
        let misspelt = try #require(try policyError(replacing: "queues:", with: "roles:\n  sign-of: manager\nqueues:"))
        #expect(misspelt.hint?.hasPrefix("did you mean 'sign-off'?") == true)
    }

    /// The Derbyshire file with one line replaced, parsed; the error it gives.
    func policyError(replacing old: String, with new: String) throws -> FileError? {
        let text = try String(contentsOfFile: Repository.path("workflows/derbyshire.yaml"), encoding: .utf8)
        #expect(text.contains(old), "the fixture line '\(old)' is not in the file")
        do {
            _ = try PolicyFile.parse(text.replacingOccurrences(of: old, with: new), file: "council.yaml")
            return nil
        } catch {
            return error
        }
    }

    func line(of text: String) throws -> Int {
        let lines = try String(contentsOfFile: Repository.path("workflows/derbyshire.yaml"), encoding: .utf8)
            .components(separatedBy: "\n")
        return try #require(lines.firstIndex { $0.contains(text) }) + 1
    }

    @Test func anUnknownKeyIsNamedWithItsLineAndASuggestion() throws {
        let error = try #require(try policyError(replacing: "  first-formal-due: 8w", with: "  first-formal-dew: 8w"))
        #expect(error.code == .unknownKey)
        #expect(error.line == (try line(of: "first-formal-due")))
        #expect(error.key == "reviews.first-formal-dew")
        #expect(error.hint?.hasPrefix("did you mean 'first-formal-due'?") == true)
        #expect(error.description.hasPrefix("council.yaml:\(error.line!): reviews.first-formal-dew: unknown key"))
    }

    @Test func aBadDurationIsNamedWithItsLineAndTheUnitsAllowed() throws {
        let error = try #require(
            try policyError(replacing: "  informal-after: 72h", with: "  informal-after: 72 hours"))
        #expect(error.code == .badValue)
        #expect(error.line == (try line(of: "informal-after")))
        #expect(error.key == "reviews.informal-after")
        #expect(error.message == "'72 hours' is not a duration")
        #expect(error.hint?.contains("s, min, h, d, w, mo or y") == true)
    }

    @Test func aMissingValueIsNamed() throws {
        let error = try #require(try policyError(replacing: "  reminder-lead: 14d\n", with: ""))
        #expect(error.code == .missingKey)
        #expect(error.message == "the key 'reminder-lead' is missing")
        #expect(error.key == "reviews")
        let queue = try #require(try policyError(replacing: "  find-provider: brokerage\n", with: ""))
        #expect(queue.message == "the key 'find-provider' is missing")
        #expect(queue.hint?.contains("Find a provider") == true)
    }

    @Test func inconsistentNumbersAreRefused() throws {
        let window = try #require(try policyError(replacing: "first-formal-opens: 6w", with: "first-formal-opens: 9w"))
        #expect(window.code == .inconsistent)
        #expect(window.line == (try line(of: "first-formal-opens")))
        let gap = try #require(try policyError(replacing: "min-points: 40,", with: "min-points: 41,"))
        #expect(gap.code == .inconsistent)
        #expect(gap.hint?.contains("min-points: 40") == true)
        let share = try #require(try policyError(replacing: "some: 10%", with: "some: 110%"))
        #expect(share.key == "ras.informal-support-reduction.some")
    }

    @Test func brokenYAMLIsASyntaxErrorWithALine() throws {
        let error = try #require(try policyError(replacing: "transfer:\n", with: "transfer:\n  - [\n"))
        #expect(error.code == .syntax)
        #expect(error.line != nil)
        #expect(throws: FileError.self) { try PolicyFile.load("/no/such/policy.yaml") }
    }

    @Test func aBareMIsRefusedAsAmbiguous() throws {
        let error = try #require(try policyError(replacing: "  audit-every: 12mo", with: "  audit-every: 12m"))
        #expect(error.key == "direct-payments.audit-every")
        #expect(error.hint == "'m' could mean minutes or months: write min for minutes or mo for months")
    }

    @Test func numbersThatCannotWorkTogetherAreRefused() throws {
        let checks = try #require(try policyError(replacing: "  check-every: 1w", with: "  check-every: 8w"))
        #expect(checks.code == .inconsistent)
        #expect(checks.key == "reablement.check-every")
        #expect(checks.line == (try line(of: "check-every")))
        let lead = try #require(try policyError(replacing: "  reminder-lead: 14d", with: "  reminder-lead: 10w"))
        #expect(lead.key == "reviews.reminder-lead")
        #expect(lead.message.contains("first formal review's due time (8w)"))
    }

    @Test func anEmptyValueOrATwiceGivenKeyIsNamed() throws {
        let empty = try #require(try policyError(replacing: "  planned-interval: 12mo", with: "  planned-interval:"))
        #expect(empty.code == .missingKey)
        #expect(empty.message == "the value is missing")
        #expect(empty.line == (try line(of: "planned-interval")))
        let twice = try #require(
            try policyError(
                replacing: "  informal-after: 72h\n", with: "  informal-after: 72h\n  informal-after: 96h\n"))
        #expect(twice.code == .syntax)
        #expect(twice.message == "a key is given twice: informal-after")
        #expect(twice.line != nil)
    }
}
