import CareJourneyCore

/// The Release 2 defined lists, one table each, every entry with its source (`CLDSource`). The copy a test compares
/// them with is `Tests/CareJourneyReportsTests/Fixtures/cld-release2-lists.tsv`.
extension CLDCodes {
    /// The defined lists by column.
    public static let lists: [CLDColumn: CLDList] = Dictionary(
        uniqueKeysWithValues: allLists.map { ($0.column, $0) })

    /// The defined lists, in column order.
    public static let allLists: [CLDList] = [
        clientTypesList, gendersList, ethnicitiesList, supportReasonsList, accommodationList, employmentList, hasUnpaidCarerList, autismList,
        visualImpairmentList, hearingImpairmentList, dementiaList, fundingList, eventTypesList, outcomesList, routesList, assessmentTypesList,
        eligibleNeedsList, assessmentMethodsList, hoursCaringList, serviceTypesList, serviceComponentsList, mechanismsList, reviewReasonsList,
        outcomesAchievedList, reviewMethodsList, costUnitsList,
    ].sorted { CLDColumn.allCases.firstIndex(of: $0.column)! < CLDColumn.allCases.firstIndex(of: $1.column)! }

    typealias E = CLDList.Entry

    static let clientTypesList = CLDList(
        .clientType, .confirmed,
        [
            E("Service user", CLDSource.ascof2E), E("Unpaid carer", CLDSource.personDetails),
            E("Unpaid carer known by association", CLDSource.personDetails),
        ],
        release1: [
            "Service User": "Service user", "Carer": "Unpaid carer",
            "Carer known by association": "Unpaid carer known by association",
        ],
        note: "Three values in DHSC's Release 2 code; some of its statements still say 'Service User' (harmless in its "
            + "case-insensitive SQL, wrong in a file).")

    static let gendersList = CLDList(
        .gender, .partial,
        [
            E("Male", CLDSource.ascof2E), E("Female", CLDSource.ascof2E), E("Other", CLDSource.brief),
            E("Unknown", CLDSource.brief),
        ],
        note: "DHSC: 'same in R2 as R1'; only Male and Female appear, and its 2E counts 'unknowns, others, invalids' "
            + "in the total, so the list has more values: Other and Unknown as the project's research brief gives them, which no "
            + "public source we could read confirms.")

    static let ethnicitiesList = CLDList(
        .ethnicity, .confirmed,
        [
            "Asian or Asian British: Any other Asian background", "Asian or Asian British: Bangladeshi",
            "Asian or Asian British: Chinese", "Asian or Asian British: Indian", "Asian or Asian British: Pakistani",
            "Black, Black British, Caribbean or African: African",
            "Black, Black British, Caribbean or African: Any other Black, Black British or Caribbean background",
            "Black, Black British, Caribbean or African: Caribbean",
            "Mixed or multiple ethnic groups: Any other Mixed or multiple ethnic background",
            "Mixed or multiple ethnic groups: White and Asian", "Mixed or multiple ethnic groups: White and Black African",
            "Mixed or multiple ethnic groups: White and Black Caribbean", "No data: Refused",
            "No data: Undeclared or not known", "Other ethnic group: Any other ethnic group", "Other ethnic group: Arab",
            "White: Any other White background", "White: English, Welsh, Scottish, Northern Irish or British",
            "White: Gypsy or Irish Traveller", "White: Irish", "White: Roma",
        ].map { E($0, CLDSource.cleaning) },
        release1: [
            "White - English, Welsh, Scottish, Northern Irish or British":
                "White: English, Welsh, Scottish, Northern Irish or British",
            "No data - Undeclared or Not known": "No data: Undeclared or not known", "No data - Refused": "No data: Refused",
            "Mixed or multiple ethnic groups - White and Asian": "Mixed or multiple ethnic groups: White and Asian",
        ],
        note: "The 2021 census categories, printed whole in DHSC's cleaning methodology; Release 1 wrote ' - ' where "
            + "Release 2 writes ': '.")

    static let supportReasonsList = CLDList(
        .primarySupportReason, .partial,
        [
            E("Physical support: Access and mobility only", CLDSource.supportReasonLabels),
            E("Physical support: Personal care support", CLDSource.supportReasonLabels),
            E("Sensory support: Support for visual impairment", CLDSource.supportReasonLabels),
            E("Sensory support: Support for hearing impairment", CLDSource.supportReasonLabels),
            E("Sensory support: Support for dual impairment", CLDSource.supportReasonLabels),
            E("Support with memory and cognition", CLDSource.supportReasonLabels),
            E("Learning disability support", CLDSource.supportReasonLabels),
            E("Mental health support", CLDSource.supportReasonLabels),
            E("Social support: Substance misuse support", CLDSource.supportReasonLabels),
            E("Social support: Asylum seeker support", CLDSource.supportReasonLabels),
            E("Social support: Support for social isolation or other reason", CLDSource.supportReasonLabels),
            E("Social support: Support to unpaid carer", CLDSource.personDetails),
            E("Unknown", CLDSource.supportReasonLabels),
        ],
        release1: [
            "Physical Support: Access & mobility only": "Physical support: Access and mobility only",
            "Physical Support: Personal care support": "Physical support: Personal care support",
            "Sensory Support: Support for visual impairment": "Sensory support: Support for visual impairment",
            "Sensory Support: Support for hearing impairment": "Sensory support: Support for hearing impairment",
            "Sensory Support: Support for dual impairment": "Sensory support: Support for dual impairment",
            "Support with Memory & Cognition": "Support with memory and cognition",
            "Learning Disability Support": "Learning disability support", "Mental Health Support": "Mental health support",
            "Social Support: Substance misuse support": "Social support: Substance misuse support",
            "Social Support: Asylum seeker support": "Social support: Asylum seeker support",
            "Social Support: Support for Social Isolation/Other":
                "Social support: Support for social isolation or other reason",
            "Social Support: Support to Carer": "Social support: Support to unpaid carer",
        ],
        note: "Only 'Social support: Support to unpaid carer' is in DHSC's Release 2 code; the rest are secondary "
            + "labels that agree on sentence case. They disagree on '…social isolation or other reason' (DHSC's "
            + "GASCD labels) and '…or other' (an ICB's cleaning macro).")

    static let accommodationList = CLDList(
        .accommodationStatus, .confirmed,
        AccommodationStatus.allCases.map { E(CLDCodes.accommodation($0), CLDSource.ascof2E) },
        release1: [
            "Tenant": "Tenant: Local authority or other social housing provider",
            "Tenant - private landlord": "Tenant: Private landlord",
            "Settled mainstream housing with family / friends": "Settled mainstream housing with family or friends",
            "Supported accommodation / supported lodgings / supported group home":
                "Supported accommodation, supported lodgings or supported group home",
            "Sheltered housing / extra care housing / other sheltered housing":
                "Sheltered housing, extra care housing or other sheltered housing",
            "Mobile accommodation for Gypsy / Roma and Traveller communities":
                "Mobile accommodation for Gypsy, Roma and Traveller communities",
            "Rough sleeper / squatting": "Rough sleeper or squatting",
            "Night shelter / emergency hostel / direct access hostel":
                "Night shelter, emergency hostel or direct access hostel",
            "Staying with family / friends as a short-term guest": "Staying with family or friends as a short term guest",
            "Acute / long-term healthcare residential facility or hospital":
                "Acute hospital or long term healthcare residential facility",
            "Prison / Young offenders institution / detention centre":
                "Prison, young offenders institution or detention centre",
        ],
        note: "The twenty values of DHSC's ASCOF 2E reference table (its two 'Unknown: presumed …' values are DHSC's "
            + "own, not the specification's).")

    static let employmentList = CLDList(
        .employmentStatus, .confirmed,
        EmploymentStatus.allCases.map { E(CLDCodes.employment($0), CLDSource.personDetails) },
        release1: [
            "Not in Paid Employment (not actively seeking work / retired)":
                "Not in paid employment: Not actively seeking work or retired",
            "Not in Paid Employment (seeking work)": "Not in paid employment: Seeking work",
            "Not in Paid Employment (voluntary work only)": "Not in paid employment: Voluntary work only",
        ],
        note: "DHSC's personal-details reference table.")

    static let hasUnpaidCarerList = CLDList(
        .hasUnpaidCarer, .partial,
        [E("Yes", CLDSource.personDetailsR1), E("No", CLDSource.personDetailsR1), E("Unknown", CLDSource.personDetails)],
        note: "Yes and No in DHSC's code ('same in R2 as R1'); DHSC reads 'Unknown' as unknown, not said to be a "
            + "specification value.")

    static let autismList = CLDList(
        .autism, .unconfirmed, [E("Yes", CLDSource.ours), E("No", CLDSource.ours), E("Unknown", CLDSource.ours)],
        note: "No source gives its values (DHSC does not clean it); ours follow Has Unpaid Carer.")

    static let dementiaList = CLDList(
        .dementia, .unconfirmed, [E("Yes", CLDSource.ours), E("No", CLDSource.ours), E("Unknown", CLDSource.ours)],
        note: "No source gives its values (DHSC does not clean it); ours follow Has Unpaid Carer.")

    static let visualImpairmentList = CLDList(
        .visualImpairment, .unconfirmed, VisualImpairment.allCases.map { E(CLDCodes.visual($0), CLDSource.socialCareData) },
        note: "DHSC cleans it but prints no value; these are a secondary source's.")

    static let hearingImpairmentList = CLDList(
        .hearingImpairment, .unconfirmed,
        HearingImpairment.allCases.map { E(CLDCodes.hearing($0), CLDSource.socialCareData) },
        note: "DHSC cleans it but prints no value; these are a secondary source's (note its '- severity unknown' for "
            + "sight beside ': Severity unknown' for hearing).")

    static let fundingList = CLDList(
        .clientFundingStatus, .partial,
        [
            E("Fully social care funded", CLDSource.personDetails),
            E("Joint client and social care funded", CLDSource.personDetails),
            E("Fully client funded", CLDSource.personDetails), E("Unknown", CLDSource.socialCareData),
        ],
        note: "Three values in DHSC's code, unchanged from Release 1; 'Unknown' from a secondary source.")

    static let eventTypesList = CLDList(
        .eventType, .confirmed, CLDEvent.EventType.allCases.map { E($0.rawValue, CLDSource.facts) },
        note: "The four event types of DHSC's fact tables.")

    static let outcomesList = CLDList(
        .outcome, .confirmed, Outcome.allCases.map { E($0.rawValue, CLDSource.deduplication) },
        release1: [
            "Progress to Reablement/ST-Max": "Progress to reablement/ST-Max",
            "Progress to Assessment": "Progress to assessment, review or reassessment",
            "Progress to Re-assessment / Unplanned Review": "Progress to assessment, review or reassessment",
            "Progress to Support Planning / Services": "Progress to support planning or services",
            "No change in package": "Continuation of support or services",
            "Admitted to Hospital": "Admitted to hospital",
            "NFA - Moved to another LA": "NFA: Responsibility moved to another local authority",
            "NFA - 100% NHS funded care": "NFA: Referral to NHS services or NHS funded social care",
            "NFA - Self-funded client (Inc. 12wk disregard)": "NFA: Self-funded client or under 12wk disregard",
            "NFA - Self-funded client (inc. 12wk disregard)": "NFA: Self-funded client or under 12wk disregard",
            "NFA - Information & Advice / Signposting only": "NFA: Information and advice or signposting",
            "NFA - Support declined": "NFA: Support declined", "NFA - Deceased": "NFA: Deceased",
            "Service ended as planned": "NFA: Support ended as planned",
            "NFA - Support ended: Other reason": "NFA: Support ended for other reason",
            "NFA - No services offered: Other reason": "NFA: No services offered for other reason",
            "NFA- Other": "NFA: Other",
        ],
        note: "DHSC's hierarchy of the sixteen Release 2 outcomes (its 'Release 1 specification only: Not mapped' is "
            + "DHSC's own placeholder). Which outcomes suit which event type is not stated.")

    static let routesList = CLDList(
        .routeOfAccess, .unconfirmed,
        [
            "Self-Referral", "Community / Other route", "Discharge from Hospital", "Diversion from Hospital services",
            "Self-Funder with depleted funds", "Prison", "Planned Entry (Transition)",
        ].map { E($0, CLDSource.ours) },
        note: "DHSC cleans it but prints no value: these are SALT's STS001 routes, our words until the workbook is "
            + "read.")

    static let assessmentTypesList = CLDList(
        .assessmentType, .partial,
        [E("Short term assessment", CLDSource.waitingTimes), E("Long term assessment", CLDSource.waitingTimes)],
        note: "Two values in DHSC's waiting-times code; whether there are more (a financial or a carer's assessment) "
            + "is not known.")

    static let eligibleNeedsList = CLDList(
        .eligibleNeeds, .unconfirmed, [E("Yes", CLDSource.ours), E("No", CLDSource.ours)],
        note: "No source gives its values (DHSC does not clean it).")

    static let assessmentMethodsList = CLDList(
        .assessmentMethod, .unconfirmed,
        Participants.allCases.map { E(CLDCodes.participants($0), CLDSource.release1Guidance) },
        note: "Release 1's guidance: who took part (service user, carer, both), not face to face or by telephone. "
            + "Release 2's wording is not public (it renamed 'Carer' 'Unpaid carer' elsewhere).")

    static let hoursCaringList = CLDList(
        .hoursCaring, .unconfirmed, [],
        note: "A defined list DHSC cleans; no source prints its values, so we leave the column empty.")

    static let serviceTypesList = CLDList(
        .serviceType, .confirmed, ServiceType.allCases.map { E($0.rawValue, CLDSource.cleaning) },
        release1: [
            "Long Term Support: Nursing Care": "Long term support: Nursing care",
            "Long Term Support: Residential Care": "Long term support: Residential care",
            "Long Term Support: Community": "Long term support: Community",
            "Long Term Support: Prison": "Long term support: Prison",
            "Short Term Support: ST-Max": "Short term support: ST-Max",
            "Short Term Support: Ongoing Low Level": "Short term support: Ongoing low level",
            "Short Term Support: Other Short Term": "Short term support: Other short term",
            "Carer Support: Direct to Carer": "Unpaid carer support: Direct to unpaid carer",
            "Carer Support: Support involving the person cared-for":
                "Unpaid carer support: Support involving the person cared-for",
        ],
        note: "The nine values of DHSC's service-type grouping.")

    static let serviceComponentsList = CLDList(
        .serviceComponent, .partial,
        [
            E("Reablement", CLDSource.ascof2D), E("Short term residential care", CLDSource.ascof2A),
            E("Short term nursing care", CLDSource.ascof2A), E("Equipment", CLDSource.ascof2A),
            E("Direct payment", CLDSource.ascof3D), E("Shared Lives", CLDSource.personDetails),
            E("Community supported living", CLDSource.personDetails), E("Extra care housing", CLDSource.personDetails),
            E("Home support or domiciliary care", CLDSource.personDetails),
        ]
            + [
                "Long term nursing care", "Long term residential care", "Day support", "Meals", "Transport",
                "Professional support: Social worker", "Professional support: Other",
                "Learning, education or employment support", "End of life care", "Emergency support",
                "Other short term support", "Other long term support", "Unpaid carer respite",
                "Unpaid carer sitting service", "Unpaid carer universal services", "Other unpaid carer support",
            ].map { E($0, CLDSource.socialCareData) },
        release1: [
            "Short Term Residential Care": "Short term residential care", "Short Term Nursing Care": "Short term nursing care",
            "Direct Payment": "Direct payment", "Home Support": "Home support or domiciliary care",
            "Community Supported Living": "Community supported living",
        ],
        note: "Nine values in DHSC's code; the rest from a secondary source. Which components go with which service "
            + "type is not stated.")

    static let mechanismsList = CLDList(
        .deliveryMechanism, .confirmed, DeliveryMechanism.allCases.map { E($0.rawValue, CLDSource.ascof3D) },
        release1: [
            "Direct Payment": "Direct payment", "CASSR Managed Personal Budget": "CASSR managed personal budget",
            "CASSR Commissioned Support": "CASSR commissioned support",
            "CASSR Commissioned support": "CASSR commissioned support",
        ],
        note: "DHSC's ASCOF 3D; Release 1 had exactly these three, in title case.")

    static let reviewReasonsList = CLDList(
        .reviewReason, .partial,
        [E("Review of short term support", CLDSource.derivedFields)]
            + [
                "Planned", "Unplanned - Hospital (Planned and unplanned episodes)", "Unplanned - Carer related",
                "Unplanned - Safeguarding concern", "Unplanned - Other Reason", "Unplanned - Provider Failure",
                "Unplanned - Change in Commissioning arrangements",
            ].map { E($0, CLDSource.release1Guidance) },
        note: "DHSC's Release 2 code has 'Review of short term support' and groups the rest by their first word "
            + "(Planned…, Unplanned…); the full values are Release 1's guidance, not confirmed for Release 2.")

    static let outcomesAchievedList = CLDList(
        .outcomesAchieved, .unconfirmed,
        OutcomesAchieved.allCases.map { E(CLDCodes.outcomesAchieved($0), CLDSource.ours) },
        note: "DHSC cleans it but prints no value: our words until the workbook is read.")

    static let reviewMethodsList = CLDList(
        .reviewMethod, .unconfirmed,
        Participants.allCases.map { E(CLDCodes.participants($0), CLDSource.release1Guidance) },
        note: "As Method of Assessment.")

    static let costUnitsList = CLDList(
        .costFrequency, .unconfirmed, CostUnit.allCases.map { E(CLDCodes.costUnit($0), CLDSource.socialCareData) },
        note: "A secondary source's list; DHSC's cost code matches 'week%', 'fortnight%', '4-week%', 'month%', "
            + "'quarter%', 'annual%' and 'one-off' without case, so the case of each is not confirmed.")
}
