import Prometheus

/// A metric `GET /metrics` exports: its name, what it means (its HELP line) and, for a histogram, its buckets.
/// docs/operations.md lists the same families; ops/prometheus/alerts.yml uses them (a test checks both).
struct MetricFamily: Sendable {
    let name: String
    let help: String
    let buckets: [Double]

    init(_ name: String, _ help: String, buckets: [Double] = []) {
        self.name = name
        self.help = help
        self.buckets = buckets
    }

    var descriptor: MetricNameDescriptor { MetricNameDescriptor(metricName: name, unitName: "", helpText: help) }

    // MARK: The store, counted once at start-up and kept from each commit (`Engine.figures`)

    static let openCases = MetricFamily(
        "carejourney_open_cases", "Open cases, by the stage of the journey they are at (label stage).")
    static let closedCases = MetricFamily("carejourney_closed_cases", "Cases closed, all time.")
    static let overdueReviews = MetricFamily(
        "carejourney_overdue_reviews",
        "Cases flagged overdue: a review past its due date, or reablement past its maximum (as /api/stats).")
    static let pendingTimers = MetricFamily("carejourney_pending_timers", "Timers pending, across all cases.")
    static let casesWithoutNextStep = MetricFamily(
        "carejourney_cases_without_next_step",
        "Open cases with no pending timer and no open task, by stage (label stage): nothing will move them on "
            + "(carejourney store doctor lists them).")
    static let tasks = MetricFamily(
        "carejourney_tasks", "Tasks in the outbox, by queue and status (open, failed, completed, withdrawn), all time.")

    // MARK: Committed events, as the engine commits them

    static let timerLateness = MetricFamily(
        "carejourney_timer_lateness_seconds",
        "How late timers fired: the fire's time less the due time, in whole seconds of the service's clock.",
        buckets: [1, 10, 60, 300, 900, 3600, 6 * 3600, 86_400, 7 * 86_400])
    static let taskLatency = MetricFamily(
        "carejourney_task_latency_seconds",
        "Seconds from the commit of a task to the commit of its completion, by queue (tasks committed since start).",
        buckets: [0.001, 0.005, 0.025, 0.1, 0.5, 2.5, 10, 60, 600, 3600, 86_400, 7 * 86_400])

    // MARK: The HTTP API

    static let httpDuration = MetricFamily(
        "carejourney_http_request_duration_seconds",
        "HTTP requests: seconds from receipt to response, by method, route pattern and status.",
        buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10])

    // MARK: The broker (its snapshot) and the engine (its statistics)

    static let workers = MetricFamily(
        "carejourney_workers", "Workers connected to the broker, by queue (the MDP service they serve).")
    static let droppedMessages = MetricFamily(
        "carejourney_broker_dropped_messages_total", "Messages the broker dropped, by reason, since start.")
    static let commits = MetricFamily(
        "carejourney_engine_commits_total", "Transactions the engine has committed (group commits), since start.")
    static let commands = MetricFamily(
        "carejourney_engine_commands_total", "Commands the engine has carried out, since start.")
    static let writerCPU = MetricFamily(
        "carejourney_engine_writer_cpu_seconds_total",
        "Processor time of the engine's single writer thread; its rate is the share of a core the writer uses.")

    /// Every family, in the order docs/operations.md lists them.
    static let all: [MetricFamily] = [
        openCases, closedCases, overdueReviews, pendingTimers, casesWithoutNextStep, tasks, timerLateness, taskLatency, httpDuration,
        workers, droppedMessages, commits, commands, writerCPU,
    ]
}
