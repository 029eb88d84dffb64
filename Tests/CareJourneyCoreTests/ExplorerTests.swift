import Foundation
import Testing

@testable import CareJourneyCore

/// "No case forgotten": every reachable (state, event) pair, to a bounded depth, keeps every promise.
@Suite struct ExplorerTests {
    @Test func everyReachableStateHasANextStepAndNoDeadEnds() async {
        let report = await onItsOwnThread { JourneyExplorer(policy: testPolicy, maxDepth: 12).explore() }
        for violation in report.violations.prefix(10) { Issue.record("\(violation)") }
        #expect(report.violations.isEmpty)
        // The walk really reached the whole journey and the side machines.
        let stages = Set(report.edges.filter { $0.machine == .journey }.flatMap { [$0.from, $0.to] })
        #expect(stages == Set(Stage.allCases.map(\.rawValue)))
        // (The financial assessment runs only under a policy that charges: the next test.)
        for machine in Machine.allCases where machine != .journey && machine != .financialAssessment {
            #expect(report.edges.contains { $0.machine == machine }, "\(machine.rawValue) was never exercised")
        }
        #expect(report.statesVisited > 500)
    }

    /// Under a policy with charging, plan items and Kent's checklist, to a depth that reaches delivery and the
    /// financial re-assessment's timers.
    @Test func underChargingEveryNewStateAndEventIsReachedAndKeepsThePromises() async {
        let report = await onItsOwnThread { JourneyExplorer(policy: chargingPolicy, maxDepth: 10).explore() }
        for violation in report.violations.prefix(10) { Issue.record("\(violation)") }
        #expect(report.violations.isEmpty)
        for machine in Machine.allCases where machine != .journey {
            #expect(report.edges.contains { $0.machine == machine }, "\(machine.rawValue) was never exercised")
        }
        let financial = Set(report.edges.filter { $0.machine == .financialAssessment }.flatMap { [$0.from, $0.to] })
        #expect(financial == Set(["none"] + FinancialAssessment.Status.allCases.map(\.rawValue)))
        let chc = Set(report.edges.filter { $0.machine == .continuingHealthcare }.flatMap { [$0.from, $0.to] })
        #expect(chc == Set(HealthFunding.CHCStatus.allCases.map(\.rawValue)))
        let labels = Set(report.edges.map(\.label))
        let new: [EventName] = [
            .financialAssessmentCompleted, .requestFinancialAssessment, .jointFundingAgreed, .planCopySent,
            .chcChecklistCompleted, .chcDecided, .s117AftercareRecorded, .s117AftercareEnded,
        ]
        for name in new { #expect(labels.contains(name.rawValue), "\(name.rawValue) never moved a machine") }
        for timer in [TimerName.chargingReassessmentReminder, .chargingReassessmentDue] {
            #expect(labels.contains("⏰ \(timer.rawValue)"), "\(timer.rawValue) never fired")
        }
    }

    @Test func aPolicyThatLeavesATaskWithoutAQueueIsCaught() async {
        var broken = testPolicy
        broken.queues[.findProvider] = nil
        let policy = broken
        let report = await onItsOwnThread { JourneyExplorer(policy: policy, maxDepth: 9).explore() }
        #expect(report.violations.contains { $0.problem == "task 'find-provider' has no queue in the policy" })
    }

    @Test func theDiagramIsDrawnFromTheMachines() {
        let diagram = JourneyDiagram(policy: testPolicy)
        let dot = diagram.render(.dot)
        #expect(dot.hasPrefix("digraph carejourney {"))
        #expect(dot.contains("casejourney_support_planning -> casejourney_delivery [label=\"sign-off\"];"))
        #expect(
            dot.contains(
                "casejourney_transferring -> casejourney_closed [label=\"close-case, ⏰ transfer.funding-ends\"];"))
        let mermaid = diagram.render(.mermaid)
        #expect(mermaid.hasPrefix("stateDiagram-v2\n"))
        #expect(mermaid.contains("    casejourney_new --> casejourney_contact : contact"))
        #expect(mermaid.contains("    [*] --> safeguarding_none"))
        // Every edge in the picture was a transition the machine accepted.
        #expect(diagram.edges.count == Set(diagram.edges).count)
    }
}

/// Runs minutes of CPU-bound work on a thread of its own, not on one of the cooperative pool's two threads (on two
/// cores), where it would stall every other test's tasks — servers answering, workers replying — for its length.
func onItsOwnThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: work()) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}

/// The explorer's checks catch the states they are there to catch.
@Suite struct ExplorerCheckTests {
    @Test func aCaseWithNothingToDoAndNothingToWaitForIsReported() {
        var stuck = CaseState(id: "stuck")
        stuck.stage = .delivery
        let problems = JourneyExplorer(policy: testPolicy).violations(in: stuck, at: t0)
        #expect(problems.contains("open case in stage 'delivery' has no pending timer and no open task"))
        #expect(problems.contains("dead end: stage 'delivery' can only close and has no timer") == false)
        stuck.stage = .transferring
        let transferring = JourneyExplorer(policy: testPolicy).violations(in: stuck, at: t0)
        #expect(transferring.contains("dead end: stage 'transferring' can only close and has no timer"))
    }

    @Test func aHealthyCaseHasNoViolations() {
        var ada = Driver()
        ada.toDelivery()
        #expect(JourneyExplorer(policy: testPolicy).violations(in: ada.state, at: ada.now).isEmpty)
    }
}
