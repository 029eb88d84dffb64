import Foundation

/// Walks every reachable state of the journey, breadth first to a bounded depth, by applying every sample event
/// and firing every pending timer, and checks the promises the journey makes at each step:
///
/// - every open case has a next step (a pending timer or an open task): no case is forgotten;
/// - every open case accepts something: no dead ends;
/// - every pending timer is accepted when it fires: no timer is lost;
/// - what a state says it accepts is what `apply` accepts;
/// - the effects, applied to the old timers and tasks, give exactly the new ones;
/// - every task goes to a queue the policy names.
///
/// The transitions it sees are also what the journey diagram is drawn from.
public struct JourneyExplorer: Sendable {
    /// The policy to explore under.
    public let policy: Policy
    /// How many events deep to go from a new case.
    public let maxDepth: Int

    /// Creates an explorer.
    public init(policy: Policy, maxDepth: Int = 12) {
        self.policy = policy
        self.maxDepth = maxDepth
    }

    /// A transition seen in one machine: from a status, by an event, to a status.
    public struct Edge: Hashable, Sendable, Comparable {
        public let machine: Machine
        public let from: String
        public let label: String
        public let to: String
        public static func < (a: Edge, b: Edge) -> Bool {
            (a.machine.rawValue, a.from, a.to, a.label) < (b.machine.rawValue, b.from, b.to, b.label)
        }
    }

    /// A broken promise, with the path of events that led to it.
    public struct Violation: Hashable, Sendable, CustomStringConvertible {
        public let problem: String
        public let path: [String]
        public var description: String { "\(problem) — after: \(path.joined(separator: " → "))" }
    }

    /// What an exploration found.
    public struct Report: Sendable {
        public var statesVisited = 0
        public var transitionsTried = 0
        public var edges: Set<Edge> = []
        public var violations: [Violation] = []
    }

    private struct Node {
        let state: CaseState
        let now: Date
        let path: [String]
    }

    /// Explores from a new case.
    ///
    /// - Parameter checking: whether to check the promises at every state (the tests do; drawing needs only
    ///   the transitions).
    public func explore(checking: Bool = true) -> Report {
        var report = Report()
        let start = Date(timeIntervalSince1970: 1_767_600_000)  // 2026-01-05, any fixed instant does
        var frontier = [Node(state: CaseState(id: "explore"), now: start, path: [])]
        var seen: Set<Signature> = [Signature(CaseState(id: "explore"), policy: policy)]
        let inputs = Self.sampleEvents  // EventCodingTests makes sure every sample decodes
        for _ in 0..<maxDepth where !frontier.isEmpty {
            var next: [Node] = []
            for node in frontier {
                report.statesVisited += 1
                if checking {
                    report.violations += violations(in: node.state, at: node.now, trying: inputs).map {
                        Violation(problem: $0, path: node.path)
                    }
                }
                for (event, now) in candidates(node, inputs) {
                    report.transitionsTried += 1
                    guard
                        let transition = try? Journey.apply(
                            event, to: node.state, at: now, by: Self.actor(of: event), policy: policy)
                    else {
                        continue
                    }
                    let label = label(of: event)
                    record(from: node.state, to: transition.state, label: label, &report)
                    if checking { checkEffects(node, transition, label: label, &report) }
                    if seen.insert(Signature(transition.state, policy: policy)).inserted {
                        next.append(Node(state: transition.state, now: now, path: node.path + [label]))
                    }
                }
            }
            frontier = next
        }
        return report
    }

    static let alwaysAccepted: Set<EventName> = [
        .closeCase, .movedToAnotherCouncil, .complaintReceived, .safeguardingConcern, .reassign, .retryTask,
        .cancelTask, .recordPersonDetails, .hold, .releaseHold, .correctRecord, .takeTask, .handBackTask, .allocateTask,
    ]

    /// The events to try from a node: the samples of what it accepts, a fire of each pending timer, and a retry
    /// and a cancel of each open worker's task. (Samples it does not accept are tried by `violations(in:at:)`,
    /// which makes sure they are refused.)
    private func candidates(_ node: Node, _ inputs: [Event]) -> [(Event, Date)] {
        let later = node.now.addingTimeInterval(3600)
        let accepted = Set(Journey.acceptedEvents(in: node.state))
        let timers = node.state.pendingTimers.map { timer in
            (Event.timerFired(TimerFire(timer: timer.name, due: timer.due)), max(node.now, timer.due))
        }
        let operations = node.state.openTasks.filter { $0.kind.replyEvent != nil }.flatMap { task in
            [Event.retryTask(TaskAction(task: task.id)), .cancelTask(TaskAction(task: task.id))].map { ($0, later) }
        }
        return inputs.filter { accepted.contains($0.name) }.map { ($0, later) } + timers + operations
    }

    /// Who sends each event in the walk: a person of its own per event name, so that a decision is never taken by
    /// the person who asked for it (the four-eyes rules would refuse it, and the walk would miss its states).
    static func actor(of event: Event) -> String { "explorer:\(event.name.rawValue)" }

    private func label(of event: Event) -> String {
        if case .timerFired(let fire) = event { return "⏰ \(fire.timer.rawValue)" }
        return event.name.rawValue
    }

    /// The sample events, typed once.
    public static var sampleEvents: [Event] {
        EventName.allCases.flatMap { name in
            EventCatalog.samples(of: name).compactMap { try? Event(name: name.rawValue, data: $0) }
        }
    }

    /// The promises one state breaks, in words; empty when it keeps them all.
    ///
    /// - Parameters:
    ///   - state: the case to check.
    ///   - now: the time it is in.
    ///   - inputs: the events to try on it (by default every sample event).
    public func violations(in state: CaseState, at now: Date, trying inputs: [Event] = sampleEvents) -> [String] {
        var problems: [String] = []
        func violate(_ problem: String) { problems.append(problem) }
        if state.stage.isOpen && !state.hasNextStep {
            violate("open case in stage '\(state.stage.rawValue)' has no pending timer and no open task")
        }
        let accepted = Journey.acceptedEvents(in: state)
        // Closing, moving away, complaints and safeguarding are always possible; a case that can do nothing else
        // and waits for no timer is stuck.
        let progress = Set(accepted).subtracting(Self.alwaysAccepted)
        if state.stage.isOpen && progress.isEmpty && state.timers.isEmpty {
            violate("dead end: stage '\(state.stage.rawValue)' can only close and has no timer")
        }
        for timer in state.pendingTimers {
            let fire = Event.timerFired(TimerFire(timer: timer.name, due: timer.due))
            do {
                _ = try Journey.apply(
                    fire, to: state, at: max(now, timer.due), by: Self.actor(of: fire), policy: policy)
            } catch {
                violate("timer '\(timer.name.rawValue)' is pending but refused when it fires: \(error.message)")
            }
        }
        for task in state.tasks.values where policy.queues[task.kind] == nil {
            violate("task '\(task.kind.rawValue)' has no queue in the policy")
        }
        let later = now.addingTimeInterval(3600)
        for event in inputs {
            let name = event.name.rawValue
            let listed = accepted.contains(event.name)
            do {
                _ = try Journey.apply(event, to: state, at: later, by: Self.actor(of: event), policy: policy)
                if !listed {
                    violate("'\(name)' applied in stage '\(state.stage.rawValue)' but is not listed as accepted")
                }
            } catch {
                if listed && error.code == .notAccepted {
                    violate("'\(name)' is listed as accepted in '\(state.stage.rawValue)' but refused")
                }
                if !listed && error.code != .notAccepted {
                    violate(
                        "'\(name)' is not accepted in '\(state.stage.rawValue)' but refused with \(error.code) instead of not-accepted"
                    )
                }
            }
        }
        return problems
    }

    /// The effects, replayed onto the old timers and tasks, must give exactly the new ones.
    private func checkEffects(_ node: Node, _ transition: Transition, label: String, _ report: inout Report) {
        var timers = node.state.timers
        var tasks = node.state.tasks
        if label.hasPrefix("⏰"), let name = TimerName(rawValue: String(label.dropFirst(2))) { timers[name] = nil }
        for effect in transition.effects {
            switch effect {
            case .setTimer(let name, let due): timers[name] = due
            case .cancelTimer(let name): timers[name] = nil
            case .enqueue(let task): tasks[task.id] = task
            case .resolveTask(let id, _): tasks[id] = nil
            case .holdTask(let id, let holder): tasks[id]?.heldBy = holder
            case .notify, .close, .openCase: break
            }
        }
        if timers != transition.state.timers || tasks != transition.state.tasks {
            report.violations.append(
                Violation(
                    problem: "effects of '\(label)' do not match the new timers and tasks", path: node.path + [label]))
        }
    }

    private func record(from old: CaseState, to new: CaseState, label: String, _ report: inout Report) {
        var changed = false
        for machine in Machine.allCases {
            let before = machine.status(of: old)
            let after = machine.status(of: new)
            if before != after {
                changed = true
                report.edges.insert(Edge(machine: machine, from: before, label: label, to: after))
            }
        }
        // Timers and events that keep the journey where it is (weekly checks, plan edits) are part of it too.
        if !changed && Machine.journey.owns(label, in: old) {
            report.edges.insert(Edge(machine: .journey, from: old.stage.rawValue, label: label, to: new.stage.rawValue))
        }
    }
}

/// The machines of a case: the journey and the side machines that run beside it.
public enum Machine: String, CaseIterable, Sendable {
    case journey = "Case journey"
    case advocacy = "Advocacy"
    case safeguarding = "Safeguarding"
    case complaint = "Complaint"
    case directPayment = "Direct payment"
    case highCost = "High-cost approval"
    case financialAssessment = "Financial assessment"
    case continuingHealthcare = "NHS continuing healthcare"

    /// The machine's status in a case.
    public func status(of state: CaseState) -> String {
        switch self {
        case .journey: state.stage.rawValue
        case .advocacy: state.advocacy.status.rawValue
        case .safeguarding: state.safeguarding.status.rawValue
        case .complaint: state.complaint.status.rawValue
        case .directPayment: state.directPayment.status.rawValue
        case .highCost: state.highCost.status.rawValue
        case .financialAssessment: state.charging?.status.rawValue ?? "none"
        case .continuingHealthcare: (state.health ?? .none).chc.rawValue
        }
    }

    /// The status a new case starts in.
    public var initialStatus: String { status(of: CaseState(id: "new")) }

    func owns(_ label: String, in state: CaseState) -> Bool {
        let stageEvents: Set<String> = [
            EventName.planUpdated.rawValue, EventName.reablementProgressChecked.rawValue, "⏰ reablement.check",
            "⏰ reablement.end", EventName.jointFundingAgreed.rawValue, EventName.planCopySent.rawValue,
            EventName.s117AftercareRecorded.rawValue, EventName.s117AftercareEnded.rawValue,
        ]
        return self == .journey && stageEvents.contains(label)
    }
}

/// What makes two states alike for exploration: the same statuses, the same kinds of next step, the same
/// answers to the journey's rules. Dates and free text are left out, so the walk stays finite, and so is a legal
/// hold: it changes nothing the journey does (only what disposal does), so a held case is walked as its unheld
/// twin, and the walk is no longer for it (`LegalHoldTests` checks held cases' promises directly).
struct Signature: Hashable {
    let parts: [String]

    init(_ state: CaseState, policy: Policy) {
        let client = state.person?.clientType ?? .adult
        let planComplete =
            policy.plans.map {
                state.plan.missingItems($0.required(for: client), carer: client == .carer).isEmpty
                    && state.plan.inconsistencies.isEmpty
            } ?? state.plan.missingItems.isEmpty
        // The NHS's part counts only where the journey's rules read it: whether a CHC checklist may be recorded
        // (and, under Kent's checklist, whether one was), s117 aftercare under charging or Kent's checklist, and
        // joint funding and a complaint's subject under charging.
        let health = state.health ?? .none
        let kent = policy.highCost.checklist == .kent
        let charges = policy.charging != nil
        let chc: String =
            switch health.chc {
            case .referred, .funded: health.chc.rawValue
            case .none, .screenedOut, .declined: kent && health.checklistCompleted ? "completed" : "open"
            }
        // Joint funding changes the budget's amounts, not what the journey does next; an outcome's kind changes
        // what the person pays, not the journey (an exemption's own cycle shows in the timers); and the reason a
        // financial assessment is asked for is the task's detail for the finance team, not a different next step.
        let nhs = [chc, charges || kent ? String(health.s117Aftercare) : "-"]
        let detailless: Set<TaskKind> = [.financialAssessment, .chargingReminder]
        parts = [
            state.stage.rawValue, state.person?.clientType.rawValue ?? "-", state.advocacy.status.rawValue,
            state.safeguarding.status.rawValue, String(state.safeguarding.arrangementsSafe),
            state.complaint.status.rawValue, state.directPayment.status.rawValue, state.highCost.status.rawValue,
            String(planComplete), String(state.plan.directPayment != nil),
            String(state.plan.councilManaged != nil), state.plan.weeklyCost.description,
            String(state.firstSignedOffAt != nil), String(state.reviews.formalReviewDone),
            state.reviews.current?.type.rawValue ?? "-", state.reviews.overdue?.type.rawValue ?? "-",
            String(state.reablement?.overran ?? false), String(state.isFunded),
            state.closure?.reason.rawValue ?? "-",
            state.charging.map { "\($0.status.rawValue):\($0.provisional == true)" } ?? "-",
            nhs.joined(separator: ":"), charges ? state.complaint.about?.rawValue ?? "-" : "-",
            String(state.budgetSplit != nil),
            state.timers.keys.map(\.rawValue).sorted().joined(separator: ","),
            state.tasks.values.map { "\($0.kind.rawValue):\(detailless.contains($0.kind) ? "" : $0.detail ?? "")" }
                .sorted().joined(separator: ","),
        ]
    }
}
