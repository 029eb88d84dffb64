import CareJourneyCore
import CareJourneyFiles

/// `charging:` and `plans:`: the council's charging policy, what its plans must hold, and its reasonable rates
/// (docs/policy-files.md#charging, #plans).
extension PolicyFile {
    /// The longest interval between financial assessments. Wiltshire: "Existing support plans and financial
    /// contributions will be re-assessed or reviewed at regular intervals (not longer than 12 months)".
    static let longestReassessment = PolicyDuration.months(12)

    static func readCharging(_ value: YAMLValue) throws(FileError) -> Policy.Charging {
        let map = try value.mapping(allowed: [
            "reassess-every", "reminder-lead", "exemptions", "free-period", "sign-off-pending-assessment",
            "direct-payments",
        ])
        let everyValue = try map.required("reassess-every", hint: "how often contributions are re-assessed, like 12mo")
        let every = try everyValue.duration()
        if every.isZero || every.approximateSeconds > longestReassessment.approximateSeconds {
            throw everyValue.error(
                .badValue, "contributions are re-assessed at least every 12 months, and after more than nothing",
                hint: "Wiltshire: \"re-assessed or reviewed at regular intervals (not longer than 12 months)\"; "
                    + "for example reassess-every: 12mo")
        }
        let leadValue = try map.required("reminder-lead", hint: "how long before a re-assessment is due, like 28d")
        let lead = try leadValue.duration()
        if lead.approximateSeconds >= every.approximateSeconds {
            throw leadValue.error(
                .inconsistent, "the reminder lead (\(lead)) is not shorter than the re-assessment interval (\(every))",
                hint: "a lead of a few weeks is usual")
        }
        let exemptionsValue = try map.required(
            "exemptions", hint: "list the exemptions the council grants, at least s117-aftercare")
        var exemptions: [ChargingExemption] = []
        for item in try exemptionsValue.sequence() {
            let exemption = try item.choice(ChargingExemption.self)
            if exemptions.contains(exemption) {
                throw item.error(.inconsistent, "'\(exemption.rawValue)' is listed twice", hint: "list it once")
            }
            exemptions.append(exemption)
        }
        if !exemptions.contains(.s117Aftercare) {
            throw exemptionsValue.error(
                .inconsistent, "s117 aftercare is not among the exemptions",
                hint: "aftercare under s117 of the Mental Health Act 1983 cannot be charged for (Wiltshire: "
                    + "\"receiving aftercare for mental health needs you will not be asked to pay\"): add s117-aftercare")
        }
        let freeValue = map.optional("free-period")
        let free = try freeValue.map { value throws(FileError) in try value.duration() }
        if exemptions.contains(.freePeriod) {
            guard let free, !free.isZero else {
                throw (freeValue ?? exemptionsValue).error(
                    .missingKey, "the free-period exemption needs the free period's length",
                    hint: "add free-period: 6w (Wiltshire: \"Initial support can be offered free for up to 6 weeks\")")
            }
            if lead.approximateSeconds >= free.approximateSeconds {
                throw leadValue.error(
                    .inconsistent, "the reminder lead (\(lead)) is not shorter than the free period (\(free))",
                    hint: "the reminder goes out before the free period ends: make the lead shorter")
            }
        } else if let freeValue {
            throw freeValue.error(
                .inconsistent, "a free period is given but free-period is not among the exemptions",
                hint: "add free-period to exemptions, or remove free-period")
        }
        let pending = try map.optional("sign-off-pending-assessment")?.bool()
        let payments = try map.optional("direct-payments")?.choice(Policy.DirectPaymentCharging.self)
        return Policy.Charging(
            reassessEvery: every, reminderLead: lead, exemptions: exemptions, freePeriod: free,
            signOffPendingAssessment: pending ?? false, directPayments: payments ?? .net)
    }

    static func readPlans(_ value: YAMLValue) throws(FileError) -> Policy.Plans {
        let map = try value.mapping(allowed: ["person", "carer", "reasonable-rates"])
        func items(_ key: String) throws(FileError) -> [PlanItem] {
            let list = try map.required(key, hint: "list what a \(key)'s plan must hold: \(PlanItem.allowedWords)")
            var items: [PlanItem] = []
            for entry in try list.sequence() {
                let item = try entry.choice(PlanItem.self)
                if items.contains(item) {
                    throw entry.error(.inconsistent, "'\(item.rawValue)' is listed twice", hint: "list it once")
                }
                items.append(item)
            }
            if items.isEmpty { throw list.error(.missingKey, "plans.\(key) is empty", hint: "list at least one item") }
            return items
        }
        var rates: [String: Money]?
        if let rateMap = map.optional("reasonable-rates") {
            rates = [:]
            for (name, key, price) in try rateMap.namedEntries() {
                guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
                    throw key.error(.badValue, "'\(name)' is not a rate's name", hint: "use letters, digits and -")
                }
                let money = try price.money()
                if money <= .zero {
                    throw price.error(.badValue, "a reasonable rate is more than nothing", hint: "for example 21.50")
                }
                rates?[name] = money
            }
        }
        return Policy.Plans(person: try items("person"), carer: try items("carer"), reasonableRates: rates)
    }
}
