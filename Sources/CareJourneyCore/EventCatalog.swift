/// What each event means, with sample data: for documentation, error hints, API examples, and the explorer
/// that walks every reachable state.
public enum EventCatalog {
    /// One line on what the event records.
    public static func summary(of name: EventName) -> String {
        entries[name]?.summary ?? ""
    }

    /// Sample data for the event: the first is the fullest; others take the event's other branches.
    public static func samples(of name: EventName) -> [JSONValue] {
        entries[name]?.samples ?? []
    }

    /// The fields the event takes, from its samples (and `task` where the event replies to a task).
    public static func fields(of name: EventName) -> [String] {
        var fields = Set(samples(of: name).flatMap(\.keys))
        if TaskKind.allCases.contains(where: { $0.replyEvent == name }) { fields.insert("task") }
        // Every person detail, not only those the samples give.
        if name == .contact || name == .recordPersonDetails { fields.formUnion(PersonDetails.fieldNames) }
        return fields.sorted()
    }

    /// A contact's way to delivery with council-managed home care (which opens a `find-provider` task): the
    /// events after `contact`, in order, for tests, benchmarks and demos, under a policy that charges as the shipped
    /// ones do: the plan holds every item their `plans:` ask of a person's plan, and the financial assessment's
    /// outcome (the reply to the task eligibility opened) comes before sign-off.
    public static let pathToDelivery: [(name: EventName, data: JSONValue)] = [
        (.startAssessment, [:]),
        (.assessmentCompleted, ["needs": ["personal care"], "outcomes": ["home"]]),
        (.eligibilityDecided, ["eligible": true]),
        (.rasCompleted, ["points": 45, "informalSupport": "none"]),
        (
            .planUpdated,
            [
                "metByNetwork": ["family"], "personalBudget": 320,
                "councilManaged": ["services": ["home care"], "weeklyCost": 320], "riskManagement": "pendant",
                "contingencyPlan": "agency cover", "contingencyBudget": 0,
                "informationAndAdvice": "falls prevention class", "importantTo": "her garden",
                "importantFor": "eating well", "decisionsAndControl": "she directs her own care",
                "needsMetByCouncil": [["need": "personal care", "how": "home care twice a day"]],
            ]
        ),
        (.financialAssessmentCompleted, ["outcome": "contribution", "weeklyContribution": 40]),
        (.signOff, [:]),
    ]

    private static let plan: JSONValue = [
        "needs": ["personal care", "meals"], "outcomes": ["stay at home safely"],
        "metByNetwork": ["daughter shops weekly"], "personalBudget": 320.0,
        "councilManaged": ["services": ["home care 10h a week"], "weeklyCost": 220.0, "component": "home-care"],
        "directPayment": [
            "amount": 100.0, "frequency": "weekly", "purchases": ["personal-assistant"], "needsMet": ["personal care"],
        ],
        "riskManagement": "falls sensor; carer knows the plan", "contingencyPlan": "agency cover via brokerage",
        "contingencyBudget": 0.0, "informationAndAdvice": "a falls-prevention class; the lunch club",
        "needsMetByCouncil": [["need": "personal care", "how": "home care each morning and evening"]],
        "importantTo": "her garden and her cat", "importantFor": "eating a hot meal each day",
        "decisionsAndControl": "she decides with her daughter; the PA works to her routine",
        "crisisContact": "her daughter", "sharedWith": ["her daughter"],
    ]

    /// Kent's high-cost checklist with every item answered (and the earlier appraisal's fields, so that a policy
    /// without `high-cost.checklist` takes it too).
    static let kentChecklist: JSONValue = {
        var fields: [String: JSONValue] = [
            "reason": "double-handed-care", "bestValueOption": "agency",
            "optionsAppraised": ["agency", "personal-assistants", "live-in-care", "residential"],
            "leastRestrictive": true, "capacityConsidered": true, "viewsSought": true,
        ]
        for item in KentItem.allCases {
            fields[item.field] = ["answer": "considered", "evidence": .string("recorded on the case, item \(item.number)")]
        }
        return .object(fields)
    }()

    private static let highCostPlan: JSONValue = [
        "personalBudget": 1450.0, "removeDirectPayment": true,
        "councilManaged": ["services": ["live-in care"], "weeklyCost": 1450.0, "component": "live-in-care"],
    ]

    private static let entries: [EventName: (summary: String, samples: [JSONValue])] = [
        .contact: (
            "Someone contacts the council: who they are and how they came",
            [
                [
                    "name": "Ada Example", "clientType": "adult", "route": "gp", "summary": "struggling after a fall",
                    "nhsNumber": "943 476 5919", "dateOfBirth": "1941-03-14", "gender": "female",
                    "ethnicity": "white-british", "postcode": "de1 2ab", "accommodationStatus": "owner-occupier",
                    "hasUnpaidCarer": "yes", "employmentStatus": "not-seeking-work-or-retired",
                ],
                [
                    "name": "Cara Example", "clientType": "carer", "route": "self-referral", "caredFor": "her husband",
                    "birthMonth": "1950-02", "adultsCaredFor": 1, "caredForIDs": ["C-12"],
                ],
            ]
        ),
        .giveInformationAndAdvice: (
            "Information, advice or signposting meets the need; the case closes",
            [["note": "signposted to the lunch club"]]
        ),
        .offerReablement: ("Short-term reablement is offered", [[:]]),
        .startInterimSupport: ("Interim crisis support is arranged while an assessment follows", [[:]]),
        .interimSupportArranged: (
            "Brokerage arranged the interim support", [["provider": "Rapid Response Care", "weeklyCost": 310.0]]
        ),
        .startAssessment: (
            "The assessment starts (s9 for a person, s10 for a carer)",
            [[:], ["substantialDifficulty": true, "appropriatePerson": false]]
        ),
        .reablementProgressChecked: ("The weekly reablement check was done", [["note": "walking to the shop"]]),
        .reablementEnded: (
            "Reablement ended: independent again, or needs remain",
            [["outcome": "independent"], ["outcome": "needs-remain"]]
        ),
        .involvementAssessed: (
            "Whether the person would have substantial difficulty being involved, and has an appropriate person",
            [["substantialDifficulty": true, "appropriatePerson": false], ["substantialDifficulty": false]]
        ),
        .advocateAllocated: ("An independent advocate was allocated", [["advocate": "Advocacy Partners"]]),
        .assessmentCompleted: (
            "The assessment is complete",
            [
                [
                    "needs": ["personal care", "meals"], "outcomes": ["stay at home safely"], "carerReliedOn": true,
                    "method": "face-to-face", "participants": "service-user-and-carer",
                    "primarySupportReason": "physical-personal-care",
                ]
            ]
        ),
        .carerAssessmentOffered: (
            "The carer was offered their own assessment",
            [["accepted": true, "carerName": "Carl Example"], ["accepted": false]]
        ),
        .eligibilityDecided: (
            "The eligibility decision (s13)",
            [
                ["eligible": true, "eligibleNeeds": ["personal care"]],
                ["eligible": false, "reason": "needs do not meet the national threshold"],
            ]
        ),
        .financialAssessmentCompleted: (
            "The financial assessment's outcome: the weekly contribution, or an exemption",
            [
                ["outcome": "contribution", "weeklyContribution": 40.0, "note": "pension and attendance allowance"],
                ["outcome": "full-cost"],
                ["outcome": "exempt", "exemption": "free-period"],
            ]
        ),
        .requestFinancialAssessment: (
            "A financial re-assessment is asked for", [["reason": "change-of-circumstances", "note": "savings spent"]]
        ),
        .jointFundingAgreed: (
            "The NHS's weekly share of the personal budget (joint funding)", [["nhsWeekly": 100.0, "note": "ICB panel"]]
        ),
        .planCopySent: ("The copy of the plan was sent", [[:]]),
        .chcChecklistCompleted: (
            "An NHS Continuing Healthcare checklist was completed", [["positive": true], ["positive": false]]
        ),
        .chcDecided: (
            "The NHS decided on Continuing Healthcare", [["fundingAgreed": true], ["fundingAgreed": false]]
        ),
        .s117AftercareRecorded: ("The person receives s117 aftercare (exempt from charging)", [[:]]),
        .s117AftercareEnded: ("The person's s117 aftercare ended", [[:]]),
        .rasCompleted: (
            "The RAS gave points; the indicative budget follows", [["points": 42, "informalSupport": "some"]]
        ),
        .planUpdated: ("The care and support plan changed", [plan, highCostPlan]),
        .requestHighCostApproval: ("The high-cost checklist goes to panel", [kentChecklist]),
        .highCostDecided: (
            "The high-cost panel decided", [["approved": true], ["approved": false, "reason": "appraise a PA option"]]
        ),
        .signOff: ("The plan is signed off; the personal budget is confirmed", [[:]]),
        .providerFound: (
            "Brokerage found a provider",
            [
                [
                    "provider": "Sunrise Home Care", "weeklyCost": 215.5, "unitCost": 21.55, "unitType": "hourly",
                    "plannedUnitsPerWeek": 10, "cqcLocationID": "1-123456789",
                ],
                ["provider": "Peak District Support", "weeklyCost": 260.0],
            ]
        ),
        .dpAgreementSigned: ("The direct payment agreement is signed", [[:]]),
        .dpAuditCompleted: ("The direct payment audit is done", [["unspent": 0.0], ["unspent": 640.0]]),
        .startReview: (
            "A review starts",
            [
                ["type": "unplanned", "reason": "change-of-circumstances"],
                ["type": "planned", "substantialDifficulty": true, "appropriatePerson": false],
            ]
        ),
        .reviewCompleted: (
            "A review is complete, with its outcome",
            [
                [
                    "outcome": "no-change", "note": "all well", "method": "telephone", "participants": "service-user",
                    "outcomesAchieved": "met",
                ],
                ["outcome": "plan-change"], ["outcome": "re-assessment"],
                ["outcome": "closure", "closureReason": "needs-met"],
            ]
        ),
        .reminderSent: ("The review reminder was sent", [[:]]),
        .notificationSent: ("The written notification was sent", [[:]]),
        .safeguardingConcern: ("A safeguarding concern was raised", [["note": "bruising seen by the carer"]]),
        .s42Decision: ("Whether a s42 enquiry is needed", [["enquiry": true], ["enquiry": false]]),
        .safeguardingArrangementsSafe: ("The current arrangements are recorded as safe during the enquiry", [[:]]),
        .safeguardingConcluded: (
            "The s42 enquiry concluded",
            [["outcome": "risk-reduced", "reviewNeeded": true], ["outcome": "risk-removed"]]
        ),
        .complaintReceived: ("A complaint was received", [[:], ["about": "contribution", "note": "too much to pay"]]),
        .complaintResolutionStarted: ("Local resolution of the complaint started", [[:]]),
        .complaintConcluded: ("The complaint concluded", [["outcome": "partly-upheld"]]),
        .movedToAnotherCouncil: (
            "The person moved to another council", [["council": "Nottinghamshire County Council"]]
        ),
        .handoverSent: ("The assessment and plan were shared with the new council", [[:]]),
        .closeCase: ("The case closes, with a reason", [["reason": "deceased"], ["reason": "support-declined"]]),
        .servicesEnded: ("The services and direct payment of a closed case were stopped", [[:]]),
        .reassign: (
            "The case moves to another team or practitioner",
            [["team": "north-east", "worker": "sw.jones"], ["worker": ""]]
        ),
        .recordPersonDetails: (
            "What is known about the person was recorded or put right (a field left out keeps its value)",
            [
                [
                    "nhsNumber": "9434765919", "dateOfBirth": "1941-03-14", "gender": "female",
                    "ethnicity": "white-british", "postcode": "DE1 2AB", "primarySupportReason": "physical-personal-care",
                    "accommodationStatus": "owner-occupier", "employmentStatus": "not-seeking-work-or-retired",
                    "hasUnpaidCarer": "yes", "clientFundingStatus": "fully-social-care-funded",
                    "gpPracticeCode": "C81001", "gpPracticeName": "Derwent Surgery", "autism": "no", "dementia": "no",
                    "visualImpairment": "none", "hearingImpairment": "hard-of-hearing",
                ],
                ["birthMonth": "1941-03", "dateOfDeath": "2026-07-09"],
                ["adultsCaredFor": 2, "caredForIDs": ["C-12", "C-40"]],
            ]
        ),
        .retryTask: ("The operations team offers a worker's task again (after it failed)", [["task": "C-12#6"]]),
        .cancelTask: (
            "The operations team cancels a worker's task; refused when the case would be left without a next step",
            [["task": "C-12#6"]]
        ),
        .takeTask: ("A person takes a task from a people's queue: it is theirs now", [["task": "C-12#1"]]),
        .handBackTask: ("The person holding a task hands it back to its queue", [["task": "C-12#1"]]),
        .allocateTask: (
            "A manager allocates a task on a people's queue to someone", [["task": "C-12#1", "to": "sw.jones"]]
        ),
        .hold: (
            "A legal hold: the case is kept, whatever the retention schedule says, until it is released",
            [["reason": "a claim against the council about this care"]]
        ),
        .releaseHold: (
            "The legal hold ends: the retention schedule applies again", [["reason": "the claim is settled"]]
        ),
        .correctRecord: (
            "A wrongly recorded value in one of the case's events is put right, and the wrong value removed",
            [
                ["event": 1, "field": "nhsNumber", "value": "943 476 5919", "reason": "digits transposed at contact"],
                ["event": 1, "field": "summary", "remove": true, "reason": "recorded on the wrong case"],
            ]
        ),
        .timerFired: ("A timer came due (sent by the timer service)", []),
        .policyApplied: ("The council's policy changed; pending timers were recomputed (sent by policy apply)", []),
    ]
}
