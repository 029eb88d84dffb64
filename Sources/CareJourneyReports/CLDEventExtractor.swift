import CareJourneyCore
import Foundation

/// Reads a case's history into its CLD events: each request, assessment, service and review, with when it
/// started and ended and how, and the carer known by association when the person relies on one who has no record of
/// their own. Events after `until` are not read, so an event still going on then has no end (a service going on has
/// the outcome "Continuation of support or services"). The person's fields come from the whole history, so a detail
/// put right after the period fills its rows.
public struct CLDEventExtractor: Sendable {
    /// The council's CLD code, written on every row.
    public let laCode: String
    /// The first instant not read.
    public let until: Date
    /// The calendar the rows' dates are days on: the report period's (the council's zone).
    public let calendar: Calendar

    /// Creates an extractor reading up to the end of `period`, writing dates as days in its zone.
    public init(laCode: String, period: ReportPeriod) {
        self.laCode = laCode
        until = period.end
        calendar = period.calendar
    }

    /// The case's events in the order they started; a carer known by association last.
    public func events(of history: CaseHistory) -> [CLDEvent] {
        var walk = Walk(id: history.id)
        for (index, step) in history.steps.enumerated() where step.at < until {
            walk.read(step, before: history.state(before: index))
        }
        let person = history.latest.person
        var seen: [String: Int] = [:]
        var events = (walk.done + walk.openEvents).sorted {
            ($0.start, $0.type?.rawValue ?? "") < ($1.start, $1.type?.rawValue ?? "")
        }
        if person?.clientType == .adult, let carer = walk.carerKnownByAssociation {
            var row = CLDEvent(carerOf: history.id, id: "\(history.id.rawValue)-carer", since: carer.since)
            Self.fillName(&row, carer.name)
            events.append(row)
        }
        return events.map { event in
            var event = event
            event.values[.laCode] = laCode.isEmpty ? nil : laCode
            if event.type == .service && !event.isEnded { event.values[.outcome] = CLDCodes.Outcome.continuation.rawValue }
            guard event.type != nil else { return event }
            event.writeDates(on: calendar)
            if let person {
                Self.fill(
                    &event, with: person, carerRelied: walk.carerKnownByAssociation != nil,
                    diedBefore: CLDDate.calendarDay(of: until, in: calendar))
            }
            let key = Self.reference(of: event, on: calendar)
            seen[key, default: 0] += 1
            event.values[.eventReference] = seen[key] == 1 ? key : "\(key)-\(seen[key] ?? 1)"
            return event
        }
    }

    /// A reference stable across runs: the person, the type, the start day, the client type and the type's own
    /// keys (route, assessment type, service type, component and mechanism, review reason).
    static func reference(of event: CLDEvent, on calendar: Calendar) -> String {
        func code(_ column: CLDColumn) -> String {
            (event.values[column] ?? "").lowercased().filter { $0.isLetter || $0.isNumber }
        }
        let keys: [String]
        switch event.type {
        case .request: keys = [code(.routeOfAccess)]
        case .assessment: keys = [code(.assessmentType)]
        case .service: keys = [code(.serviceType), code(.serviceComponent), code(.deliveryMechanism)]
        case .review: keys = [code(.reviewReason)]
        case nil: keys = []
        }
        let day = ReportPeriod.day(of: event.start, calendar).replacingOccurrences(of: "-", with: "")
        let type = (event.type?.rawValue ?? "").prefix(3).uppercased()
        return ([event.caseID.rawValue, type, day, code(.clientType)] + keys).filter { !$0.isEmpty }
            .joined(separator: "/")
    }

    /// The person's columns, from what is known of them now; a death on or after `diedBefore` (the day `until`
    /// falls on) is not the period's.
    private static func fill(_ event: inout CLDEvent, with person: Person, carerRelied: Bool, diedBefore: CalendarDay) {
        let details = person.details ?? PersonDetails()
        let serviceUser = person.clientType == .adult
        fillName(&event, person.name)
        event.values[.nhsNumber] = details.nhsNumber
        event.values[.gpPracticeCode] = details.gpPracticeCode?.text
        event.values[.gpPracticeName] = details.gpPracticeName
        event.values[.gender] = details.gender.map(CLDCodes.gender)
        event.values[.ethnicity] = details.ethnicity.map(CLDCodes.ethnicity)
        event.values[.dateOfBirth] = details.dateOfBirth.map(CLDDate.text(of:))
        if let died = details.dateOfDeath, died < diedBefore {
            event.values[.dateOfDeath] = CLDDate.text(of: died)
        }
        event.values[.postcode] = details.postcode
        event.values[.primarySupportReason] = (details.primarySupportReason ?? (serviceUser ? nil : .supportToUnpaidCarer))
            .map(CLDCodes.primarySupportReason)
        event.values[.accommodationStatus] = details.accommodationStatus.map(CLDCodes.accommodation)
        event.values[.employmentStatus] = details.employmentStatus.map(CLDCodes.employment)
        // An assessment that found a carer relied on tells us the person has one, if nobody recorded it.
        event.values[.hasUnpaidCarer] = (details.hasUnpaidCarer ?? (carerRelied ? .yes : nil)).map(CLDCodes.yesNo)
        if serviceUser {
            event.values[.autism] = details.autism.map(CLDCodes.yesNo)
            event.values[.visualImpairment] = details.visualImpairment.map(CLDCodes.visual)
            event.values[.hearingImpairment] = details.hearingImpairment.map(CLDCodes.hearing)
            event.values[.dementia] = details.dementia.map(CLDCodes.yesNo)
            event.values[.clientFundingStatus] = details.clientFundingStatus.map(CLDCodes.funding)
        } else {
            event.values[.adultsCaredFor] = details.adultsCaredFor.map(String.init)
            let linked = details.caredForIDs ?? []
            for (column, id) in zip([CLDColumn.linkedPerson1, .linkedPerson2, .linkedPerson3], linked) {
                event.values[column] = id
            }
        }
    }

    /// First Name: every word of the name but the last; Last Name: the last.
    static func fillName(_ event: inout CLDEvent, _ name: String?) {
        let words = (name ?? "").split(whereSeparator: \.isWhitespace)
        guard let last = words.last else { return }
        event.values[.lastName] = String(last)
        event.values[.firstName] = words.count > 1 ? words.dropLast().joined(separator: " ") : nil
    }
}

/// The walk over one history: the events under way and those ended.
private struct Walk {
    let id: CaseID
    var done: [CLDEvent] = []
    var request: CLDEvent?
    var assessment: CLDEvent?
    var review: CLDEvent?
    var services: [ServiceLine: CLDEvent] = [:]
    /// The interim support brokerage arranged, while it lasts.
    var interim: ProviderArranged?
    /// A carer the last assessment found the person relies on, with no record of their own (not one who accepted an
    /// assessment of their own: they have their own case).
    var carerKnownByAssociation: (since: Date, name: String?)?

    init(id: CaseID) { self.id = id }

    var openEvents: [CLDEvent] { [request, assessment, review].compactMap { $0 } + services.values }

    mutating func read(_ step: CaseHistory.Step, before: CaseState) {
        let after = step.state
        let clientType = after.person?.clientType ?? before.person?.clientType ?? .adult
        let leftOutcome: CLDCodes.Outcome? =
            after.stage == .closed
            ? after.closure.map { CLDCodes.outcome(closedAs: $0.reason) }
            : after.stage == .transferring ? .movedAway : nil

        // Requests: from each contact to the decision that ends the contact stage.
        if case .contact(let contact) = step.event {
            var event = CLDEvent(caseID: id, type: .request, clientType: clientType, start: step.at)
            event.values[.routeOfAccess] = CLDCodes.routeOfAccess(contact.route)
            request = event
        } else if before.stage == .contact, after.stage != .contact, var event = request {
            let outcome: CLDCodes.Outcome? =
                switch step.event {
                case .giveInformationAndAdvice: .informationAndAdvice
                case .offerReablement: .toReablement
                case .startAssessment: .toAssessmentOrReview
                case .startInterimSupport: .toSupportPlanning
                default: leftOutcome
                }
            event.finish(at: step.at, outcome: outcome)
            done.append(event)
            request = nil
        }

        // Assessments: from the start of each (re-)assessment to the eligibility decision, or the closure.
        if let started = after.assessment, started.startedAt != before.assessment?.startedAt {
            var event = CLDEvent(caseID: id, type: .assessment, clientType: clientType, start: started.startedAt)
            event.values[.assessmentType] = CLDCodes.assessmentType(started.kind)
            assessment = event
        } else if var event = assessment {
            if case .assessmentCompleted(let result) = step.event {
                event.values[.assessmentMethod] = result.participants.map(CLDCodes.participants)
                carerKnownByAssociation = result.carerReliedOn == true ? (step.at, nil) : nil
            }
            if case .eligibilityDecided(let decision) = step.event {
                event.values[.eligibleNeeds] = CLDCodes.eligibleNeeds(decision.eligible)
                event.finish(at: step.at, outcome: decision.eligible ? .toSupportPlanning : .noServicesOtherReason)
                done.append(event)
                assessment = nil
            } else if let outcome = leftOutcome {
                event.values[.eligibleNeeds] = CLDCodes.eligibleNeeds(false)
                event.finish(at: step.at, outcome: outcome)
                done.append(event)
                assessment = nil
            } else {
                assessment = event
            }
        }
        if case .carerAssessmentOffered(let offer) = step.event, carerKnownByAssociation != nil {
            carerKnownByAssociation = offer.accepted ? nil : (carerKnownByAssociation?.since ?? step.at, offer.carerName)
        }

        // Reviews (the informal 72-hour check is not a CLD review): from start to completion, or the closure.
        if let current = after.reviews.current, current.startedAt != before.reviews.current?.startedAt,
            current.type != .informal
        {
            var event = CLDEvent(caseID: id, type: .review, clientType: clientType, start: current.startedAt)
            event.values[.reviewReason] = CLDCodes.reviewReason(current.type, current.reason)
            review = event
        } else if var event = review, after.reviews.current == nil || leftOutcome != nil {
            // A review the case closes or moves away before it is completed was never carried out: it is cancelled,
            // and a cancelled event is not a CLD event.
            if case .reviewCompleted(let result) = step.event {
                event.values[.reviewMethod] = result.participants.map(CLDCodes.participants)
                event.values[.outcomesAchieved] = result.outcomesAchieved.map(CLDCodes.outcomesAchieved)
                event.finish(at: step.at, outcome: CLDCodes.reviewOutcome(result.outcome) ?? leftOutcome)
                done.append(event)
            }
            review = nil
        }

        // Services: what is delivered before and after the event; what stopped ended, what is new started. A service
        // that ends as it starts (replaced in the same event) was never delivered: it is left out.
        if case .interimSupportArranged(let reply) = step.event { interim = reply }
        let was = ServiceLine.delivered(in: before, clientType: clientType, interim: interim)
        if after.interimProvider == nil { interim = nil }
        let now = ServiceLine.delivered(in: after, clientType: clientType, interim: interim)
        let ending: CLDCodes.Outcome =
            if case .reablementEnded(let result) = step.event, result.outcome == .needsRemain {
                .toAssessmentOrReview
            } else {
                leftOutcome ?? .continuation
            }
        for line in was.subtracting(now) {
            guard var event = services.removeValue(forKey: line), event.start < step.at else { continue }
            event.finish(at: step.at, outcome: ending)
            done.append(event)
        }
        for line in now.subtracting(was) {
            services[line] = line.event(of: id, clientType: clientType, start: step.at)
        }
    }
}

/// A service as CLD describes it; a change to any field ends one service and starts another.
private struct ServiceLine: Hashable {
    let type: CLDCodes.ServiceType
    let component: String?
    let mechanism: CLDCodes.DeliveryMechanism
    var unitCost: String? = nil
    var unit: String? = nil
    var units: String? = nil
    var provider: String? = nil
    var providerID: String? = nil

    func event(of id: CaseID, clientType: ClientType, start: Date) -> CLDEvent {
        var event = CLDEvent(caseID: id, type: .service, clientType: clientType, start: start)
        event.values[.serviceType] = type.rawValue
        event.values[.serviceComponent] = component
        event.values[.deliveryMechanism] = mechanism.rawValue
        event.values[.unitCost] = unitCost
        event.values[.costFrequency] = unit
        event.values[.plannedUnits] = units
        event.values[.providerName] = provider
        event.values[.providerID] = providerID
        return event
    }

    /// What the case has in place: reablement, interim support until a plan is first signed off, and the signed-off
    /// plan's parts once a provider is found (the council-managed part) or the agreement is signed (the direct
    /// payment). A closed case has none.
    static func delivered(in state: CaseState, clientType: ClientType, interim: ProviderArranged?) -> Set<ServiceLine> {
        guard state.stage != .closed else { return [] }
        var lines: Set<ServiceLine> = []
        if state.stage == .reablement {
            lines.insert(
                ServiceLine(type: .reablement, component: CLDCodes.reablementComponent, mechanism: .commissioned))
        }
        if state.interimProvider != nil && state.firstSignedOffAt == nil {
            var line = ServiceLine(
                type: .otherShortTerm, component: CLDCodes.homeSupport, mechanism: .commissioned,
                provider: state.interimProvider, providerID: interim?.cqcLocationID?.text)
            if let interim { line.price(interim) }
            lines.insert(line)
        }
        if let part = state.signedOffPlan?.councilManaged, let provider = state.provider,
            state.openTask(.findProvider) == nil
        {
            var line = ServiceLine(
                type: CLDCodes.serviceType(of: part.component, for: clientType),
                component: part.component.map { CLDCodes.serviceComponent($0, for: clientType) },
                mechanism: .managedPersonalBudget, provider: provider.provider, providerID: provider.cqcLocationID?.text)
            line.price(provider)
            lines.insert(line)
        }
        if let payment = state.signedOffPlan?.directPayment, state.directPayment.status == .active {
            let unit = CLDCodes.costUnit(of: payment.frequency)
            lines.insert(
                ServiceLine(
                    type: clientType == .carer ? .directToCarer : .community,
                    component: CLDCodes.directPaymentComponent, mechanism: .directPayment,
                    unitCost: pounds(payment.amount), unit: CLDCodes.costUnit(unit),
                    units: CLDCodes.unitsPerWeek(paidEvery: unit).map(twoPlaces)))
        }
        return lines
    }

    /// The provider's price: its unit cost, unit and units a week when brokerage gave them, else the weekly cost as
    /// one week's unit.
    mutating func price(_ reply: ProviderArranged) {
        if let cost = reply.unitCost, let unit = reply.unitType {
            unitCost = Self.pounds(cost)
            self.unit = CLDCodes.costUnit(unit)
            units = reply.plannedUnitsPerWeek.map(\.description) ?? CLDCodes.unitsPerWeek(paidEvery: unit).map(Self.twoPlaces)
        } else {
            unitCost = Self.pounds(reply.weeklyCost)
            unit = CLDCodes.costUnit(.weekly)
            units = Self.twoPlaces(1)
        }
    }

    static func pounds(_ money: Money) -> String { String(format: "%.2f", money.pounds) }
    static func twoPlaces(_ value: Double) -> String { String(format: "%.2f", value) }
}
