import CareJourneyCore

/// ASCOF 2B and 2C (permanent admissions to residential and nursing care), 2E (long-term support clients living in
/// their own home or with family) and 3D part 1 (self-directed support and direct payments, clients).
extension ASCOFMeasures {
    /// ASCOF 2B and 2C's admission of one person (all their events): `18 to 64` or `65 and above`, or `nil` when
    /// they were not admitted in the period.
    static func admission(of events: [ASCOFEvent], _ first: CalendarDay, _ last: CalendarDay) -> String? {
        let homes = events.filter { event in
            let component = event.component ?? ""
            return event.isServiceUser && event.isService
                && (event.serviceType == .residential || event.serviceType == .nursing)
                && (component.contains("esidential") || component.contains("ursing"))
                && !component.contains("hort") && event.born != nil
                && event.died.map { $0 >= event.start } ?? true
        }
        let admitted = homes.filter { home in
            home.start >= first && home.start <= last && home.outcome != .selfFunded
                && !homes.contains { earlier in
                    earlier.start < home.start && earlier.endOrOpen.dayNumber > home.start.dayNumber - 365
                }
        }
        let ages = admitted.compactMap { $0.age(on: $0.start) }.filter { $0 >= 18 }
        return ages.min().map { $0 <= 64 ? "18 to 64" : "65 and above" }
    }

    /// ASCOF 2B and 2C's admissions (`Create_ASCOF_2B2C_2425_Onwards.sql`): a service user's long-term residential or
    /// nursing care starting in the period, not self-funded, with no such care before it that ended within 365 days
    /// (or goes on), counted once a person (in the younger group if in both), from every person's
    /// (`admission(of:_:_:)`). The rate per 100,000 needs the ONS population, which CLD does not hold: without it
    /// the counts are given with no rate.
    static func admissions(_ bands: [String], population: (Int?, Int?) = (nil, nil)) -> [ASCOFMeasure] {
        let working = bands.filter { $0 == "18 to 64" }.count
        let older = bands.count - working
        func rate(_ count: Int, _ population: Int?) -> Double? {
            population.flatMap { $0 > 0 ? (Double(count) / Double($0) * 1_000_000).rounded() / 10 : nil }
        }
        return [
            ASCOFMeasure(
                id: "2B",
                name: "Adults 18 to 64 whose long-term needs are met by admission to residential or nursing "
                    + "care (per 100,000 people 18 to 64)",
                group: "18 to 64", numerator: working, denominator: population.0 ?? 0,
                value: rate(working, population.0), unit: "per 100,000"),
            ASCOFMeasure(
                id: "2C",
                name: "Adults 65 and over whose long-term needs are met by admission to residential or "
                    + "nursing care (per 100,000 people 65 and over)",
                group: "65 and above", numerator: older, denominator: population.1 ?? 0,
                value: rate(older, population.1), unit: "per 100,000"),
        ]
    }

    /// The accommodation statuses ASCOF 2E counts as the person's own home or with family (DHSC's group 1 in
    /// `#REF_Accommodation_Status`).
    static let settled: Set<String> = [
        "Owner occupier or shared ownership scheme", "Tenant: Local authority or other social housing provider",
        "Tenant: Private landlord", "Settled mainstream housing with family or friends",
        "Supported accommodation, supported lodgings or supported group home", "Shared Lives scheme",
        "Approved premises for offenders released from prison or under probation supervision",
        "Sheltered housing, extra care housing or other sheltered housing",
        "Mobile accommodation for Gypsy, Roma and Traveller communities",
    ]

    /// A client 2E counts: their age, and whether they live in their own home or with family.
    typealias Client = (age: Int, settled: Bool)

    /// One person (all their events) as ASCOF 2E counts them (`ownHome(_:learningDisability:)`), or `nil` if it
    /// does not; with `learningDisability`, as 2E LD does.
    static func ownHomeClient(
        of events: [ASCOFEvent], _ first: CalendarDay, _ last: CalendarDay, learningDisability: Bool
    ) -> Client? {
        let support = events.filter { event in
            event.isServiceUser && event.isService && event.serviceType.map(longTermTypes.contains) == true
                && event.start <= last && event.endOrOpen >= first
        }
        guard let latest = support.max(by: { $0.endOrOpen < $1.endOrOpen }) else { return nil }
        if let died = latest.died, died < first { return nil }
        guard let age = latest.age(on: min(latest.endOrOpen, last)), age >= 18 else { return nil }
        if learningDisability {
            guard (18...64).contains(age), latest.values[.primarySupportReason] == CLDCodes.learningDisability
            else { return nil }
        }
        let stated = latest.values[.accommodationStatus] ?? "Unknown"
        return (age, stated == "Unknown" ? inferredSettled(latest) : settled.contains(stated))
    }

    /// ASCOF 2E (`Create_ASCOF_2E_2425_Onwards.sql`): of the service users with long-term support at any time in the
    /// period, alive at its start, 18 or over (unknown ages left out), the share living in their own home or with
    /// family; an unknown accommodation is inferred from their latest long-term service as DHSC infers it. With
    /// `learningDisability`, 2E LD: those 18 to 64 whose primary support reason is learning disability support. From
    /// every person's (`ownHomeClient(of:_:_:learningDisability:)`).
    static func ownHome(_ clients: [Client], learningDisability: Bool) -> [ASCOFMeasure] {
        if learningDisability {
            let numerator = clients.filter(\.settled).count
            return [
                ASCOFMeasure(
                    id: "2E LD",
                    name: "Adults 18 to 64 with a learning disability in long-term support living in their own home or "
                        + "with their family (%)",
                    group: "18 to 64", numerator: numerator, denominator: clients.count,
                    value: ASCOFMeasure.percent(numerator, clients.count), unit: "%")
            ]
        }
        return byAge(
            "2E", "Adults in long-term support living in their own home or with their family (%)", clients,
            age: { $0.age }, counted: \.settled, totalTakesUnknown: false)
    }

    /// DHSC's inference for an unknown accommodation, from the latest long-term service: at home when the person has
    /// home support, Shared Lives, extra care or supported living; not when in a care home, prison or other community
    /// support.
    static func inferredSettled(_ service: ASCOFEvent) -> Bool {
        guard service.serviceType == .community else { return false }
        return [
            CLDCodes.homeSupport, "Shared Lives", "Extra care housing", "Community supported living",
        ].contains(service.component ?? "")
    }

    /// ASCOF 3D part 1 (`Create_ASCOF_3D_2425_Onwards.sql`): of the service users in long-term community support on
    /// the period's last day, the share with self-directed support (1a: a direct payment or a managed personal
    /// budget) and with a direct payment (2a). Each person's setting is the first of DHSC's hierarchy: nursing,
    /// residential, community with a direct payment, with a managed budget, commissioned, other community, prison.
    static func selfDirectedSupport(_ clients: [Setting]) -> [ASCOFMeasure] {
        byAge(
            "3D 1a", "Service users in long-term community support receiving self-directed support (%)", clients,
            age: \.age, counted: { $0.rank <= 4 })
            + byAge(
                "3D 2a", "Service users in long-term community support receiving direct payments (%)", clients,
                age: \.age, counted: { $0.rank == 3 })
    }

    /// A client 3D counts: their age, and their setting's place in DHSC's hierarchy (3 to 6: community support).
    typealias Setting = (age: Int?, rank: Int)

    /// One person (all their events) as ASCOF 3D part 1 counts them (`selfDirectedSupport(_:)`), or `nil` if it
    /// does not.
    static func selfDirectedClient(of events: [ASCOFEvent], _ last: CalendarDay) -> Setting? {
        let ranks = events.compactMap { event -> Int? in
            guard event.isServiceUser, event.isService, let type = event.serviceType, longTermTypes.contains(type),
                event.start <= last, event.endOrOpen >= last, event.died.map({ $0 >= last }) ?? true
            else { return nil }
            let mechanism =
                event.component == CLDCodes.directPaymentComponent
                ? CLDCodes.DeliveryMechanism.directPayment
                : event.values[.deliveryMechanism].flatMap(CLDCodes.DeliveryMechanism.init)
            switch (type, mechanism) {
            case (.nursing, _): return 1
            case (.residential, _): return 2
            case (.community, .directPayment): return 3
            case (.community, .managedPersonalBudget): return 4
            case (.community, .commissioned): return 5
            case (.community, nil): return 6
            case (.prison, .managedPersonalBudget): return 7
            case (.prison, .commissioned): return 8
            default: return 9
            }
        }
        guard let rank = ranks.min(), (3...6).contains(rank) else { return nil }
        return (events[0].age(on: last), rank)
    }
}
