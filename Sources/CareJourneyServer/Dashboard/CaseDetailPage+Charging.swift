import CareJourneyCore

/// The case page's parts for charging, the NHS's part and Kent's high-cost checklist.
extension CaseDetailPage {
    /// Summary rows: the financial assessment, the personal budget in its parts, and the NHS's part.
    static func chargingRows(_ state: CaseState) -> HTML {
        var rows: [HTML] = []
        if let assessment = state.charging {
            let outcome = assessment.outcome.map { $0.words } ?? "none yet"
            let overdue: HTML? = assessment.overdueSince.map {
                " <span class=\"tag overdue\">re-assessment overdue since \(UKTime.day($0))</span>"
            }
            let due: HTML? = state.timers[.chargingReassessmentDue].map {
                "; re-assessment due \(UKTime.due($0, timer: .chargingReassessmentDue, dayOnly: true))"
            }
            rows.append(
                """
                <dt>Financial assessment</dt><dd data-field="charging">\(assessment.status.rawValue): \
                \(outcome)\(due)\(overdue)</dd>
                """)
        }
        if let split = state.budgetSplit {
            let contribution = split.isProvisional ? "to be assessed (provisional)" : "\(split.contribution)"
            var parts = "\(split.personalBudget) a week: council \(split.councilFunding), the person \(contribution)"
            if split.nhsShare > .zero { parts += ", NHS \(split.nhsShare)" }
            if let paid = split.directPayment {
                parts += "; direct payment paid \(paid.payment) \(paid.frequency.rawValue)" + (paid.net ? " (net)" : "")
            }
            rows.append("<dt>Personal budget</dt><dd data-field=\"budget-split\">\(parts)</dd>")
        }
        if let health = state.health {
            var words = ["CHC \(health.chc.rawValue)"]
            if let share = health.jointFundingWeekly { words.append("joint funding: NHS \(share) a week") }
            if health.s117Aftercare { words.append("s117 aftercare (exempt from charging)") }
            rows.append("<dt>NHS</dt><dd data-field=\"health\">\(words.joined(separator: "; "))</dd>")
        }
        if state.signedOffPlan != nil {
            rows.append(
                "<dt>Plan</dt><dd><a href=\"/cases/\(state.id.rawValue)/plan\">The person's copy of the plan</a></dd>")
        }
        return HTML(joining: rows)
    }

    /// Kent's checklist as put to the panel: each item with its answer and evidence or reason.
    static func highCostChecklist(_ state: CaseState) -> HTML? {
        guard let checklist = state.highCost.checklist else { return nil }
        let reason = checklist.reason.map { $0.rawValue + (checklist.reasonOther.map { ": \($0)" } ?? "") } ?? "—"
        var rows: [HTML] = ["<tr><th scope=\"row\">1</th><td>the reason for the high-cost package</td><td>\(reason)</td></tr>"]
        for item in KentItem.allCases {
            let answer = checklist.answers[item]
            let words =
                switch answer?.answer {
                case .considered?: "considered: \(answer?.evidence ?? "")"
                case .notApplicable?: "not applicable: \(answer?.reason ?? "")"
                case nil: "unanswered"
                }
            rows.append("<tr><th scope=\"row\">\(item.number)</th><td>\(item.question)</td><td>\(words)</td></tr>")
        }
        return """
            <div class="table-wrap"><table id="high-cost-checklist"><caption>Kent's high-cost checklist, as put to \
            the panel (options appraised: \(checklist.optionsAppraised.map(\.rawValue).joined(separator: ", ")); best \
            value: \(checklist.bestValueOption?.rawValue ?? "—"))</caption>
            <thead><tr><th scope="col">Item</th><th scope="col">Considered</th><th scope="col">Answer</th></tr></thead>
            <tbody>\(HTML(joining: rows))</tbody></table></div>
            """
    }
}
