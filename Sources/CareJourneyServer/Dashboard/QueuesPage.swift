import CareJourneyWire
import CareJourneyStore
import Foundation

/// Queues and workers: tasks by status, attempts, leases, failed tasks with their reasons (retry or cancel, one
/// by one or all on a queue at once), and the connected workers with their last heartbeat.
enum QueuesPage {
    static func render(
        _ figures: OverviewFigures, failed: [TaskListing], workers: [BrokerSnapshot.Worker], queue: String?,
        viewer: Viewer
    ) -> HTML {
        PageLayout.page(
            title: "Queues and workers", section: .queues, viewer: viewer,
            main: """
                <div id="queues-live" data-live>
                \(queueTable(figures.queues))
                <h2 id="failed">Failed tasks\(queue.map { " on \($0)" })</h2>
                \(failedTable(failed, viewer: viewer))
                <h2>Connected workers</h2>
                \(workerTable(workers, now: figures.at))
                </div>
                \(viewer.canBulk ? bulkForm(figures.queues, queue: queue, viewer: viewer) : nil)
                """)
    }

    /// Every queue with its depth, failures and oldest task (also on the overview): the queues workers serve with
    /// their workers, and people's queues (served from worklists, so no workers) with a link to each worklist.
    static func queueTable(_ queues: [OverviewFigures.QueueView]) -> HTML {
        guard !queues.isEmpty else { return "<p>No tasks and no workers yet.</p>" }
        let machines = queues.filter { $0.servedBy == .workers }
        let people = queues.filter { $0.servedBy == .people }
        return "\(machineTable(machines))\(peopleTable(people))"
    }

    private static func failedCell(_ queue: OverviewFigures.QueueView) -> HTML {
        queue.failed > 0
            ? "<a href=\"/queues?queue=\(queue.queue)#failed\"><span class=\"tag failed\">\(queue.failed)</span></a>"
            : "0"
    }

    private static func machineTable(_ queues: [OverviewFigures.QueueView]) -> HTML? {
        guard !queues.isEmpty else { return nil }
        let rows = HTML(
            joining: queues.map { queue in
                let noWorkers: HTML? =
                    queue.workers == 0 && queue.open > 0 ? " <span class=\"tag overdue\">no workers</span>" : nil
                return """
                    <tr data-queue="\(queue.queue)"><th scope="row"><a href="/cases?queue=\(queue.queue)">\(queue.queue)</a>\
                    \(noWorkers)</th><td class="num" data-column="open">\(queue.open)</td>\
                    <td class="num" data-column="leased">\(queue.leased)</td><td class="num" data-column="failed">\(failedCell(queue))</td>\
                    <td>\(queue.oldestOpenAge.map { UKTime.duration($0) } ?? "—")</td>\
                    <td class="num" data-column="workers">\(queue.workers) (\(queue.idleWorkers) idle)</td></tr>
                    """
            })
        return """
            <div class="table-wrap"><table id="queue-table"><caption>Queues workers serve (over MDP)</caption>
            <thead><tr><th scope="col">Queue</th><th scope="col" class="num">Open tasks</th>\
            <th scope="col" class="num">With a worker</th><th scope="col" class="num">Failed</th>\
            <th scope="col">Oldest open task</th><th scope="col" class="num">Workers</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """
    }

    private static func peopleTable(_ queues: [OverviewFigures.QueueView]) -> HTML? {
        guard !queues.isEmpty else { return nil }
        let rows = HTML(
            joining: queues.map { queue in
                """
                <tr data-queue="\(queue.queue)" data-served-by="people"><th scope="row">\
                <a href="/work/queues/\(queue.queue)">\(queue.queue)</a></th>\
                <td class="num" data-column="open">\(queue.open)</td><td class="num" data-column="failed">\(failedCell(queue))</td>\
                <td>\(queue.oldestOpenAge.map { UKTime.duration($0) } ?? "—")</td></tr>
                """
            })
        return """
            <div class="table-wrap"><table id="people-queue-table"><caption>People's queues (worked from worklists)</caption>
            <thead><tr><th scope="col">Queue</th><th scope="col" class="num">Open tasks</th>\
            <th scope="col" class="num">Failed</th><th scope="col">Oldest open task</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """
    }

    private static func failedTable(_ tasks: [TaskListing], viewer: Viewer) -> HTML {
        guard !tasks.isEmpty else { return "<p id=\"no-failed\">No failed tasks.</p>" }
        let rows = HTML(
            joining: tasks.map { task in
                """
                <tr data-task="\(task.id)"><td><a href="/cases/\(task.caseID.rawValue)">\(task.id)</a></td>\
                <td>\(task.kind)</td><td>\(task.queue)</td><td class="num">\(task.attempts)</td>\
                <td>\(UKTime.element(task.createdAt))</td><td>\(task.lastError ?? "")</td></tr>
                """
            })
        return """
            <div class="table-wrap"><table id="failed-table"><caption>Failed tasks, oldest first \
            (retry or cancel one from its case)</caption>
            <thead><tr><th scope="col">Task</th><th scope="col">Kind</th><th scope="col">Queue</th>\
            <th scope="col" class="num">Attempts</th><th scope="col">Created</th><th scope="col">Why it failed</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """
    }

    private static func workerTable(_ workers: [BrokerSnapshot.Worker], now: Date) -> HTML {
        guard !workers.isEmpty else { return "<p id=\"no-workers\">No workers are connected.</p>" }
        let rows = HTML(
            joining: workers.map { worker in
                let lease: HTML? = worker.leaseExpires.map { " (lease until \(UKTime.element($0)))" }
                return """
                    <tr><td>\(worker.name)</td><td>\(worker.service)</td><td>MDP/\(worker.protocolVersion)</td>\
                    <td>\(worker.task ?? "idle")\(lease)</td><td>\(UKTime.element(worker.lastHeard))</td></tr>
                    """
            })
        return """
            <div class="table-wrap"><table id="worker-table"><caption>Workers connected to the broker</caption>
            <thead><tr><th scope="col">Worker</th><th scope="col">Queue</th><th scope="col">Protocol</th>\
            <th scope="col">Working on</th><th scope="col">Last heard</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """
    }

    private static func bulkForm(_ queues: [OverviewFigures.QueueView], queue: String?, viewer: Viewer) -> HTML {
        let withFailures = queues.filter { $0.failed > 0 }
        guard !withFailures.isEmpty else { return "" }
        let options = HTML(
            joining: withFailures.map { item in
                let chosen: HTML? = item.queue == queue ? " selected" : nil
                return "<option value=\"\(item.queue)\"\(chosen)>\(item.queue) (\(item.failed) failed)</option>"
            })
        return """
            <h2>Act on every failed task of a queue</h2>
            <form method="post" action="/bulk/tasks">\(viewer.csrfField)
            <div class="field"><label for="bulk-queue">Queue</label><select id="bulk-queue" name="queue">\(options)</select></div>
            <fieldset><legend>What to do</legend>
            <div><input type="radio" id="bulk-retry" name="action" value="retry" checked> \
            <label for="bulk-retry" class="inline">Retry them</label></div>
            <div><input type="radio" id="bulk-cancel" name="action" value="cancel"> \
            <label for="bulk-cancel" class="inline">Cancel them</label></div></fieldset>
            <div class="field"><label for="bulk-reason">Why</label><textarea id="bulk-reason" name="reason" required></textarea></div>
            <button type="submit">Continue</button> <span class="hint">You will see how many tasks this affects and confirm.</span>
            </form>
            """
    }

    /// The confirmation before a bulk action: how many tasks it affects.
    static func confirm(
        action: String, queue: String, reason: String, count: Int, viewer: Viewer
    ) -> HTML {
        PageLayout.page(
            title: "Confirm: \(action) \(count) failed \(count == 1 ? "task" : "tasks")", section: .queues,
            viewer: viewer,
            main: """
                <p id="bulk-count">This will \(action) <strong>\(count)</strong> failed \
                \(count == 1 ? "task" : "tasks") on the <strong>\(queue)</strong> queue, each recorded on its \
                case's timeline with your name and the reason: “\(reason)”.</p>
                <form method="post" action="/bulk/tasks">\(viewer.csrfField)
                <input type="hidden" name="queue" value="\(queue)"><input type="hidden" name="action" value="\(action)">
                <input type="hidden" name="reason" value="\(reason)"><input type="hidden" name="expected" value="\(count)">
                <input type="hidden" name="confirmed" value="yes">
                <button type="submit" class="\(action == "cancel" ? "warning" : "")">Yes, \(action) \(count) \
                \(count == 1 ? "task" : "tasks")</button> <a href="/queues">No, go back</a>
                </form>
                """)
    }

    /// What a bulk action did.
    static func done(action: String, queue: String, applied: Int, refused: [String], viewer: Viewer) -> HTML {
        let refusals: HTML? =
            refused.isEmpty
            ? nil
            : "<h2>Not done</h2><ul>\(HTML(joining: refused.map { "<li>\($0)</li>" }))</ul>"
        return PageLayout.page(
            title: "Bulk \(action) on \(queue)", section: .queues, viewer: viewer,
            main: """
                \(PageLayout.notice("\(applied) \(applied == 1 ? "task" : "tasks") on \(queue): \(action) done."))
                \(refusals)<p><a href="/queues">Back to queues and workers</a></p>
                """)
    }
}
