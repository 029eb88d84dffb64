import CareJourneyCore
import Foundation

/// Reads a case's history into its CLD events: each request, assessment, service and review, with when it
/// started and ended and how. Events after `until` are not read, so an event still going on then has no end.
/// The person's fields come from the whole history, so a detail put right after the period fills its rows.
public struct CLDEventExtractor: Sendable {
    /// The council's CLD code, written on every row.
    public let laCode: String
    /// The first instant not read.
    public let until: Date

    /// Creates an extractor.
    public init(laCode: String, until: Date) {
        self.laCode = laCode
        self.until = until
    }

    /// The case's events in the order they started.
    public func events(of history: CaseHistory) -> [CLDEvent] {
        var walk = Walk(id: history.id)
        for (index, step) in history.steps.enumerated() where step.at < until {
            walk.read(step, before: history.state(before: index))
        }
        let person = history.latest.person
        var seen: [String: Int] = [:]
        return (walk.done + walk.openEvents).sorted { ($0.start, $0.type.rawValue) < ($1.start, $1.type.rawValue) }
            .map { event in
                var event = event
                event.values[.laCode] = laCode.isEmpty ? nil : laCode
                if let person { Self.fill(&event, with: person) }
                let key = Self.reference(of: event)
                seen[key, default: 0] += 1
                event.values[.eventReference] = seen[key] == 1 ? key : "\(key)-\(seen[key] ?? 1)"
                return event
            }
    }

    /// A reference stable across runs: the person, the type, the start day, the client type and the type's own
    /// keys (route, assessment type, service type, component and mechanism, review reason).
    static func reference(of event: CLDEvent) -> String {
        func code(_ column: CLDColumn) -> String {
            (event.values[column] ?? "").lowercased().filter { $0.isLetter || $0.isNumber }
        }
        let keys: [String]
        switch event.type {
        case .request: keys = [code(.routeOfAccess)]
        case .assessment: keys = [code(.assessmentType)]
        case .service: keys = [code(.serviceType), code(.serviceComponent), code(.deliveryMechanism)]
        case .review: keys = [code(.reviewReason)]
        }
        let day = (event.values[.startDate] ?? "").replacingOccurrences(of: "-", with: "")
        return ([event.caseID.rawValue, event.type.rawValue.prefix(3).uppercased(), day, code(.clientType)] + keys)
            .filter { !$0.isEmpty }.joined(separator: "/")
    }

    private static func fill(_ event: inout CLDEvent, with person: Person) {
        let details = person.details ?? PersonDetails()
        event.values[.nhsNumber] = details.nhsNumber
        event.values[.gender] = details.gender.map(CLDCodes.gender)
        event.values[.birthMonth] = details.birthMonth
        event.values[.ethnicity] = details.ethnicity.map(CLDCodes.ethnicity)
        event.values[.postcode] = details.postcode
        if event.clientType == .adult {
            event.values[.primarySupportReason] = details.primarySupportReason.map(CLDCodes.primarySupportReason)
        }
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

    init(id: CaseID) { self.id = id }

    var openEvents: [CLDEvent] { [request, assessment, review].compactMap { $0 } + services.values }

    mutating func read(_ step: CaseHistory.Step, before: CaseState) {
        let after = step.state
        let clientType = after.person?.clientType ?? before.person?.clientType ?? .adult
        let leftOutcome =
            after.stage == .closed
            ? after.closure.map { CLDCodes.outcome(closedAs: $0.reason) }
            : after.stage == .transferring ? CLDCodes.movedAway : nil

        // Requests: from each contact to the decision that ends the contact stage.
        if case .contact(let contact) = step.event {
            var event = CLDEvent(caseID: id, type: .request, clientType: clientType, start: step.at)
            event.values[.routeOfAccess] = CLDCodes.routeOfAccess(contact.route)
            request = event
        } else if before.stage == .contact, after.stage != .contact, var event = request {
            let outcome: String? =
                switch step.event {
                case .giveInformationAndAdvice: CLDCodes.informationAndAdvice
                case .offerReablement: CLDCodes.toReablement
                case .startAssessment, .startInterimSupport: CLDCodes.toAssessment
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
            event.values[.assessmentMethod] = after.assessment?.method.map(CLDCodes.method)
            event.assessmentCompleted = after.assessment?.completedAt != nil
            if case .eligibilityDecided(let decision) = step.event {
                event.values[.eligibleNeeds] = CLDCodes.eligibleNeeds(decision.eligible)
                event.finish(
                    at: step.at, outcome: decision.eligible ? CLDCodes.toSupportPlanning : CLDCodes.notEligible)
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

        // Reviews (the informal 72-hour check is not a CLD review): from start to completion, or the closure.
        if let current = after.reviews.current, current.startedAt != before.reviews.current?.startedAt,
            current.type != .informal
        {
            var event = CLDEvent(caseID: id, type: .review, clientType: clientType, start: current.startedAt)
            event.values[.reviewReason] = CLDCodes.reviewReason(current.type, current.reason)
            review = event
        } else if var event = review, after.reviews.current == nil || leftOutcome != nil {
            if case .reviewCompleted(let result) = step.event {
                event.reviewCompleted = true
                event.values[.reviewMethod] = result.method.map(CLDCodes.method)
                event.values[.outcomesAchieved] = result.outcomesAchieved.map(CLDCodes.outcomesAchieved)
                event.finish(at: step.at, outcome: CLDCodes.reviewOutcome(result.outcome) ?? leftOutcome)
            } else {
                event.finish(at: step.at, outcome: leftOutcome)
            }
            done.append(event)
            review = nil
        }

        // Services: what is delivered before and after the event; what stopped ended, what is new started.
        let was = ServiceLine.delivered(in: before)
        let now = ServiceLine.delivered(in: after)
        for line in was.subtracting(now) {
            guard var event = services.removeValue(forKey: line) else { continue }
            event.finish(at: step.at, outcome: leftOutcome ?? CLDCodes.serviceChanged)
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
    let unitCost: String?
    let frequency: String?

    func event(of id: CaseID, clientType: ClientType, start: Date) -> CLDEvent {
        var event = CLDEvent(caseID: id, type: .service, clientType: clientType, start: start)
        event.isLongTerm = type.isLongTerm
        event.values[.serviceType] = type.rawValue
        event.values[.serviceComponent] = component
        event.values[.deliveryMechanism] = mechanism.rawValue
        event.values[.unitCost] = unitCost
        event.values[.costFrequency] = frequency
        return event
    }

    /// What the case has in place: reablement, interim support until a plan is first signed off, and the signed-off
    /// plan's parts once a provider is found (the council-managed part) or the agreement is signed (the direct
    /// payment). A closed case has none.
    static func delivered(in state: CaseState) -> Set<ServiceLine> {
        guard state.stage != .closed else { return [] }
        var lines: Set<ServiceLine> = []
        if state.stage == .reablement {
            lines.insert(
                ServiceLine(type: .reablement, component: nil, mechanism: .commissioned, unitCost: nil, frequency: nil))
        }
        if state.interimProvider != nil && state.firstSignedOffAt == nil {
            lines.insert(
                ServiceLine(
                    type: .otherShortTerm, component: nil, mechanism: .commissioned, unitCost: nil, frequency: nil))
        }
        if let part = state.signedOffPlan?.councilManaged, let provider = state.provider,
            state.openTask(.findProvider) == nil
        {
            lines.insert(
                ServiceLine(
                    type: part.component.map(CLDCodes.serviceType(of:)) ?? .community,
                    component: part.component.map(CLDCodes.serviceComponent), mechanism: .managedPersonalBudget,
                    unitCost: pounds(provider.weeklyCost), frequency: CLDCodes.weekly))
        }
        if let payment = state.signedOffPlan?.directPayment, state.directPayment.status == .active {
            lines.insert(
                ServiceLine(
                    type: .community, component: CLDCodes.directPaymentComponent, mechanism: .directPayment,
                    unitCost: pounds(payment.amount), frequency: CLDCodes.costFrequency(payment.frequency)))
        }
        return lines
    }

    static func pounds(_ money: Money) -> String { String(format: "%.2f", money.pounds) }
}
