import CareJourneyCore
import Foundation

/// A copy of a signed-off plan as an accessible HTML document for the person (and whoever they share it with):
/// headings in order, each list a list, the budget a table with a caption and header cells, text escaped. It has no
/// inline style and no script, so the dashboard's content security policy (`style-src 'self'`) holds; it links the
/// plan's stylesheet, whose print rules lay it out on paper.
///
/// Derbyshire: a carer's plan is "agreed and shared with the carer and a copy provided"; Medway: "Clients receive a
/// copy of their plan".
///
/// ```swift
/// if let copy = PlanCopy(of: state, at: now) { let html = PlanDocument(copy, calendar: policy.councilCalendar).html }
/// ```
public struct PlanDocument: Sendable {
    /// The copy to render.
    public let copy: PlanCopy
    /// The council's calendar, whose days the document's dates are.
    public let calendar: CouncilCalendar
    /// Where the plan's stylesheet is served (the dashboard serves `/assets/plan.css`).
    public let stylesheet: String

    /// A document for `copy`, its dates days on `calendar` (the policy's), linking `stylesheet`.
    public init(_ copy: PlanCopy, calendar: CouncilCalendar, stylesheet: String = "/assets/plan.css") {
        self.copy = copy
        self.calendar = calendar
        self.stylesheet = stylesheet
    }

    /// The whole document.
    public var html: String {
        let plan = copy.plan
        let carer = copy.clientType == .carer
        var body: [String] = []
        body.append("<header><h1>\(carer ? "Carer's support plan" : "Care and support plan") for \(e(copy.person))</h1>")
        body.append(
            "<p>Case \(e(copy.caseID.rawValue)). Signed off \(day(copy.signedOffAt)); this copy made \(day(copy.madeAt)) "
                + "for \(e(copy.recipients.joined(separator: ", "))).</p></header>")
        body.append(section("needs", "Needs and outcomes", list("Needs", plan.needs) + list("Outcomes", plan.outcomes)))
        body.append(
            section(
                "eligibility", "Eligible needs",
                list("Eligible needs", plan.eligibleNeeds) + list("Needs that are not eligible", plan.ineligibleNeeds)))
        body.append(section("advice", "Information and advice", paragraph(plan.informationAndAdvice)))
        body.append(section("network", "What your own resources and network meet", list(nil, plan.metByNetwork)))
        let met = (plan.needsMetByCouncil ?? []).map { "\(e($0.need)): \(e($0.how))" }
        body.append(section("council", "The needs the council will meet, and how", rawList(met)))
        body.append(section("budget", "Your personal budget", budget()))
        if !carer {
            body.append(
                section(
                    "person", "What is important to you and for you",
                    "<dl><dt>Important to you</dt><dd>\(e(plan.importantTo ?? "—"))</dd>"
                        + "<dt>Important for you</dt><dd>\(e(plan.importantFor ?? "—"))</dd></dl>"))
            body.append(section("control", "Making decisions and staying in control", paragraph(plan.decisionsAndControl)))
        }
        var contingency = paragraph(plan.contingencyPlan)
        if let setAside = plan.contingencyBudget {
            contingency += "<p>Set aside for it: \(e(setAside.description)) a week.</p>"
        }
        if let contact = plan.crisisContact { contingency += "<p>In a crisis, contact: \(e(contact)).</p>" }
        body.append(section("risks", "Risks and how they are managed", paragraph(plan.riskManagement)))
        body.append(section("contingency", "If the plan breaks down", contingency))
        return """
            <!DOCTYPE html>
            <html lang="en-GB">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(carer ? "Carer's support plan" : "Care and support plan") — \(e(copy.person))</title>
            <link rel="stylesheet" href="\(e(stylesheet))">
            </head>
            <body class="plan-copy">
            <main>
            \(body.joined(separator: "\n"))
            </main>
            </body>
            </html>

            """
    }

    /// The budget: its parts under charging, how it is spent, and its cost at the council's reasonable rates beside
    /// its actual cost.
    private func budget() -> String {
        let plan = copy.plan
        var rows: [(String, String)] = []
        if let total = plan.personalBudget { rows.append(("Personal budget", "\(total) a week")) }
        if let split = copy.budget {
            if split.nhsShare > .zero { rows.append(("Paid by the NHS (joint funding)", "\(split.nhsShare) a week")) }
            rows.append(
                (
                    "Your contribution",
                    split.isProvisional ? "to be assessed (financial assessment outstanding)" : "\(split.contribution) a week"
                ))
            rows.append(("Council funding", "\(split.councilFunding) a week"))
        }
        if let part = plan.councilManaged {
            rows.append(("Arranged by the council", "\(part.services.joined(separator: ", ")): \(part.weeklyCost) a week"))
        }
        if let payment = plan.directPayment {
            var paid = "\(payment.amount) \(payment.frequency.rawValue)"
            if let net = copy.budget?.directPayment, net.net, net.payment != payment.amount {
                paid = "\(net.payment) \(payment.frequency.rawValue), after your contribution (the plan: \(paid))"
            }
            rows.append(("Direct payment", paid))
            if let needs = payment.needsMet, !needs.isEmpty {
                rows.append(("The direct payment meets", needs.joined(separator: ", ")))
            }
        }
        rows.append(("The plan's cost", "\(copy.actualCost) a week"))
        if let reasonable = copy.reasonableCost {
            rows.append(("At the council's reasonable rates", "\(reasonable) a week"))
        }
        let body = rows.map { "<tr><th scope=\"row\">\(e($0.0))</th><td>\(e($0.1))</td></tr>" }.joined()
        var table = "<table><caption>Your personal budget, a week</caption><tbody>\(body)</tbody></table>"
        if let items = plan.supportItems, !items.isEmpty {
            let lines = items.map { item in
                "<tr><th scope=\"row\">\(e(item.rate))</th><td>\(e(String(format: "%g", item.perWeek)))</td>"
                    + "<td>\(e(item.unitCost.description))</td><td>\(e(item.weeklyCost.description))</td></tr>"
            }
            table +=
                "<table><caption>Support at the council's reasonable rates</caption><thead><tr>"
                + "<th scope=\"col\">Support</th><th scope=\"col\">A week</th><th scope=\"col\">Rate</th>"
                + "<th scope=\"col\">Cost a week</th></tr></thead><tbody>\(lines.joined())</tbody></table>"
        }
        return table
    }

    private func section(_ id: String, _ title: String, _ content: String) -> String {
        "<section aria-labelledby=\"plan-\(id)\"><h2 id=\"plan-\(id)\">\(e(title))</h2>\(content)</section>"
    }

    private func list(_ title: String?, _ items: [String]) -> String {
        let heading = title.map { "<h3>\(e($0))</h3>" } ?? ""
        return heading + rawList(items.map(e))
    }

    private func rawList(_ escaped: [String]) -> String {
        escaped.isEmpty ? "<p>None.</p>" : "<ul>" + escaped.map { "<li>\($0)</li>" }.joined() + "</ul>"
    }

    private func paragraph(_ text: String?) -> String { "<p>\(e(text ?? "—"))</p>" }

    /// The council's day `date` falls on, `YYYY-MM-DD`.
    private func day(_ date: Date) -> String { e(calendar.day(of: date).description) }

    /// Text made safe for element content and quoted attribute values.
    private func e(_ text: String) -> String { HTMLEscaping.escape(text) }
}

extension TaskBrief {
    /// The brief a worker receives: the core's, and for a `send-plan-copy` task the plan rendered as an accessible,
    /// printable HTML document (`html`), made from the case's own data as it stands.
    public static func forWorker(_ task: CareTask, in state: CaseState, calendar: CouncilCalendar) -> TaskBrief {
        var brief = TaskBrief(for: task, in: state, calendar: calendar)
        guard task.kind == .sendPlanCopy, let copy = PlanCopy(of: state, at: task.createdAt) else { return brief }
        brief.fields["html"] = .string(PlanDocument(copy, calendar: calendar).html)
        return brief
    }
}
