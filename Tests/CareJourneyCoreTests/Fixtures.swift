import Foundation
import Testing

@testable import CareJourneyCore

/// A policy with Derbyshire's numbers, built in code so the core's tests need no files.
let testPolicy = Policy(
    id: "test", council: "Test Council",
    reablement: .init(maximum: .weeks(6), checkEvery: .weeks(1)),
    reviews: .init(
        informalAfter: .hours(72), firstFormalOpens: .weeks(6), firstFormalDue: .weeks(8),
        plannedInterval: .months(12), reminderLead: .days(14), escalateAfter: PolicyDuration()),
    directPayments: .init(auditEvery: .months(12)),
    transfer: .init(fundingContinues: .weeks(6)),
    highCost: .init(weeklyThreshold: Money(pounds: 1000)),
    ras: ResourceAllocation(
        bands: [
            .init(minPoints: 0, maxPoints: 19, weekly: .zero),
            .init(minPoints: 20, maxPoints: 39, weekly: Money(pounds: 150)),
            .init(minPoints: 40, maxPoints: 59, weekly: Money(pounds: 320)),
            .init(minPoints: 60, maxPoints: 150, weekly: Money(pounds: 900)),
        ],
        informalSupportReduction: [.none: 0, .some: 0.1, .substantial: 0.25]),
    queues: Dictionary(
        uniqueKeysWithValues: TaskKind.allCases.map { kind in
            let queue: String =
                switch kind {
                case .referAdvocacy: "advocacy"
                case .findProvider, .arrangeInterimSupport, .endServices: "brokerage"
                case .setUpDirectPayment, .dpAudit: "dp-monitoring"
                case .reviewReminder: "review-reminders"
                case .escalateOverdueReview, .escalateReablementOverrun: "team-manager"
                case .safeguardingDecision, .safeguardingEnquiry: "safeguarding"
                case .complaintResolution: "complaints"
                case .writtenNotification: "notifications"
                case .highCostPanel: "high-cost-panel"
                default: "practice"
                }
            return (kind, queue)
        }))

/// 2026-01-05T09:00:00Z.
let t0 = Date(timeIntervalSince1970: 1_767_603_600)

func hours(_ n: Double) -> TimeInterval { n * 3600 }
func days(_ n: Double) -> TimeInterval { n * 86_400 }
func weeks(_ n: Double) -> TimeInterval { n * 604_800 }

/// An event from its name and data, as a user would write it.
func event(_ name: String, _ data: JSONValue = [:]) -> Event {
    do { return try Event(name: name, data: data) } catch { fatalError("bad test event \(name): \(error)") }
}

/// A case driven through the journey one event at a time, keeping the last effects.
struct Driver {
    var state: CaseState
    var now: Date
    var effects: [Effect] = []
    /// The policy the case runs under.
    var policy: Policy = testPolicy

    /// Who sends events unless a test says otherwise.
    static let practitioner = "sw.test"

    init(_ id: CaseID = "ada", at now: Date = t0, policy: Policy = testPolicy) {
        state = CaseState(id: id)
        self.now = now
        self.policy = policy
    }

    /// Applies an event `after` seconds later; records the failure for the test if it is refused.
    @discardableResult
    mutating func send(
        _ name: String, _ data: JSONValue = [:], after: TimeInterval = 0, by actor: String = practitioner,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> Transition? {
        now += after
        do {
            let transition = try Journey.apply(event(name, data), to: state, at: now, by: actor, policy: policy)
            state = transition.state
            effects = transition.effects
            return transition
        } catch {
            Issue.record("\(name) was refused: \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// Tries an event that should be refused; returns the error.
    func refused(_ name: String, _ data: JSONValue = [:], by actor: String = practitioner) -> TransitionError? {
        do {
            _ = try Journey.apply(try Event(name: name, data: data), to: state, at: now, by: actor, policy: policy)
            return nil
        } catch {
            return error
        }
    }

    /// Fires a pending timer at its due time.
    @discardableResult
    mutating func fire(_ timer: TimerName, sourceLocation: SourceLocation = #_sourceLocation) -> Transition? {
        guard let due = state.timers[timer] else {
            Issue.record("timer \(timer.rawValue) is not pending", sourceLocation: sourceLocation)
            return nil
        }
        now = max(now, due)
        do {
            let transition = try Journey.apply(
                .timerFired(TimerFire(timer: timer, due: due)), to: state, at: now, by: "timer", policy: policy)
            state = transition.state
            effects = transition.effects
            return transition
        } catch {
            Issue.record("timer \(timer.rawValue) was refused: \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// The tasks the last transition enqueued, as (kind, queue).
    var enqueued: [String] {
        effects.compactMap { if case .enqueue(let task) = $0 { "\(task.kind.rawValue)@\(task.queue)" } else { nil } }
    }

    /// The open task kinds, sorted.
    var openTaskKinds: [String] { state.openTasks.map(\.kind.rawValue).sorted() }

    // MARK: Common journeys

    static let fullPlan: JSONValue = [
        "metByNetwork": ["daughter shops weekly"], "personalBudget": 320.0,
        "councilManaged": ["services": ["home care"], "weeklyCost": 220.0],
        "directPayment": ["amount": 100.0, "frequency": "weekly", "purchases": ["personal-assistant"]],
        "riskManagement": "falls sensor", "contingencyPlan": "agency cover",
    ]

    /// A high-cost checklist with every item done.
    static let completeChecklist: JSONValue = [
        "optionsAppraised": ["agency", "personal-assistants", "live-in-care", "residential"],
        "leastRestrictive": true, "capacityConsidered": true, "viewsSought": true,
    ]

    /// Contact → assessment → eligible → RAS → planning.
    mutating func toPlanning(clientType: String = "adult") {
        send("contact", ["name": "Ada", "clientType": .string(clientType), "route": "gp"])
        send("start-assessment", after: hours(1))
        send(
            "assessment-completed", ["needs": ["personal care", "meals"], "outcomes": ["stay at home"]], after: days(7))
        send("eligibility-decided", ["eligible": true, "eligibleNeeds": ["personal care"]], after: days(1))
        send("ras-completed", ["points": 45, "informalSupport": "some"], after: days(1))
    }

    /// … → sign-off → delivery, with both a council-managed part and a direct payment.
    mutating func toDelivery() {
        toPlanning()
        send("plan-updated", Self.fullPlan, after: days(2))
        send("sign-off", after: days(1))
    }
}
