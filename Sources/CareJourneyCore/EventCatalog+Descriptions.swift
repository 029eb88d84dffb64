/// What each field of the events people send asks for, in the words of a council's practitioner: what to enter, in
/// what units, and the Care Act 2014 section (or other law) where it helps. The dashboard's forms show it as the
/// field's hint (`EventField.description`).
///
/// A field's description is its event's own, by the field's path (`councilManaged.weeklyCost`,
/// `needsMetByCouncil[].need`), or else the one shared by every field of its name (the last part of the path) where
/// the name means the same wherever it is (`weeklyCost`, `postcode`). Tests hold the table to the catalog: every
/// field of every event people send has a description, and none names a field that no longer exists.
extension EventCatalog {
    /// What to enter in the field at `path` of `event`'s data, as a form's hint says it; `nil` when the catalog has
    /// no description for it.
    ///
    /// ```swift
    /// EventCatalog.description(of: "councilManaged.weeklyCost", in: .planUpdated)
    /// // "Pounds a week: what the services the council arranges cost in total …"
    /// ```
    public static func description(of path: String, in event: EventName) -> String? {
        eventFieldDescriptions[event]?[path] ?? sharedFieldDescriptions[EventField.name(atEndOf: path)]
    }

    /// Descriptions shared by every field of a name, wherever it is, because the name means the same there.
    static let sharedFieldDescriptions: [String: String] = [
        // Any event's free text and the task a reply answers.
        "note": "Anything the record should say about this step, in plain words; it stays on the case's timeline.",
        "task":
            "The open task this answers, by its id as the case page and worklists show it. Left out, the oldest open "
            + "task of its kind is answered.",
        // Brokerage's replies (interim support, a provider found).
        "provider": "The provider's name, as the council's contract or the CQC register gives it.",
        "weeklyCost": "Pounds a week: what the support costs in total each week.",
        "unitCost": "Pounds: the provider's price for one unit (an hour, a day, a session), if known.",
        "unitType": "What one unit of the unit cost is (the Client Level Data return's Cost Frequency).",
        "plannedUnitsPerWeek": "How many units a week are planned, up to two decimal places (10.5 hours).",
        "cqcLocationID": "The service's location on the Care Quality Commission's register, like 1-123456789.",
        // Involvement and advocacy (start-assessment, involvement-assessed, start-review).
        "substantialDifficulty":
            "Would the person have substantial difficulty being involved: understanding, retaining or weighing the "
            + "information, or saying what they want (Care Act s67)?",
        "appropriatePerson":
            "Is there an appropriate person (family or a friend, not paid to care) who can support their involvement? "
            + "With substantial difficulty and nobody appropriate, an independent advocate must be arranged (s67).",
        // How an assessment or a review was carried out.
        "method": "How it was carried out: face to face, by telephone or video, or as a (supported) self-assessment.",
        "participants":
            "Who took part: the person, their unpaid carer, or both (the Client Level Data return's Method of "
            + "Assessment or Review).",
        // The needs, as the assessment, eligibility and the plan name them.
        "needs": "The person's needs in plain words, as the assessment found them (Care Act s9; s10 for a carer).",
        "outcomes": "What the person wants to achieve in their day-to-day life, in their own words where you can.",
        "eligibleNeeds":
            "The needs that meet the national eligibility criteria (Care Act s13 and the Eligibility Regulations "
            + "2015): the needs the council must meet.",
        // The person's details (contact and record-person-details).
        "nhsNumber": "The person's 10-digit NHS number, spaces allowed, as on their NHS letters or GP record.",
        "dateOfBirth": "The person's date of birth.",
        "birthMonth":
            "The year and month of birth (YYYY-MM), only when the full date of birth is not known.",
        "dateOfDeath": "The date the person died, once the council knows it; not before their date of birth.",
        "gender": "The person's gender, as they describe it.",
        "ethnicity": "The person's ethnic group, as they describe it (the census categories).",
        "postcode": "The person's home postcode, like DE1 2AB.",
        "primarySupportReason":
            "The main reason the person needs care and support, as the assessment found it (the statutory returns "
            + "count people by it).",
        "accommodationStatus": "Where the person lives now.",
        "employmentStatus": "Whether the person works, and for how many hours a week.",
        "hasUnpaidCarer": "Whether someone (family or a friend) cares for the person without being paid.",
        "clientFundingStatus": "Who pays for the person's care: the council, the person, or both jointly.",
        "gpPracticeCode": "The GP practice's ODS code: a letter and five digits, like C81001.",
        "gpPracticeName": "The name of the GP practice the person is registered with.",
        "autism": "Whether the person has a diagnosis of autism.",
        "dementia": "Whether the person has a diagnosis of dementia.",
        "visualImpairment": "Whether the person is blind or partially sighted (registered or not).",
        "hearingImpairment": "Whether the person is deaf or hard of hearing.",
        "adultsCaredFor": "For an unpaid carer: how many adults they care for, from 1 to 20.",
        "caredForIDs": "For an unpaid carer: the case ids of up to three adults they care for, like C-12.",
    ]

    /// Descriptions of one event's fields, by path, where a name means something of its own there.
    static let eventFieldDescriptions: [EventName: [String: String]] = [
        .contact: [
            "name": "The person's full name, as they give it.",
            "clientType": "Adult: a person who may need care and support. Carer: an unpaid carer (assessed under s10).",
            "route": "How the person came to the council (the Client Level Data return's Route of Access).",
            "caredFor": "For a carer: whom they care for, by name or case id.",
            "summary": "What the person or the referrer said they need, in a sentence or two.",
        ],
        .giveInformationAndAdvice: [
            "note": "The information, advice or signposting given (Care Act s2 and s4): which service, leaflet, group."
        ],
        .reablementProgressChecked: [
            "note": "How the person is getting on this week: what they can do again, and what still needs support."
        ],
        .reablementEnded: [
            "outcome":
                "Independent: the person needs no long-term support and the case closes. Needs remain: an assessment "
                + "(s9) starts."
        ],
        .advocateAllocated: [
            "advocate": "The independent advocate's name, or the advocacy service's, as the referral's reply gives it."
        ],
        .assessmentCompleted: [
            "carerReliedOn":
                "Does the person rely on an unpaid carer? The carer is then offered an assessment of their own (s10)."
        ],
        .carerAssessmentOffered: [
            "accepted": "Did the carer accept an assessment of their own needs (Care Act s10)?",
            "carerName": "The carer's name, to open their case; needed when they accept.",
        ],
        .eligibilityDecided: [
            "eligible": "Do any of the person's needs meet the national eligibility criteria (Care Act s13)?",
            "reason":
                "When not eligible: the reasons, as the written decision to the person gives them (s13). Also "
                + "information and advice on meeting or reducing the needs.",
        ],
        .financialAssessmentCompleted: [
            "outcome":
                "What the financial assessment found (Care Act s14 and s17): nothing to pay, a weekly contribution, "
                + "the full cost, or an exemption.",
            "weeklyContribution": "Pounds a week the person pays towards their support: only for a contribution.",
            "exemption": "Why the person pays nothing whatever their means: only for an exemption.",
            "note": "The finance team's note; needed for an 'other' exemption, which a manager decides.",
        ],
        .requestFinancialAssessment: [
            "reason": "Why a new financial assessment is needed: a change in the person's circumstances, or they ask.",
            "note": "What has changed (savings spent, a new benefit), in plain words.",
        ],
        .rasCompleted: [
            "points": "The points the resource allocation system (RAS) scored, a whole number.",
            "informalSupport":
                "How much sustainable support family, friends and the community already give: it reduces the "
                + "indicative budget by the policy's percentage.",
        ],
        .planUpdated: [
            "needs": "The needs the plan is for (Care Act s25), as the assessment found them.",
            "outcomes": "What the person wants to achieve, as the plan records it.",
            "ineligibleNeeds": "The needs the assessment found that are not eligible, so the plan tells them apart.",
            "metByNetwork":
                "The needs and outcomes met by the person's own resources, family, friends and community.",
            "personalBudget":
                "Pounds a week: the personal budget (Care Act s26), the cost to the council of meeting the eligible "
                + "needs it will meet. Confirmed at sign-off.",
            "directPayment":
                "The part of the budget paid to the person to arrange their own support (Care Act s31 to s33).",
            "directPayment.amount": "Pounds: the direct payment at each payment, at the frequency below.",
            "directPayment.frequency": "How often the direct payment is paid.",
            "directPayment.purchases":
                "What the direct payment will buy. The law excludes some (long-term residential care, healthcare, "
                + "the council's own services).",
            "directPayment.employsCloseRelativeInHousehold":
                "Will it pay a spouse, partner or close relative who lives in the same household? Only in exceptional "
                + "circumstances (Direct Payments Regulations 2014).",
            "directPayment.exceptionalCircumstances":
                "Where the rules allow an exception (equipment, a close relative in the household): why it is needed.",
            "directPayment.needsMet": "The eligible needs the direct payment meets, as the plan must say.",
            "councilManaged":
                "The part of the budget the council arranges and pays providers for (brokerage finds them).",
            "councilManaged.services": "The services the council arranges, like home care 10 hours a week.",
            "councilManaged.weeklyCost": "Pounds a week: what the services the council arranges cost in total.",
            "councilManaged.component":
                "The main kind of service arranged (the statutory returns count services by it).",
            "riskManagement": "How the risks to the person are managed, and who does what.",
            "contingencyPlan":
                "What happens if the plan breaks down (a carer is ill, a provider fails), and who acts.",
            "contingencyBudget":
                "Pounds a week of the personal budget set aside for the contingency plan; 0 is an answer.",
            "informationAndAdvice":
                "Information and advice on reducing the needs and preventing or delaying others (for a carer: "
                + "supporting them in their caring role).",
            "needsMetByCouncil": "Each eligible need the council will meet, and how it will meet it.",
            "needsMetByCouncil[].need": "An eligible need the council will meet.",
            "needsMetByCouncil[].how": "How the council will meet it (which service, how often).",
            "importantTo": "What is important to the person: what matters to them in their life.",
            "importantFor": "What is important for the person: what keeps them healthy and safe.",
            "decisionsAndControl": "How the person will make decisions and stay in control of their life.",
            "crisisContact": "For a carer: whom they will contact in a crisis.",
            "supportItems":
                "Support to cost at the council's reasonable rates; the plan keeps each rate's price as it is today.",
            "supportItems[].rate": "The rate's name, as the council's policy lists its reasonable rates.",
            "supportItems[].perWeek": "How many of the rate's units a week (hours, sessions, nights).",
            "sharedWith": "Who else gets a copy of the plan, with the person's agreement (a carer, family).",
            "removeDirectPayment": "Yes takes the direct payment out of the plan.",
            "removeCouncilManaged": "Yes takes the council-arranged services out of the plan.",
        ],
        .jointFundingAgreed: [
            "nhsWeekly": "Pounds a week the NHS pays towards the personal budget under joint funding; 0 ends it.",
            "note": "The NHS's decision, as the ICB or its panel recorded it.",
        ],
        .requestHighCostApproval: highCostChecklistDescriptions,
        .highCostDecided: [
            "approved": "Did the high-cost panel approve the plan at its current weekly cost?",
            "reason": "When returned: what the panel asks for before it looks again.",
        ],
        .signOff: [
            "note": "Anything to say at sign-off; the personal budget is confirmed at the plan's figure (Care Act s26)."
        ],
        .dpAuditCompleted: [
            "unspent":
                "Pounds paid as direct payments and not spent on the plan; over 0 is reclaimed and a review starts."
        ],
        .startReview: [
            "type":
                "Informal (soon after sign-off), first formal (once the policy's window opens), planned (after it, "
                + "at least every 12 months), or unplanned (Care Act s27).",
            "reason": "Why an unplanned review is needed: required for an unplanned review only.",
        ],
        .reviewCompleted: [
            "outcome":
                "What the review decided: no change, a change to the plan, a new assessment, or closing the case.",
            "closureReason": "Why the case closes: required when the outcome is closure.",
            "outcomesAchieved": "How far the outcomes in the plan were achieved.",
        ],
        .safeguardingConcern: [
            "note": "What was seen or heard that raises the concern, and by whom; facts, not opinions."
        ],
        .s42Decision: [
            "enquiry":
                "Is a safeguarding enquiry needed (Care Act s42: care and support needs, experiencing or at risk of "
                + "abuse or neglect, and unable to protect themselves)? No ends the concern."
        ],
        .safeguardingArrangementsSafe: [
            "note": "Why the current arrangements are safe while the enquiry goes on (this lets sign-off go ahead)."
        ],
        .safeguardingConcluded: [
            "outcome": "What the enquiry found about the risk: removed, reduced, remaining, or no further action.",
            "reviewNeeded": "Does the outcome need an unplanned review of the plan?",
        ],
        .complaintReceived: [
            "note": "What the complaint says, in the complainant's words where you can.",
            "about":
                "What the complaint challenges; one about the contribution is linked to the financial assessment.",
        ],
        .complaintConcluded: [
            "outcome": "What local resolution found. Upheld in whole or part about the contribution asks for a new "
                + "financial assessment."
        ],
        .chcChecklistCompleted: [
            "positive":
                "Was the NHS Continuing Healthcare checklist positive? Yes refers the person for a full assessment "
                + "by the NHS."
        ],
        .chcDecided: [
            "fundingAgreed":
                "Did the NHS agree to fund the person's care as NHS Continuing Healthcare? Yes closes the case as "
                + "NHS-funded."
        ],
        .s117AftercareRecorded: [
            "note": "The aftercare under s117 of the Mental Health Act 1983: the section and the hospital discharge."
        ],
        .movedToAnotherCouncil: [
            "council": "The council the person moved to, by its full name (Care Act s37 continuity of care)."
        ],
        .closeCase: [
            "reason": "Why the case closes. Deceased or NHS-funded needs a manager.",
            "note": "Anything the record should say about the closure.",
        ],
        .reassign: [
            "team":
                "The team the case moves to, as the council names it (north-east). Left out it stays; blank clears it.",
            "worker":
                "The sign-in name of the practitioner allocated to the case. Left out it stays; blank clears it.",
        ],
        .retryTask: ["task": "The failed worker's task to offer again, by its id as the case page shows it."],
        .cancelTask: ["task": "The worker's task to cancel, by its id as the case page shows it."],
        .takeTask: ["task": "The task to take, by its id as the worklists show it."],
        .handBackTask: ["task": "The task you hold and hand back to its queue, by its id."],
        .allocateTask: [
            "task": "The task to allocate, by its id as the worklists show it.",
            "to": "The sign-in name of the person who is to hold it; they must be able to sign in to this service.",
        ],
        .hold: ["reason": "Why the case must be kept whatever the retention schedule says (a claim, an inquiry)."],
        .releaseHold: ["reason": "Why the legal hold ends (the claim is settled)."],
        .correctRecord: [
            "event": "The number of the event to correct in the case's history (its version, from 1).",
            "field":
                "Where the wrong value is in that event's data: a field (nhsNumber), a field of a field "
                + "(councilManaged.weeklyCost) or an item of a list (needs[1]).",
            "value": "The right value. Leave it out to remove the field instead.",
            "remove": "Yes removes the field from the event rather than replacing its value.",
            "reason": "Why the value was wrong. Say what was wrong, never the wrong value itself.",
        ],
    ]

    /// The high-cost checklist's fields: Kent's item 1, each of items 2 to 22 from its question (`KentItem`), and the
    /// earlier four-item appraisal.
    private static let highCostChecklistDescriptions: [String: String] = {
        var descriptions = [
            "reason": "Kent's item 1: the reason for this high-cost care package.",
            "reasonOther":
                "When the reason is other: the reason, in words (a health improver, a managed service from a DP).",
            "optionsAppraised": "The options for meeting the needs that were appraised (Kent's item 8).",
            "bestValueOption": "The option that delivers the outcomes desired for best value (Kent's item 10).",
            "leastRestrictive": "The earlier appraisal: is the option chosen the least restrictive?",
            "capacityConsidered": "The earlier appraisal: was the person's mental capacity considered?",
            "viewsSought": "The earlier appraisal: were the views of the person and their carers sought?",
        ]
        for item in KentItem.allCases {
            descriptions[item.field] = "Kent's item \(item.number): \(item.question)."
            descriptions["\(item.field).answer"] =
                item.mayNotApply
                ? "Has this been considered, or does it not apply?"
                : "Has this been considered? Kent's wording allows no \"not applicable\" here."
            descriptions["\(item.field).evidence"] = "Where the evidence is (a document, a case note), when considered."
            descriptions["\(item.field).reason"] =
                item.mayNotApply
                ? "Why the item does not apply, when not applicable." : "Leave blank: this item always applies."
        }
        return descriptions
    }()
}

extension EventField {
    /// The field's own name at the end of `path` (`weeklyCost` of `councilManaged.weeklyCost`, `need` of
    /// `needsMetByCouncil[].need`).
    static func name(atEndOf path: String) -> String {
        String(path.split(separator: ".").last ?? Substring(path)).replacingOccurrences(of: "[]", with: "")
    }
}
