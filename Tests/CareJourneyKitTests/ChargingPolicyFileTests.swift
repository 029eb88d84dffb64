import CareJourneyCore
import CareJourneyFiles
import Foundation
import Testing
import CareJourneyTestSupport

@testable import CareJourneyKit

/// `charging:`, `plans:` and `high-cost.checklist` in a policy file.
@Suite struct ChargingPolicyFileTests {
    static let charging = """
        charging:
          reassess-every: 12mo
          reminder-lead: 28d
          exemptions: [carers-services, s117-aftercare, free-period]
          free-period: 6w
          sign-off-pending-assessment: true
          direct-payments: gross

        """
    static let plans = """
        plans:
          person: [needs-and-outcomes, personal-budget, contingency]
          carer: [needs-and-outcomes, risks]
          reasonable-rates:
            home-care-hour: 21.50
            pa-hour: 14.20

        """

    /// Derbyshire's file without its own `charging:` and `plans:`, with `extra` added.
    func parse(_ extra: String) throws(FileError) -> Policy {
        let base: String
        do { base = try Self.base() } catch { fatalError("the Derbyshire policy file cannot be read: \(error)") }
        return try PolicyFile.parse(base + extra, file: "council.yaml")
    }

    func error(_ extra: String) -> FileError? {
        do {
            _ = try parse(extra)
            return nil
        } catch {
            return error
        }
    }

    /// Derbyshire's file with any `charging:` or `plans:` section and `high-cost.checklist` taken out, and with the
    /// queues they need.
    static func base() throws -> String {
        let text = try String(contentsOfFile: Repository.path("workflows/derbyshire.yaml"), encoding: .utf8)
        var kept: [Substring] = []
        var skipping = false
        var inChecklist = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("charging:") || line.hasPrefix("plans:") {
                skipping = true
                continue
            }
            if skipping && !(line.hasPrefix(" ") || line.isEmpty) { skipping = false }
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("checklist:") {
                inChecklist = true
                continue
            }
            // The comment continuing the checklist's line.
            if inChecklist && trimmed.hasPrefix("#") && line.count - trimmed.count > 10 { continue }
            inChecklist = false
            if !skipping { kept.append(line) }
        }
        var base = kept.joined(separator: "\n") + "\n"
        // The queues the sections need, where the file does not route them yet.
        for kind in ["financial-assessment", "charging-reminder", "chc-referral", "send-plan-copy"]
        where !base.contains("  \(kind):") {
            base = base.replacingOccurrences(of: "\nqueues:\n", with: "\nqueues:\n  \(kind): practice\n")
        }
        return base
    }

    @Test func theShippedCouncilsChargeAndListThePlansItems() throws {
        let derbyshire = try PolicyFile.load(Repository.path("workflows/derbyshire.yaml"))
        #expect(derbyshire.charging?.reassessEvery == .months(12))
        #expect(derbyshire.charging?.exemptions == [.s117Aftercare, .freePeriod])
        #expect(derbyshire.charging?.signOffPendingAssessment == false)
        #expect(derbyshire.plans?.person == PlanItem.allCases)
        #expect(derbyshire.plans?.reasonableRates == nil)
        #expect(derbyshire.highCost.checklist == .kent)
        #expect(derbyshire.queue(for: .financialAssessment) == "finance")
        #expect(derbyshire.queue(for: .sendPlanCopy) == "notifications")
        let wiltshire = try PolicyFile.load(Repository.path("workflows/wiltshire.yaml"))
        #expect(wiltshire.charging?.grants(.carersServices) == true)
        #expect(wiltshire.charging?.reminderLead == .days(28))
        #expect(wiltshire.plans?.carer.contains(.importantToAndFor) == false)
        #expect(wiltshire.plans?.reasonableRates?["home-care-hour"] == Money(pounds: 21.5))
        #expect(wiltshire.queue(for: .financialAssessment) == "finance-and-benefits")
    }

    @Test func chargingAndPlansAreReadAsWritten() throws {
        let policy = try parse(Self.charging + Self.plans)
        let charging = try #require(policy.charging)
        #expect(charging.reassessEvery == .months(12))
        #expect(charging.reminderLead == .days(28))
        #expect(charging.exemptions == [.carersServices, .s117Aftercare, .freePeriod])
        #expect(charging.freePeriod == .weeks(6))
        #expect(charging.signOffPendingAssessment)
        #expect(charging.directPayments == .gross)
        let plans = try #require(policy.plans)
        #expect(plans.person == [.needsAndOutcomes, .personalBudget, .contingency])
        #expect(plans.carer == [.needsAndOutcomes, .risks])
        #expect(plans.reasonableRates == ["home-care-hour": Money(pounds: 21.5), "pa-hour": Money(pounds: 14.2)])
    }

    @Test func withoutTheSectionsThePolicyIsAsBeforeAndKeepsItsFingerprint() throws {
        let policy = try parse("")
        #expect(policy.charging == nil)
        #expect(policy.plans == nil)
        // Nothing new is encoded, so the fingerprint is the one the same file had before.
        let encoded = try JSONDecoder().decode([String: JSONValue].self, from: try JSONEncoder().encode(policy))
        #expect(encoded["charging"] == nil && encoded["plans"] == nil)
        #expect(encoded["highCost"] == ["weeklyThreshold": 1000])
    }

    @Test func reassessmentIsAtMost12Months() throws {
        let long = try #require(error(Self.charging.replacingOccurrences(of: "12mo", with: "13mo")))
        #expect(long.code == .badValue)
        #expect(long.key == "charging.reassess-every")
        #expect(long.hint?.contains("not longer than 12 months") == true)
        let lead = try #require(error(Self.charging.replacingOccurrences(of: "28d", with: "7w")))
        #expect(lead.code == .inconsistent)
        #expect(lead.message == "the reminder lead (7w) is not shorter than the free period (6w)")
    }

    @Test func s117AftercareIsAlwaysExempt() throws {
        let missing = try #require(
            error(Self.charging.replacingOccurrences(of: "s117-aftercare, ", with: "")))
        #expect(missing.code == .inconsistent)
        #expect(missing.message == "s117 aftercare is not among the exemptions")
    }

    @Test func aFreePeriodAndItsExemptionGoTogether() throws {
        let noLength = try #require(
            error(Self.charging.replacingOccurrences(of: "  free-period: 6w\n", with: "")))
        #expect(noLength.code == .missingKey)
        #expect(noLength.message == "the free-period exemption needs the free period's length")
        let noExemption = try #require(
            error(Self.charging.replacingOccurrences(of: ", free-period]", with: "]")))
        #expect(noExemption.code == .inconsistent)
    }

    @Test func planItemsAndRatesAreChecked() throws {
        let unknown = try #require(error(Self.plans.replacingOccurrences(of: "risks]", with: "riskz]")))
        #expect(unknown.code == .badValue)
        let twice = try #require(error(Self.plans.replacingOccurrences(of: "[needs-and-outcomes, risks]", with: "[risks, risks]")))
        #expect(twice.message == "'risks' is listed twice")
        let free = try #require(error(Self.plans.replacingOccurrences(of: "14.20", with: "0")))
        #expect(free.message == "a reasonable rate is more than nothing")
    }

    @Test func theHighCostChecklistIsKentsOrTheEarlierOne() throws {
        let kent = try PolicyFile.parse(
            try Self.base().replacingOccurrences(
                of: "  weekly-threshold: 1000.00", with: "  checklist: kent\n  weekly-threshold: 1000.00"),
            file: "council.yaml")
        #expect(kent.highCost.checklist == .kent)
        let bad = try? PolicyFile.parse(
            try Self.base().replacingOccurrences(
                of: "  weekly-threshold: 1000.00", with: "  checklist: surrey\n  weekly-threshold: 1000.00"),
            file: "council.yaml")
        #expect(bad == nil)
        // A file written before the new queues still loads; one whose sections need them is told which.
        let old = try Self.base().split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("  chc-referral:") }.joined(separator: "\n")
        #expect((try? PolicyFile.parse(old, file: "council.yaml"))?.queues[.chcReferral] == nil)
        do {
            _ = try PolicyFile.parse(
                old.replacingOccurrences(
                    of: "  weekly-threshold: 1000.00", with: "  checklist: kent\n  weekly-threshold: 1000.00"),
                file: "council.yaml")
            Issue.record("Kent's checklist without a chc-referral queue was taken")
        } catch {
            #expect(error.message == "the key 'chc-referral' is missing: `high-cost.checklist: kent` needs it")
        }
    }
}
