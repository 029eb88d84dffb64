import ArgumentParser
import CareJourneyCore
import CareJourneyKit
import CareJourneyStore
import Foundation
import GRDB

/// A million open cases with their timers pending: how long `serve` takes to start on them, its memory, and when
/// `/metrics` has their figures.
struct MillionCasesBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "million", abstract: "Start-up time, memory and /metrics of serve over a million open cases.")

    @Option(help: "How many open cases.")
    var cases = 1_000_000

    @Option(help: "Keep the store here (default: a scratch folder).")
    var dataDir: String?

    @Option(help: "The policy file.")
    var policy = benchmarkPolicyPath()

    func run() async throws {
        let rules = try PolicyFile.load(policy)
        let directory = dataDir ?? scratchDirectory("million")
        print("carejourney-bench million: \(cases) open cases in \(directory)")
        let start = ContinuousClock.now
        try Self.populate(directory: directory, cases: cases, policy: rules)
        print(String(format: "  populated in %.0f s (bulk load, not part of the figure)", elapsed(since: start)))
        let store = try CaseStore(directory: directory)
        let stats = try await store.stats()
        print(
            "  \(stats.openCases) open cases, \(stats.pendingTimers) timers pending, \(stats.openTasksByQueue.values.reduce(0, +)) open tasks"
        )

        // Start-up is measured in a fresh process, as an operator would start the service.
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        probe.arguments = ["startup-probe", "--data-dir", directory, "--policy", policy]
        try probe.run()
        probe.waitUntilExit()
        if probe.terminationStatus != 0 { throw ExitCode(probe.terminationStatus) }
    }

    /// Writes `cases` cases in delivery (7 events each, review timers pending), signed off over the last 70
    /// hours so that every timer is still pending, the earliest (72-hour reviews) spread over the next 70 hours.
    static func populate(directory: String, cases: Int, policy: Policy) throws {
        let store = try CaseStore(directory: directory)
        try store.register(policy, current: true)
        let now = Date()
        // One template a minute: each case's timers are its own template's, so state and timers agree.
        let templates = try (1...(70 * 60)).map { minute in
            try Template(signedOff: now.addingTimeInterval(Double(-minute) * 60), policy: policy)
        }
        let pool = try DatabasePool(path: store.path)
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = OFF") }
        let chunk = 20_000
        var written = 0
        while written < cases {
            let first = written
            let count = min(chunk, cases - written)
            try pool.write { db in
                let insertCase = try db.cachedStatement(
                    sql: """
                        INSERT INTO cases (id, number, version, stage, name, client_type, opened_at, updated_at, overdue,
                                           next_due, next_timer, state, state_version)
                        VALUES (?, ?, 7, 'delivery', ?, 'adult', ?, ?, 0, ?, ?, ?, 7)
                        """)
                let insertEvent = try db.cachedStatement(
                    sql:
                        "INSERT INTO events (case_id, version, name, data, at, actor, policy, recorded_at) VALUES (?, ?, ?, ?, ?, 'bench', ?, ?)"
                )
                let insertTimer = try db.cachedStatement(
                    sql: "INSERT INTO timers (case_id, name, due) VALUES (?, ?, ?)")
                let insertTask = try db.cachedStatement(
                    sql: "INSERT INTO tasks (id, case_id, kind, queue, status, created_at) VALUES (?, ?, ?, ?, ?, ?)")
                for number in (first + 1)...(first + count) {
                    let template = templates[number % templates.count]
                    let id = "C-\(number)"
                    let at = template.signedOff.timeIntervalSince1970
                    try insertCase.execute(arguments: [
                        id, number, "Person \(number)", at, at, template.nextDue, template.nextTimer,
                        Data(template.stateJSON.replacingOccurrences(of: Template.placeholder, with: id).utf8),
                    ])
                    for (version, event) in template.events.enumerated() {
                        try insertEvent.execute(arguments: [
                            id, version + 1, event.name, event.data, at, policy.fingerprint, at,
                        ])
                    }
                    for (name, due) in template.timers {
                        try insertTimer.execute(arguments: [id, name, due])
                    }
                    for task in template.tasks {
                        try insertTask.execute(arguments: [
                            task.id.replacingOccurrences(of: Template.placeholder, with: id), id, task.kind, task.queue,
                            task.status, at,
                        ])
                    }
                }
            }
            written += count
        }
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    /// A case taken through the journey once, to be copied under other ids.
    struct Template {
        static let placeholder = "C-TEMPLATE"
        let signedOff: Date
        let stateJSON: String
        let events: [(name: String, data: String)]
        let timers: [(String, Double)]
        let tasks: [(id: String, kind: String, queue: String, status: String)]
        let nextDue: Double?
        let nextTimer: String?

        init(signedOff: Date, policy: Policy) throws {
            self.signedOff = signedOff
            var state = CaseState(id: CaseID(Self.placeholder))
            var events: [(String, String)] = []
            var tasks: [String: (id: String, kind: String, queue: String, status: String)] = [:]
            let all =
                [("contact", ["name": "Person", "clientType": "adult", "route": "gp"] as JSONValue)]
                + EventCatalog.pathToDelivery.map { ($0.name.rawValue, $0.data) }
            for (name, data) in all {
                let event = try Event(name: name, data: data)
                let transition = try Journey.apply(event, to: state, at: signedOff, policy: policy)
                state = transition.state
                events.append((name, String(decoding: event.dataJSON, as: UTF8.self)))
                for effect in transition.effects {
                    switch effect {
                    case .enqueue(let task):
                        tasks[task.id.description] = (task.id.description, task.kind.rawValue, task.queue, "open")
                    case .resolveTask(let id, let resolution):
                        tasks[id.description]?.status = resolution.rawValue
                    default: break
                    }
                }
            }
            stateJSON = String(decoding: try state.storedForm, as: UTF8.self)
            self.events = events
            timers = state.timers.map { ($0.key.rawValue, $0.value.timeIntervalSince1970) }
            self.tasks = Array(tasks.values)
            nextDue = state.pendingTimers.first?.due.timeIntervalSince1970
            nextTimer = state.pendingTimers.first?.name.rawValue
        }
    }
}
