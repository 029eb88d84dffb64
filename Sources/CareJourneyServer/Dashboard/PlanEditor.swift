import CareJourneyCore
import CareJourneyStore
import Foundation

/// The plan edited in parts, with the sign-off checklist beside it: what the policy asks of the plan, each held or
/// not, and everything sign-off would still refuse, in the words its refusal uses (`Journey.signOffConditions`), each
/// item of the plan linked to the part and field that supply it.
enum PlanEditor {
    static func render(
        _ record: CaseRecord, part: PlanPart, form: EventForm, policy: Policy, now: Date, viewer: Viewer,
        notice: String? = nil
    ) -> HTML {
        let id = record.state.id.rawValue
        let parts = HTML(
            joining: PlanPart.allCases.map { item -> HTML in
                let here: HTML? = item == part ? " aria-current=\"page\"" : nil
                return "<li><a href=\"/cases/\(id)/plan/edit?part=\(item.rawValue)\"\(here)>\(item.title)</a></li>"
            })
        return PageLayout.page(
            title: "The plan for \(id): \(part.title)", section: .cases, viewer: viewer,
            main: """
                \(PageLayout.notice(notice))
                <p class="hint"><a href="/cases/\(id)">Back to the case</a> (\(record.state.person?.name ?? "unnamed")). \
                Each part shows what the plan holds and is saved on its own; a field left blank keeps what the plan \
                holds.</p>
                <nav class="plan-parts" aria-label="Parts of the plan"><ol>\(parts)</ol></nav>
                <div class="plan-layout"><div class="plan-form">
                \(form.render(viewer: viewer, submit: "Save this part"))
                </div>
                <aside class="checklist" id="sign-off-checklist" data-live aria-labelledby="checklist-title">
                \(checklist(record.state, policy: policy, now: now))
                </aside></div>
                """)
    }

    /// The plan as the data of `plan-updated` (the same keys), to fill its parts in with.
    static func data(of plan: SupportPlan) -> JSONValue {
        (try? JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(plan))) ?? .object([:])
    }

    /// What sign-off needs, held or not.
    static func checklist(_ state: CaseState, policy: Policy, now: Date) -> HTML {
        let missing = Journey.signOffConditions(for: state, at: now, policy: policy)
        let items = HTML(
            joining: missing.map { item -> HTML in
                let words: HTML =
                    PlanPart.field(missing: item).flatMap { PlanPart.link(to: $0, on: state.id) }.map {
                        "<a href=\"\($0)\">\(item)</a>"
                    } ?? "\(item)"
                return "<li class=\"missing\"><span class=\"visually-hidden\">Missing: </span>\(words)</li>"
            })
        let status: HTML =
            missing.isEmpty
            ? "<p class=\"ready\" data-ready>Nothing is missing: the plan can be signed off.</p>"
            : "<p>Sign-off would be refused until the plan has:</p><ul class=\"missing-list\">\(items)</ul>"
        return "<h2 id=\"checklist-title\">Sign-off checklist</h2>\(status)"
    }
}
