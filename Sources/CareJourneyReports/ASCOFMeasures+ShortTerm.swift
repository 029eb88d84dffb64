import CareJourneyCore

/// ASCOF 2A (short-term support to maximise independence with no further request for long-term support) and 2D
/// (older people at home 12 weeks after reablement on discharge from hospital).
extension ASCOFMeasures {
    /// Reablement (ST-Max) services of one person that follow each other within 7 days, as one episode.
    struct Cluster {
        var start: CalendarDay
        var end: CalendarDay
        var rows: [ASCOFEvent]

        /// The outcome of the row that ends last (on a tie, the first in DHSC's hierarchy).
        var outcome: CLDCodes.Outcome? {
            rows.max { a, b in
                (a.endOrOpen, -(a.outcome?.hierarchy ?? 99)) < (b.endOrOpen, -(b.outcome?.hierarchy ?? 99))
            }?.outcome
        }
    }

    /// DHSC's clusters (`Create_ASCOF_2A_2425_Onwards.sql`): a service starting within 7 days of the latest end so far
    /// joins the cluster; an open service's end is far in the future.
    static func clusters(_ services: [ASCOFEvent]) -> [Cluster] {
        var clusters: [Cluster] = []
        for service in services.sorted(by: { ($0.start, $0.endOrOpen) < ($1.start, $1.endOrOpen) }) {
            if var last = clusters.last, service.start.dayNumber - last.end.dayNumber <= 7 {
                last.end = max(last.end, service.endOrOpen)
                last.rows.append(service)
                clusters[clusters.count - 1] = last
            } else {
                clusters.append(Cluster(start: service.start, end: service.endOrOpen, rows: [service]))
            }
        }
        return clusters
    }

    static let longTermTypes: Set<CLDCodes.ServiceType> = [.community, .nursing, .residential, .prison]

    /// The outcomes 2A counts (its denominator), and those of them that are not long-term support (its numerator).
    static let shortTermCounted: Set<String> = [
        "Short term support: Ongoing low level", "Short term support: Other short term",
        "Short term support: Residential or Nursing care", CLDCodes.Outcome.informationAndAdvice.rawValue,
        CLDCodes.Outcome.endedAsPlanned.rawValue, CLDCodes.Outcome.movedAway.rawValue, CLDCodes.Outcome.other.rawValue,
        CLDCodes.Outcome.noServicesOtherReason.rawValue, CLDCodes.Outcome.endedOtherReason.rawValue,
        CLDCodes.Outcome.otherLAService.rawValue,
    ]
    static let longTermOutcomes: Set<String> = Set(longTermTypes.map(\.rawValue))

    /// One reablement episode 2A counts: the person's age at its end, and what followed it.
    typealias Episode = (age: Int?, outcome: String)

    /// ASCOF 2A's reablement episodes of one person (all their events): those of a new client that ended in the
    /// period, with what followed each.
    static func shortTermEpisodes(of events: [ASCOFEvent], _ first: CalendarDay, _ last: CalendarDay) -> [Episode] {
        var episodes: [Episode] = []
        let reablement = events.filter { $0.isServiceUser && $0.isService && $0.serviceType == .reablement }
        for cluster in clusters(reablement) where cluster.end >= first && cluster.end <= last {
            let any = cluster.rows[0]
            let age = any.age(on: cluster.end)
            if let age, age < 18 { continue }
            if let died = any.died, died < cluster.start { continue }
            // New clients only: no long-term support before that ended within 91 days of the episode, or goes on.
            let earlier = events.contains { event in
                event.isService && event.serviceType.map(longTermTypes.contains) == true
                    && event.start < cluster.start
                    && event.endOrOpen.dayNumber > cluster.start.dayNumber - 91
            }
            if earlier { continue }
            episodes.append((age, sequel(of: cluster, among: events)))
        }
        return episodes
    }

    /// ASCOF 2A: of the reablement episodes of new clients that ended in the period, the share with no long-term
    /// support after them (`Create_ASCOF_2A_2425_Onwards.sql`), from every person's episodes.
    static func shortTermSupport(_ episodes: [Episode]) -> [ASCOFMeasure] {
        byAge(
            "2A",
            "Short-term support to maximise independence (reablement) ending in the period with no long-term support "
                + "after it (% of episodes of new clients)",
            episodes.filter { shortTermCounted.contains($0.outcome) || longTermOutcomes.contains($0.outcome) },
            age: \.age, counted: { shortTermCounted.contains($0.outcome) })
    }

    /// What followed an episode, as DHSC decides it: death within 7 days; admission to hospital; the most intensive
    /// service starting in it or within 7 days and going on after it; the best usable outcome of the events around
    /// its end; equipment given during it; else its own outcome.
    static func sequel(of cluster: Cluster, among events: [ASCOFEvent]) -> String {
        let end = cluster.end
        let week = end.adding(days: 7)
        if let died = cluster.rows[0].died, died <= week { return CLDCodes.Outcome.deceased.rawValue }
        let own = cluster.outcome
        if own == .admittedToHospital { return CLDCodes.Outcome.admittedToHospital.rawValue }
        let order: [CLDCodes.ServiceType] = [
            .nursing, .residential, .community, .prison, .reablement, .ongoingLowLevel, .otherShortTerm,
        ]
        let shortStays = ["Short term residential care", "Short term nursing care"]
        let inCluster = Set(cluster.rows.map { "\($0.start)|\($0.values[.eventReference] ?? "")" })
        let following = events.filter { event in
            event.isService && !inCluster.contains("\(event.start)|\(event.values[.eventReference] ?? "")")
                && event.start >= cluster.start && event.start <= week && event.endOrOpen > end
        }
        let best = following.compactMap { event in event.serviceType.map { (event, $0) } }.min { a, b in
            let rank = { (pair: (ASCOFEvent, CLDCodes.ServiceType)) in
                (order.firstIndex(of: pair.1) ?? 99, shortStays.contains(pair.0.component ?? "") ? 0 : 1)
            }
            return rank(a) < rank(b)
        }
        if let (event, type) = best {
            if type == .otherShortTerm, shortStays.contains(event.component ?? "") {
                return "Short term support: Residential or Nursing care"
            }
            return type.rawValue
        }
        var candidates: [CLDCodes.Outcome] = own.map { [$0] } ?? []
        for event in events where !event.isService {
            if event.start >= end && event.start <= week, let outcome = event.outcome, outcome != .endedAsPlanned {
                candidates.append(outcome)
            }
            let nested =
                (event.type == CLDEvent.EventType.assessment.rawValue
                    || event.type == CLDEvent.EventType.review.rawValue)
                && event.start >= cluster.start
                && event.end.map { $0 <= end && $0.dayNumber > end.dayNumber - 14 } == true
            if nested, let outcome = event.outcome { candidates.append(outcome) }
        }
        let rank = { (outcome: CLDCodes.Outcome) in outcome.hierarchy + (outcome.isUnusableSequel ? 100 : 0) }
        if let usable = candidates.min(by: { rank($0) < rank($1) }), !usable.isUnusableSequel {
            return usable.rawValue
        }
        let equipment = events.contains { event in
            event.isService && event.component == "Equipment" && event.start >= cluster.start && event.start <= end
        }
        if equipment { return CLDCodes.ServiceType.ongoingLowLevel.rawValue }
        return own?.rawValue ?? ""
    }

    /// One reablement episode 2D links to a discharge: the person's age at its start, and whether they were at home
    /// 12 weeks after the discharge.
    typealias Discharge = (age: Int, athome: Bool)

    /// ASCOF 2D's episodes of one person (all their events): reablement linked to a request from hospital
    /// discharge, in the period shifted back.
    static func discharges(of events: [ASCOFEvent], _ first: CalendarDay, _ last: CalendarDay) -> [Discharge] {
        var linked: [Discharge] = []
        let reablement = events.filter {
            $0.isServiceUser && $0.isService && $0.serviceType == .reablement
                && $0.component == CLDCodes.reablementComponent
        }
        let discharges = events.filter {
            $0.type == CLDEvent.EventType.request.rawValue
                && $0.values[.routeOfAccess] == CLDCodes.dischargeFromHospital
        }
        for cluster in clusters(reablement) where cluster.start >= first && cluster.start <= last {
            guard let age = cluster.rows[0].age(on: cluster.start), age >= 65,
                let discharge = discharges.filter({
                    $0.start.dayNumber >= cluster.start.dayNumber - 7
                        && $0.start.dayNumber <= cluster.start.dayNumber + 3
                }).map(\.start).max()
            else { continue }
            let later = discharge.adding(days: 84)
            let died = cluster.rows[0].died.map { $0 <= later } ?? false
            let careHome = events.contains { event in
                event.isService && (event.serviceType == .nursing || event.serviceType == .residential)
                    && event.start >= discharge && event.start <= later
            }
            linked.append((age, !died && !careHome))
        }
        return linked
    }

    /// ASCOF 2D, as far as CLD alone allows: DHSC links reablement to the hospital discharges of SUS data
    /// (`Create_ASCOF_2D.sql`), which a council's case records do not hold. We take a request routed "Discharge from
    /// Hospital" as the discharge (its start as the day), link it as DHSC does to reablement (component Reablement)
    /// starting 7 days before to 3 days after it, of people 65 and over, in the period shifted back three months;
    /// at home 12 weeks (84 days) later means not dead and no long-term residential or nursing care begun by then.
    /// Emergency readmissions are not known. From every person's linked episodes (`discharges(of:_:_:)`).
    static func hospitalDischarge(_ linked: [Discharge]) -> [ASCOFMeasure] {
        let name =
            "People 65 and over at home 12 weeks after reablement on discharge from hospital (%; CLD-only: a request "
            + "from hospital discharge stands for SUS's discharge, readmissions unknown; the period 3 months back)"
        func measure(_ group: String, _ items: [Discharge]) -> ASCOFMeasure {
            let numerator = items.filter(\.athome).count
            return ASCOFMeasure(
                id: "2D", name: name, group: group, numerator: numerator, denominator: items.count,
                value: ASCOFMeasure.percent(numerator, items.count), unit: "%")
        }
        return [
            measure("65 to 74", linked.filter { $0.age <= 74 }),
            measure("75 to 84", linked.filter { (75...84).contains($0.age) }),
            measure("85 and above", linked.filter { $0.age >= 85 }), measure("Total", linked),
        ]
    }
}
