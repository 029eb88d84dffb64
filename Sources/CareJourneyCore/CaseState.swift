import Foundation

/// Everything the journey knows about one case: its stage, its side machines, and its next steps (pending
/// timers and open tasks). It is a projection of the case's history: replaying the events rebuilds it.
///
/// A state is a large value (its `Record`: some thirty fields, two support plans among them) that the engine copies
/// at every transition — the case before and after, the committed event, the cache. It is held once, by reference,
/// and copied only when a holder changes it while another holds it too (copy on write), so a copy costs one
/// reference count, not one for each of its fields. Its fields are read and written as if they were its own
/// (`state.stage`, `state.plan.needs.append(…)`): each is a member of `Record`.
@dynamicMemberLookup
public struct CaseState: Hashable, Codable, Sendable {
    /// The fields of a case's state, stored once for every copy of the state that has not changed it.
    public struct Record: Hashable, Codable, Sendable {
        public let id: CaseID
        public var stage: Stage
        public var person: Person?
        public var openedAt: Date?
        public var reablement: ReablementEpisode?
        public var interimProvider: String?
        public var assessment: Assessment?
        public var eligibility: Eligibility?
        public var budget: PersonalBudget?
        public var plan: SupportPlan
        /// When the plan was first signed off; the review cycle runs from then.
        public var firstSignedOffAt: Date?
        /// When the plan was last signed off (the informal review counts from it).
        public var lastSignedOffAt: Date?
        /// Who has written the plan since it was last signed off, in order: none of them may approve it at the
        /// high-cost panel (four eyes). `nil` when no one has.
        public var planWriters: [String]?
        /// The plan as last signed off: what is being delivered while a revised plan is drafted.
        public var signedOffPlan: SupportPlan?
        /// The provider brokerage found for the council-managed part, and its weekly cost.
        public var provider: ProviderArranged?
        public var advocacy: Advocacy
        public var highCost: HighCostApproval
        public var safeguarding: Safeguarding
        public var complaint: Complaint
        public var directPayment: DirectPaymentAccount
        public var reviews: ReviewCycle
        public var transfer: Transfer?
        public var closure: Closure?
        /// The team and practitioner looking after the case (set by `reassign`).
        public var allocation: Allocation?
        /// A legal hold: while it stands the case is never disposed of (set by `hold`, ended by `release-hold`).
        public var hold: LegalHold?
        /// The financial assessment under the council's charging policy (only under a policy with `charging:`).
        public var charging: FinancialAssessment?
        /// The signed-off personal budget in its parts: the NHS's share, the person's contribution, the council's
        /// funding, and the direct payment as paid (only under a policy with `charging:`).
        public var budgetSplit: BudgetSplit?
        /// The NHS's part: Continuing Healthcare, joint funding, s117 aftercare (`nil` until one is recorded).
        public var health: HealthFunding?
        /// Pending timers by name, with their due times.
        public var timers: [TimerName: Date]
        /// Open tasks by id.
        public var tasks: [TaskID: CareTask]
        /// The number the next task will get.
        public var nextTaskNumber: Int

        /// The record of a case before its first contact.
        public init(id: CaseID) {
            self.id = id
            stage = .new
            plan = SupportPlan()
            advocacy = .none
            highCost = .none
            safeguarding = .none
            complaint = .none
            directPayment = .none
            reviews = .none
            timers = [:]
            tasks = [:]
            nextTaskNumber = 1
        }
    }

    @usableFromInline var storage: Storage

    /// A case before its first contact.
    public init(id: CaseID) {
        storage = Storage(Record(id: id))
    }

    /// Reads a field of the state.
    @inlinable public subscript<Value>(dynamicMember field: KeyPath<Record, Value>) -> Value {
        storage.record[keyPath: field]
    }

    /// Reads or changes a field of the state, in place: the record is copied first only if another state holds it.
    @inlinable public subscript<Value>(dynamicMember field: WritableKeyPath<Record, Value>) -> Value {
        get { storage.record[keyPath: field] }
        _modify {
            if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.record) }
            yield &storage.record[keyPath: field]
        }
    }

    public init(from decoder: any Decoder) throws { storage = Storage(try Record(from: decoder)) }

    /// Encoded as its record: the same keys as the record's fields, so stored snapshots read either way.
    public func encode(to encoder: any Encoder) throws { try storage.record.encode(to: encoder) }

    public static func == (lhs: CaseState, rhs: CaseState) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.record == rhs.storage.record
    }

    public func hash(into hasher: inout Hasher) { storage.record.hash(into: &hasher) }

    /// The box that holds a record for every state sharing it. Changed only through a state that holds it alone
    /// (`isKnownUniquelyReferenced`), so a box is never changed while shared, whatever thread reads it.
    @usableFromInline final class Storage: @unchecked Sendable {
        @usableFromInline var record: Record
        @usableFromInline init(_ record: Record) { self.record = record }
    }

    /// Whether the case has a next step: a pending timer or an open task. Every open case must.
    public var hasNextStep: Bool { !self.timers.isEmpty || !self.tasks.isEmpty }

    /// The open tasks in the order they were created.
    public var openTasks: [CareTask] { self.tasks.values.sorted { $0.id < $1.id } }

    /// The pending timers in due order.
    public var pendingTimers: [(name: TimerName, due: Date)] {
        self.timers.map { (name: $0.key, due: $0.value) }.sorted { ($0.due, $0.name) < ($1.due, $1.name) }
    }

    /// Whether the person relies on a direct payment or council-funded services (funding continues on a move).
    public var isFunded: Bool { self.budget?.confirmedWeekly != nil }

    /// The first open task of a kind, oldest first.
    public func openTask(_ kind: TaskKind) -> CareTask? {
        // Found without sorting every open task: the journey asks this a few times for every event.
        self.tasks.values.lazy.filter { $0.kind == kind }.min { $0.id < $1.id }
    }
}
