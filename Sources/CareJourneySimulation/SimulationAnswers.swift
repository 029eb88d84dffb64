import CareJourneyCore

/// The events the simulated people and workers send, made once for a policy and reused for every case: the same
/// events a practitioner, a team manager or a worker would send through the API, typed by the core.
///
/// Task replies are answered with `Event.answering(_:)`, which names the task they complete.
struct SimulationAnswers: Sendable {
    /// How an eligible person's budget is managed.
    enum Funding: Int, Sendable, CaseIterable {
        case directPayment, councilManaged, mixed
    }

    let contact: Event
    let informationAndAdvice: Event
    let offerReablement: Event
    let startInterimSupport: Event
    let startAssessment: Event
    let reablementIndependent: Event
    let reablementNeedsRemain: Event
    let assessmentCompleted: Event
    let eligible: Event
    let notEligible: Event
    let ras: Event
    /// The first plan of each kind of funding, by `Funding.rawValue`.
    let plans: [Event]
    /// The plan after a review changed it.
    let changedPlan: Event
    let signOff: Event
    /// Review starts, by type.
    let startReview: [ReviewType: Event]
    let reviewNoChange: Event
    let reviewPlanChange: Event
    let reviewClosure: Event
    let death: Event
    let move: Event
    let safeguardingConcern: Event
    let s42Enquiry: Event
    let s42NoEnquiry: Event
    let arrangementsSafe: Event
    let safeguardingConcluded: Event
    let complaintReceived: Event
    let complaintConcluded: Event
    let auditClean: Event
    let auditUnspent: Event
    /// The reply to each kind of worker task (the task is named when it is sent), by kind.
    let replies: [TaskKind: Event]

    /// The events for `policy`.
    ///
    /// - Throws: `SimulationError` when the policy cannot take one of them (the simulator's own data, or a policy
    ///   whose bands leave no budget under its high-cost threshold).
    init(policy: Policy) throws(SimulationError) {
        func event(_ name: EventName, _ data: JSONValue = [:]) throws(SimulationError) -> Event {
            do {
                return try Event(name: name.rawValue, data: data)
            } catch {
                throw SimulationError(
                    .invalidProfile,
                    "the simulator could not make its '\(name.rawValue)' event under policy '\(policy.id)': "
                        + error.message)
            }
        }
        let budget = try Self.budget(policy)
        contact = try event(
            .contact, ["name": "Simulated person", "clientType": "adult", "route": "gp", "summary": "simulated"])
        informationAndAdvice = try event(.giveInformationAndAdvice, ["note": "signposted"])
        offerReablement = try event(.offerReablement)
        startInterimSupport = try event(.startInterimSupport)
        startAssessment = try event(.startAssessment)
        reablementIndependent = try event(.reablementEnded, ["outcome": "independent"])
        reablementNeedsRemain = try event(.reablementEnded, ["outcome": "needs-remain"])
        assessmentCompleted = try event(
            .assessmentCompleted,
            ["needs": ["personal care", "meals"], "outcomes": ["stay at home"], "carerReliedOn": false])
        eligible = try event(.eligibilityDecided, ["eligible": true])
        notEligible = try event(
            .eligibilityDecided,
            ["eligible": false, "reason": "needs can be met through information, advice and community services"])
        ras = try event(.rasCompleted, ["points": .number(Double(budget.points)), "informalSupport": "some"])
        var plans: [Event] = []
        for funding in Funding.allCases { plans.append(try event(.planUpdated, Self.plan(funding, budget.weekly))) }
        self.plans = plans
        changedPlan = try event(.planUpdated, ["riskManagement": "reviewed: daily calls"])
        signOff = try event(.signOff)
        var starts: [ReviewType: Event] = [:]
        for type in [ReviewType.informal, .firstFormal, .planned] {
            starts[type] = try event(.startReview, ["type": .string(type.rawValue)])
        }
        starts[.unplanned] = try event(.startReview, ["type": "unplanned", "reason": "change-of-circumstances"])
        startReview = starts
        reviewNoChange = try event(.reviewCompleted, ["outcome": "no-change"])
        reviewPlanChange = try event(.reviewCompleted, ["outcome": "plan-change"])
        reviewClosure = try event(.reviewCompleted, ["outcome": "closure", "closureReason": "needs-met"])
        death = try event(.closeCase, ["reason": "deceased"])
        move = try event(.movedToAnotherCouncil, ["council": "another council"])
        safeguardingConcern = try event(.safeguardingConcern, ["note": "raised by the home care provider"])
        s42Enquiry = try event(.s42Decision, ["enquiry": true])
        s42NoEnquiry = try event(.s42Decision, ["enquiry": false])
        arrangementsSafe = try event(.safeguardingArrangementsSafe, ["note": "a safety plan agreed"])
        safeguardingConcluded = try event(.safeguardingConcluded, ["outcome": "risk-reduced"])
        complaintReceived = try event(.complaintReceived, ["note": "late home care visits"])
        complaintConcluded = try event(.complaintConcluded, ["outcome": "partly-upheld"])
        auditClean = try event(.dpAuditCompleted, ["unspent": 0])
        auditUnspent = try event(.dpAuditCompleted, ["unspent": .number((budget.weekly.pounds * 2).rounded())])
        replies = [
            .arrangeInterimSupport: try event(
                .interimSupportArranged, ["provider": "Interim Care Ltd", "weeklyCost": .number(budget.weekly.pounds)]),
            .reablementCheck: try event(.reablementProgressChecked, ["note": "progressing"]),
            .referAdvocacy: try event(.advocateAllocated, ["advocate": "Advocacy Service"]),
            .findProvider: try event(
                .providerFound, ["provider": "Home Care Ltd", "weeklyCost": .number(budget.weekly.pounds)]),
            .setUpDirectPayment: try event(.dpAgreementSigned),
            .reviewReminder: try event(.reminderSent),
            .chargingReminder: try event(.reminderSent),
            .writtenNotification: try event(.notificationSent),
            .offerCarerAssessment: try event(.carerAssessmentOffered, ["accepted": false]),
            .transferHandover: try event(.handoverSent),
            .endServices: try event(.servicesEnded),
            .financialAssessment: try event(.financialAssessmentCompleted, ["outcome": "nil-contribution"]),
            .chcReferral: try event(.chcDecided, ["fundingAgreed": false]),
            .sendPlanCopy: try event(.planCopySent),
            .highCostPanel: try event(.highCostDecided, ["approved": true]),
        ]
    }

    /// RAS points and the weekly budget they give: the middle band under the policy's high-cost threshold, so that
    /// simulated plans need no panel.
    private static func budget(_ policy: Policy) throws(SimulationError) -> (points: Int, weekly: Money) {
        let bands = policy.ras.bands.filter { band in
            let weekly = policy.ras.indicativeBudget(points: band.minPoints, support: .some) ?? .zero
            return weekly > .zero && weekly <= policy.highCost.weeklyThreshold
        }
        guard !bands.isEmpty else {
            throw SimulationError(
                .invalidProfile,
                "policy '\(policy.id)' has no RAS band with a budget above £0 and within its high-cost threshold; "
                    + "the simulator plans budgets from such a band")
        }
        let band = bands[(bands.count - 1) / 2]
        return (band.minPoints, policy.ras.indicativeBudget(points: band.minPoints, support: .some) ?? .zero)
    }

    private static func plan(_ funding: Funding, _ budget: Money) -> JSONValue {
        var plan: [String: JSONValue] = [
            "metByNetwork": ["family help with shopping"],
            "personalBudget": .number(budget.pounds),
            "riskManagement": "falls pendant",
            "contingencyPlan": "agency cover through brokerage",
            "contingencyBudget": 0,
            "informationAndAdvice": "a falls-prevention class",
            "needsMetByCouncil": [["need": "personal care", "how": "support at home"]],
            "importantTo": "family visits",
            "importantFor": "eating well",
            "decisionsAndControl": "decides day to day with the practitioner's support",
        ]
        let councilShare = funding == .mixed ? Money(pounds: (budget.pounds * 0.6).rounded()) : budget
        if funding != .directPayment {
            plan["councilManaged"] = [
                "services": ["home care"], "weeklyCost": .number(councilShare.pounds), "component": "home-care",
            ]
        }
        if funding != .councilManaged {
            let weekly = funding == .mixed ? budget - councilShare : budget
            plan["directPayment"] = [
                "amount": .number(weekly.pounds), "frequency": "weekly", "purchases": ["personal-assistant"],
                "needsMet": ["personal care"],
            ]
        }
        return .object(plan)
    }
}
