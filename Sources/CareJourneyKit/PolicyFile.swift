import CareJourneyCore
import CareJourneyFiles
import Foundation

/// Reads and validates a council's policy file (`workflows/*.yaml`) into a `Policy`.
///
/// Every key is known, every value typed, every number consistent; otherwise a `FileError` names the file,
/// line and key, with a hint. The format is documented in `docs/policy-files.md`.
public enum PolicyFile {
    /// Loads a policy file from disk.
    ///
    /// - Parameter path: the file's path, as the user wrote it (used in messages).
    /// - Throws: `FileError` when the file cannot be read or is not a valid policy.
    public static func load(_ path: String) throws(FileError) -> Policy {
        try read(YAMLValue.load(path, what: "policy file", hint: "check the path; shipped policies are in workflows/"))
    }

    /// Parses a policy from YAML text.
    ///
    /// - Parameters:
    ///   - text: the YAML.
    ///   - file: the name to use in messages.
    public static func parse(_ text: String, file: String) throws(FileError) -> Policy {
        try read(YAMLValue.document(text, file: file))
    }

    private static func read(_ document: YAMLValue) throws(FileError) -> Policy {
        let root = try document.mapping(allowed: [
            "id", "council", "reablement", "reviews", "direct-payments", "transfer", "high-cost", "ras", "queues",
            "served-by", "task-due", "roles", "retention", "charging", "plans", "calendar",
        ])
        let reablementMap = try root.required("reablement").mapping(allowed: ["maximum", "check-every"])
        let reablement = Policy.Reablement(
            maximum: try reablementMap.required("maximum").duration(),
            checkEvery: try reablementMap.required("check-every").duration())
        let reviews = try readReviews(try root.required("reviews"))
        let dp = try root.required("direct-payments").mapping(allowed: ["audit-every"])
        let transfer = try root.required("transfer").mapping(allowed: ["funding-continues"])
        let highCost = try root.required("high-cost").mapping(allowed: ["weekly-threshold", "checklist"])
        let queues = try readQueues(try root.required("queues"))
        let policy = Policy(
            id: try root.required("id").string(),
            council: try root.required("council").string(),
            reablement: reablement,
            reviews: reviews,
            directPayments: .init(auditEvery: try dp.required("audit-every").duration()),
            transfer: .init(fundingContinues: try transfer.required("funding-continues").duration()),
            highCost: .init(
                weeklyThreshold: try highCost.required("weekly-threshold").money(),
                checklist: try highCost.optional("checklist")?.choice(Policy.HighCost.Checklist.self)),
            ras: try readRAS(try root.required("ras")),
            queues: queues,
            minimumRoles: try root.optional("roles").map(readRoles),
            retention: try root.optional("retention").map(readRetention),
            charging: try root.optional("charging").map(readCharging),
            plans: try root.optional("plans").map(readPlans),
            calendar: try root.optional("calendar").map(readCalendar),
            servedBy: try readServedBy(
                try root.required("served-by", hint: "add `served-by:` with the queues `people:` serve and those `workers:` serve"),
                queues: queues),
            taskDue: try root.optional("task-due").map(readTaskDue))
        try check(policy, root)
        return policy
    }

    private static func readReviews(_ value: YAMLValue) throws(FileError) -> Policy.Reviews {
        let map = try value.mapping(allowed: [
            "informal-after", "first-formal-opens", "first-formal-due", "planned-interval", "reminder-lead",
            "escalate-after",
        ])
        return Policy.Reviews(
            informalAfter: try map.required("informal-after").duration(),
            firstFormalOpens: try map.required("first-formal-opens").duration(),
            firstFormalDue: try map.required("first-formal-due").duration(),
            plannedInterval: try map.required("planned-interval").duration(),
            reminderLead: try map.required("reminder-lead").duration(),
            escalateAfter: try map.required("escalate-after").duration())
    }

    private static func readRAS(_ value: YAMLValue) throws(FileError) -> ResourceAllocation {
        let map = try value.mapping(allowed: ["bands", "informal-support-reduction"])
        var bands: [ResourceAllocation.Band] = []
        for item in try map.required("bands").sequence() {
            let band = try item.mapping(allowed: ["min-points", "max-points", "weekly"])
            let next = ResourceAllocation.Band(
                minPoints: try band.required("min-points").int(), maxPoints: try band.required("max-points").int(),
                weekly: try band.required("weekly").money())
            let expected = (bands.last?.maxPoints).map { $0 + 1 } ?? 0
            guard next.minPoints == expected, next.maxPoints >= next.minPoints else {
                throw item.error(
                    .inconsistent,
                    "band \(next.minPoints)–\(next.maxPoints) does not follow on from the band before",
                    hint:
                        "bands start at 0 and each starts one point after the last ended (here: min-points: \(expected))"
                )
            }
            bands.append(next)
        }
        if bands.isEmpty { throw map.owner.error(.missingKey, "ras.bands is empty", hint: "list at least one band") }
        let reductionMap = try map.required("informal-support-reduction")
            .mapping(allowed: InformalSupport.allCases.map(\.rawValue))
        var reductions: [InformalSupport: Double] = [:]
        for level in InformalSupport.allCases {
            reductions[level] = try reductionMap.required(level.rawValue).fraction()
        }
        return ResourceAllocation(bands: bands, informalSupportReduction: reductions)
    }

    private static func readQueues(_ value: YAMLValue) throws(FileError) -> [TaskKind: String] {
        let map = try value.mapping(allowed: TaskKind.allCases.map(\.rawValue))
        var queues: [TaskKind: String] = [:]
        for kind in TaskKind.allCases {
            // The tasks of sections a file may leave out are checked against those sections (`checkQueues`).
            if optionalQueues.contains(kind) && map.optional(kind.rawValue) == nil { continue }
            let queue = try map.required(kind.rawValue, hint: "add `\(kind.rawValue): <queue>` (\(kind.summary))")
            let name = try queue.string()
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_" }) else {
                throw queue.error(.badValue, "'\(name)' is not a queue name", hint: "use letters, digits, - . or _")
            }
            queues[kind] = name
        }
        return queues
    }

    /// `roles:`: events whose minimum role the council raises, each at least the catalog's minimum.
    private static func readRoles(_ value: YAMLValue) throws(FileError) -> [EventName: Role] {
        let people = EventName.allCases.filter { !Event.systemEvents.contains($0) }
        let map = try value.mapping(allowed: people.map(\.rawValue))
        var roles: [EventName: Role] = [:]
        for name in people {
            guard let entry = map.optional(name.rawValue) else { continue }
            let role = try entry.choice(Role.self)
            let least = EventCatalog.minimumRole(of: name)
            guard role >= least else {
                throw entry.error(
                    .badValue,
                    "'\(name.rawValue)' needs at least the \(least.rawValue) role; a policy may raise a minimum, never lower it",
                    hint:
                        "use \(Role.allCases.filter { $0 >= least }.map(\.rawValue).joined(separator: " or ")), or leave it out"
                )
            }
            roles[name] = role
        }
        return roles
    }

    /// Numbers that are each fine but wrong together.
    /// Tasks only a section a file may leave out opens, or that a file written before them may lack: a financial
    /// assessment and its reminder (`charging:`), a copy of the plan (`plans:`), and a CHC referral, without whose
    /// queue a positive CHC checklist is refused.
    static let optionalQueues: Set<TaskKind> = [.financialAssessment, .chargingReminder, .sendPlanCopy, .chcReferral]

    /// The queues the policy's sections need: a policy that charges routes financial assessments and their
    /// reminders; one with `plans:` routes copies of plans; one with Kent's checklist routes CHC referrals (its item
    /// 18 asks for a CHC checklist).
    private static func checkQueues(_ policy: Policy, _ root: YAMLMapping) throws(FileError) {
        var needed: [(TaskKind, String)] = []
        if policy.charging != nil {
            needed += [(.financialAssessment, "charging"), (.chargingReminder, "charging")]
        }
        if policy.plans != nil { needed.append((.sendPlanCopy, "plans")) }
        if policy.highCost.checklist == .kent { needed.append((.chcReferral, "high-cost.checklist: kent")) }
        for (kind, section) in needed where policy.queues[kind] == nil {
            let queues = root.optional("queues")
            throw FileError(
                .missingKey, "the key '\(kind.rawValue)' is missing: `\(section)` needs it", file: root.owner.file,
                line: queues?.line, key: "queues", hint: "add `\(kind.rawValue): <queue>` (\(kind.summary))")
        }
    }

    private static func check(_ policy: Policy, _ root: YAMLMapping) throws(FileError) {
        try checkQueues(policy, root)
        try checkWorkingDays(policy, root)
        func fail(_ section: String, _ key: String, _ message: String, _ hint: String) throws(FileError) {
            let sectionValue = root.optional(section)
            let line = sectionValue?.node.mapping?[key]?.mark?.line ?? sectionValue?.line
            throw FileError(
                .inconsistent, message, file: root.owner.file, line: line, key: "\(section).\(key)", hint: hint)
        }
        let reviews = policy.reviews
        if policy.reablement.checkEvery.isZero || policy.reablement.maximum.isZero {
            try fail(
                "reablement", "check-every", "reablement's maximum and check interval must be more than zero",
                "for example maximum: 6w, check-every: 1w")
        }
        if policy.reablement.checkEvery.approximateSeconds >= policy.reablement.maximum.approximateSeconds {
            try fail(
                "reablement", "check-every",
                "reablement is checked every \(policy.reablement.checkEvery), not within its maximum of \(policy.reablement.maximum)",
                "the check interval must be shorter than the maximum, for example 1w within 6w")
        }
        if reviews.reminderLead.approximateSeconds >= reviews.firstFormalDue.approximateSeconds {
            try fail(
                "reviews", "reminder-lead",
                "the reminder lead (\(reviews.reminderLead)) is not shorter than the first formal review's due time (\(reviews.firstFormalDue))",
                "a lead of a week or two is usual")
        }
        if reviews.firstFormalOpens.approximateSeconds > reviews.firstFormalDue.approximateSeconds {
            try fail(
                "reviews", "first-formal-opens",
                "the first formal review's window opens (\(reviews.firstFormalOpens)) after it is due (\(reviews.firstFormalDue))",
                "the window opens first: for example opens 6w, due 8w")
        }
        if reviews.plannedInterval.isZero || reviews.firstFormalDue.isZero {
            try fail(
                "reviews", "planned-interval", "review intervals must be more than zero",
                "for example planned-interval: 12mo")
        }
        if reviews.reminderLead.approximateSeconds >= reviews.plannedInterval.approximateSeconds {
            try fail(
                "reviews", "reminder-lead",
                "the reminder lead (\(reviews.reminderLead)) is not shorter than the review interval (\(reviews.plannedInterval))",
                "a lead of a week or two is usual")
        }
        if policy.directPayments.auditEvery.isZero {
            try fail(
                "direct-payments", "audit-every", "the audit interval must be more than zero",
                "for example audit-every: 12mo")
        }
    }
}
