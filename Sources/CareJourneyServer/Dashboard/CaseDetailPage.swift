import CareJourneyCore
import CareJourneyStore
import Foundation

/// One case: where it is, its side machines, its pending timers and tasks, what staff may do, and the whole
/// audit timeline (what, when, who, why).
enum CaseDetailPage {
    static func render(
        _ record: CaseRecord, accepts: [EventName], viewer: Viewer, policy: Policy, now: Date, notice: String? = nil,
        errors: [String] = [], errorField: String? = nil
    ) -> HTML {
        let state = record.state
        let id = state.id.rawValue
        return PageLayout.page(
            title: "\(id): \(state.person?.name ?? "unnamed")", section: .cases, viewer: viewer, caseID: id,
            main: """
                \(PageLayout.errors(errors, linkedTo: errorField))\(PageLayout.notice(notice))
                \(viewer.canSeeAccess ? "<p><a href=\"/cases/\(id)/access\">Who has read this case</a></p>" : nil)
                <div id="case-summary" data-live>
                \(summary(state))
                \(highCostChecklist(state))
                <h2>Next steps</h2>
                \(timers(state))
                \(tasks(record, viewer: viewer, policy: policy, now: now))
                </div>
                \(steps(state, accepts: accepts, viewer: viewer, policy: policy))
                \(viewer.canAct ? actions(state, accepts: accepts, viewer: viewer) : nil)
                <div id="case-timeline" data-live>
                <h2>Timeline</h2>
                \(timeline(record.history))
                </div>
                """)
    }

    private static func summary(_ state: CaseState) -> HTML {
        let closure: HTML? = state.closure.map {
            "<dt>Closed</dt><dd>\(UKTime.element($0.at)) (\($0.reason.rawValue))</dd>"
        }
        let overdue: HTML? = state.reviews.overdue.map {
            " <span class=\"tag overdue\">\($0.type.rawValue) review overdue (due \(UKTime.due($0.due, timer: .reviewPlannedDue, dayOnly: true)))</span>"
        }
        let review = state.reviews.current.map {
            "\($0.type.rawValue) review in progress" + ($0.reason.map { " (\($0.rawValue))" } ?? "")
        }
        let hold: HTML = state.hold.map { hold in
            """
            <span class="tag hold">legal hold</span> since \(UKTime.element(hold.at)) by \(hold.by): \(hold.reason) \
            (never disposed of while it stands)
            """
        } ?? "none"
        return """
            <dl class="summary">
            <dt>Stage</dt><dd data-field="stage">\(state.stage.rawValue)\(overdue)</dd>
            <dt>Person</dt><dd>\(state.person?.name ?? "—") (\(state.person?.clientType.rawValue ?? "—"), \
            came by \(state.person?.route.rawValue ?? "—"))</dd>
            <dt>Recorded details</dt><dd data-field="details">\(details(state.person?.details))</dd>
            <dt>Opened</dt><dd>\(state.openedAt.map { UKTime.element($0) })</dd>
            <dt>Team</dt><dd data-field="team">\(state.allocation?.team ?? "none")</dd>
            <dt>Allocated to</dt><dd data-field="worker">\(state.allocation?.worker ?? "nobody")</dd>
            <dt>Reviews</dt><dd>\(review ?? "\(state.reviews.completed) completed")</dd>
            <dt>Safeguarding</dt><dd data-field="safeguarding">\(state.safeguarding.status.rawValue)</dd>
            <dt>Complaint</dt><dd>\(state.complaint.status.rawValue)</dd>
            <dt>Advocacy</dt><dd>\(state.advocacy.status.rawValue)\(state.advocacy.advocate.map { " (\($0))" })</dd>
            <dt>Direct payment</dt><dd>\(state.directPayment.status.rawValue)</dd>
            <dt>High-cost approval</dt><dd>\(state.highCost.status.rawValue)</dd>
            \(chargingRows(state))
            <dt>Legal hold</dt><dd data-field="hold">\(hold)</dd>
            \(closure)
            </dl>
            """
    }

    /// The person's details for statutory returns, naming those the return needs and not yet known
    /// (docs/reporting.md).
    private static func details(_ details: PersonDetails?) -> String {
        let fields = (details ?? PersonDetails()).labelledFields
        let given = fields.compactMap { field in field.value.map { "\(field.name) \($0)" } }
        let missing = fields.filter { $0.value == nil && $0.needed }.map(\.name)
        return (given.isEmpty ? "none" : given.joined(separator: ", "))
            + (missing.isEmpty ? "" : "; not recorded: \(missing.joined(separator: ", "))")
    }

    private static func timers(_ state: CaseState) -> HTML {
        guard !state.timers.isEmpty else { return "<p>No timers pending.</p>" }
        let rows = HTML(
            joining: state.pendingTimers.map { timer in
                "<tr><td>\(timer.name.rawValue)</td><td>\(UKTime.due(timer.due, timer: timer.name))</td></tr>"
            })
        return """
            <div class="table-wrap"><table id="timers"><caption>Pending timers</caption>
            <thead><tr><th scope="col">Timer</th><th scope="col">Due</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
    }

    private static func tasks(_ record: CaseRecord, viewer: Viewer, policy: Policy, now: Date) -> HTML {
        let open = Dictionary(uniqueKeysWithValues: record.state.tasks.values.map { ($0.id.description, $0) })
        let shown = record.tasks.filter { open[$0.id] != nil }
        guard !shown.isEmpty else { return "<p>No open tasks.</p>" }
        let rows = HTML(
            joining: shown.map { task in
                let kind = TaskKind(rawValue: task.kind)
                let failed: HTML? = task.status == "failed" ? "<span class=\"tag failed\">failed</span> " : nil
                let caseTask = open[task.id]
                let people = policy.server(of: task.queue) == .people
                let buttons: HTML? =
                    people
                    ? TaskButtons.render(
                        task.id, kind: kind, heldBy: caseTask?.heldBy, viewer: viewer, policy: policy,
                        back: "/cases/\(record.state.id.rawValue)")
                    : viewer.canAct && kind?.replyEvent != nil
                        ? taskButtons(record.state.id.rawValue, task.id, viewer) : nil
                let holder: HTML? =
                    people
                    ? "<br><span data-column=\"held-by\">held by \(caseTask?.heldBy ?? "nobody")</span>" : nil
                let due: HTML? = caseTask?.due.map { due in
                    TaskDue.isOverdue(due, at: now)
                        ? "<br>due \(UKTime.element(due, dayOnly: true)) <span class=\"tag overdue\">overdue</span>"
                        : "<br>due \(UKTime.element(due, dayOnly: true))"
                }
                return """
                    <tr data-task="\(task.id)" id="task-\(task.id)"><td>\(task.id)</td><td>\(kind?.summary ?? task.kind)<br>\
                    <span class="hint">\(task.kind) on \(task.queue)</span></td><td>\(failed)\(task.status)\(holder)\(due)</td>\
                    <td class="num">\(task.attempts)</td><td>\(UKTime.element(task.createdAt))</td>\
                    <td>\(task.lastError ?? task.progress ?? "")</td><td>\(buttons)</td></tr>
                    """
            })
        return """
            <div class="table-wrap"><table id="tasks"><caption>Open tasks</caption>
            <thead><tr><th scope="col">Task</th><th scope="col">What</th><th scope="col">Status</th>\
            <th scope="col" class="num">Attempts</th><th scope="col">Created</th><th scope="col">Last report</th>\
            <th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """
    }

    private static func taskButtons(_ caseID: String, _ task: String, _ viewer: Viewer) -> HTML {
        """
        <form class="inline-form" method="post" action="/cases/\(caseID)/tasks/retry">\(viewer.csrfField)\
        <input type="hidden" name="task" value="\(task)">\
        <label class="visually-hidden" for="retry-why-\(task)">Why retry \(task)</label>\
        <input type="text" id="retry-why-\(task)" name="reason" placeholder="Why" required>\
        <button type="submit" class="secondary">Retry</button></form>
        <form class="inline-form" method="post" action="/cases/\(caseID)/tasks/cancel">\(viewer.csrfField)\
        <input type="hidden" name="task" value="\(task)">\
        <label class="visually-hidden" for="cancel-why-\(task)">Why cancel \(task)</label>\
        <input type="text" id="cancel-why-\(task)" name="reason" placeholder="Why" required>\
        <button type="submit" class="warning">Cancel task</button></form>
        """
    }

    /// A form for each step the case takes now that the viewer's role may take (`EventForm`), and the plan's parts.
    private static func steps(_ state: CaseState, accepts: [EventName], viewer: Viewer, policy: Policy) -> HTML? {
        let id = state.id.rawValue
        let names = accepts.filter { Dashboard.hasForm($0) && viewer.may($0, under: policy) }
        guard !names.isEmpty else { return nil }
        let links = HTML(
            joining: names.map { name -> HTML in
                let form = "/cases/\(id)/events/\(name.rawValue)"
                return "<li><a href=\"\(form)\" data-form=\"\(name.rawValue)\">\(EventCatalog.summary(of: name))</a> <span class=\"hint\">\(name.rawValue)</span></li>"
            })
        let plan: HTML? =
            names.contains(.planUpdated)
            ? "<p><a href=\"/cases/\(id)/plan/edit\" id=\"edit-plan\">Edit the plan in parts, with the sign-off checklist</a></p>"
            : nil
        return "<h2>Record a step</h2>\(plan)<ul class=\"steps\" id=\"steps\">\(links)</ul>"
    }

    private static func actions(_ state: CaseState, accepts: [EventName], viewer: Viewer) -> HTML {
        let id = state.id.rawValue
        let reassign: HTML? =
            accepts.contains(.reassign)
            ? """
            <details><summary>Reassign</summary>
            <form method="post" action="/cases/\(id)/reassign">\(viewer.csrfField)
            <div class="field"><label for="team">Team</label>\
            <input type="text" id="team" name="team" value="\(state.allocation?.team ?? "")"></div>
            <div class="field"><label for="worker">Allocated practitioner</label>\
            <input type="text" id="worker" name="worker" value="\(state.allocation?.worker ?? "")"></div>
            <div class="field"><label for="reassign-reason">Why</label>\
            <textarea id="reassign-reason" name="reason" required></textarea></div>
            <button type="submit">Reassign</button></form></details>
            """ : nil
        let reasons = HTML(
            joining: UnplannedReason.allCases.map { "<option value=\"\($0.rawValue)\">\($0.rawValue)</option>" })
        let review: HTML? =
            accepts.contains(.startReview)
            ? """
            <details><summary>Start an unplanned review</summary>
            <form method="post" action="/cases/\(id)/review">\(viewer.csrfField)
            <div class="field"><label for="review-kind">Reason for the review</label>\
            <select id="review-kind" name="kind">\(reasons)</select></div>
            <div class="field"><label for="review-reason">What happened</label>\
            <textarea id="review-reason" name="reason" required></textarea></div>
            <button type="submit">Start the review</button></form></details>
            """ : nil
        guard reassign != nil || review != nil else { return "" }
        return "<h2>Actions</h2><div class=\"actions\">\(reassign)\(review)</div>"
    }

    private static func timeline(_ history: [HistoryEntry]) -> HTML {
        let items = HTML(
            joining: history.reversed().map { entry in
                let why: HTML? = entry.reason.map { "<div>Why: \($0)</div>" }
                let late: HTML? = entry.late.map { " (fired \(UKTime.duration($0)) late)" }
                let data = entry.data.serializedText
                let shown: HTML? = data == "{}" ? nil : "<div class=\"data\">\(data)</div>"
                return """
                    <li data-event="\(entry.name)"><span class="what">\(entry.name)</span>\(late) — \
                    \(UKTime.element(entry.at)) by <span class="who">\(entry.actor)</span>\(why)\(shown)</li>
                    """
            })
        return "<ol class=\"timeline\" reversed>\(items)</ol>"
    }
}

extension JSONValue {
    /// The value as compact JSON text.
    fileprivate var serializedText: String { String(decoding: serialized(), as: UTF8.self) }
}
