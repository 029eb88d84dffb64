import CareJourneyCore
import CareJourneyFiles

/// `retention:`: how long closed cases are kept, rule by rule, and how often the service disposes of those kept long
/// enough (docs/policy-files.md#retention).
extension PolicyFile {
    static func readRetention(_ value: YAMLValue) throws(FileError) -> RetentionSchedule {
        let map = try value.mapping(allowed: ["rules", "dispose-every"])
        let items = try map.required("rules", hint: "list the rules, the first that covers a case deciding").sequence()
        var rules: [RetentionSchedule.Rule] = []
        for item in items {
            if let last = rules.last, last.when.coversEverything {
                throw item.error(
                    .inconsistent, "this rule is never used: the rule before it, '\(last.name)', covers every case",
                    hint: "put the rules with a condition first and the one without `when` last")
            }
            rules.append(try readRule(item, after: rules))
        }
        guard let last = rules.last, let lastItem = items.last else {
            throw map.owner.error(.missingKey, "retention.rules is empty", hint: "list at least one rule")
        }
        guard last.when.coversEverything else {
            throw lastItem.error(
                .inconsistent, "a closed case no rule covers would be kept for ever",
                hint: "end with a rule without `when`, such as { name: adults, keep: 8y }")
        }
        let every = try map.optional("dispose-every").map { value throws(FileError) in
            try positive(value, "the service cannot dispose every 0s", hint: "for example dispose-every: 1d")
        }
        return RetentionSchedule(rules: rules, disposeEvery: every)
    }

    private static func readRule(_ item: YAMLValue, after earlier: [RetentionSchedule.Rule]) throws(FileError)
        -> RetentionSchedule.Rule
    {
        let entry = try item.mapping(allowed: ["name", "when", "keep"])
        let nameValue = try entry.required("name", hint: "name the rule; its name is written on each certificate")
        let name = try nameValue.string()
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw nameValue.error(.badValue, "'\(name)' is not a rule name", hint: "use letters, digits, - or _")
        }
        if earlier.contains(where: { $0.name == name }) {
            throw nameValue.error(.inconsistent, "two rules are named '\(name)'", hint: "give each rule its own name")
        }
        let keep = try positive(
            try entry.required("keep", hint: "say how long after closing, like keep: 8y"),
            "a record cannot be disposed of as it closes", hint: "for example keep: 8y")
        return RetentionSchedule.Rule(
            name: name, when: try entry.optional("when").map(readCondition) ?? .init(), keep: keep)
    }

    private static func readCondition(_ value: YAMLValue) throws(FileError) -> RetentionSchedule.Condition {
        let map = try value.mapping(allowed: ["client-type", "closure-reason", "safeguarding-enquiry"])
        let reasons = try map.optional("closure-reason").map { value throws(FileError) in
            value.node.sequence == nil
                ? [try value.choice(ClosureReason.self)]
                : try value.sequence().map { item throws(FileError) in try item.choice(ClosureReason.self) }
        }
        let condition = RetentionSchedule.Condition(
            clientType: try map.optional("client-type")?.choice(ClientType.self), closureReasons: reasons,
            safeguardingEnquiry: try map.optional("safeguarding-enquiry")?.bool())
        if condition.coversEverything {
            throw value.error(
                .missingKey, "`when` gives no condition",
                hint:
                    "give client-type, closure-reason or safeguarding-enquiry, or leave `when` out to cover every case")
        }
        return condition
    }

    private static func positive(_ value: YAMLValue, _ message: String, hint: String) throws(FileError)
        -> PolicyDuration
    {
        let duration = try value.duration()
        if duration.isZero { throw value.error(.badValue, message, hint: hint) }
        return duration
    }
}
