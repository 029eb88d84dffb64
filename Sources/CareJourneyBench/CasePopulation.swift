import CareJourneyClock
import CareJourneyCore
import CareJourneyKit
import CareJourneyStore
import Foundation
import GRDB

/// Writes many cases straight into a store's tables, far faster than through the engine: each a copy of a
/// template (a case taken once through the journey) under its own id, name and allocation, with its snapshot,
/// projection columns, history, timers and tasks, written through the store's own encoders and columns (the
/// name search indexed once all are written). 20,000 cases a transaction, `synchronous=OFF`; for benchmarks
/// that need a large store.
enum CasePopulation {
    /// What a template leaves open, filled in for each copy.
    enum Slot: String, CaseIterable {
        case id = "C-TEMPLATE"
        case name = "NAME-TEMPLATE"
        case team = "TEAM-TEMPLATE"
        case worker = "WORKER-TEMPLATE"
    }

    /// Who a template's case is allocated to.
    enum Allocation {
        case nobody
        /// A team, with nobody allocated in it.
        case team
        case teamAndWorker
    }

    /// One step of a template's journey after contact.
    enum Step {
        /// An event, at the time of the step before.
        case event(EventName, JSONValue)
        /// Timers fire as they come due until a review is overdue.
        case timersUntilOverdue
    }

    /// A case taken through the journey once, to be copied under other ids, names and allocations.
    struct Template {
        let state: Text
        let columns: [(name: String, value: DatabaseValue, text: Text?)]
        let updatedAt: Double
        let events: [(name: String, data: Text, at: Double)]
        let timers: [(name: String, due: Double)]
        let tasks: [(id: Text, kind: String, queue: String, status: String, created: Double, resolved: Double?)]

        /// The journey from a contact at `start` through `steps`, allocated by a `reassign` after the contact.
        init(steps: [Step], allocation: Allocation, at start: Date, policy: Policy) throws {
            var state = CaseState(id: CaseID(Slot.id.rawValue))
            // Whole seconds, as the engine writes them: event data carries times as ISO 8601 text.
            var now = Date(timeIntervalSince1970: start.timeIntervalSince1970.rounded(.down))
            var events: [(String, Text, Double)] = []
            var tasks:
                [String: (id: Text, kind: String, queue: String, status: String, created: Double, resolved: Double?)] =
                    [:]
            func apply(_ event: Event) throws {
                let transition = try Journey.apply(event, to: state, at: now, by: "bench", policy: policy)
                state = transition.state
                events.append(
                    (
                        event.name.rawValue, Text(String(decoding: event.dataJSON, as: UTF8.self)),
                        now.timeIntervalSince1970
                    ))
                for effect in transition.effects {
                    switch effect {
                    case .enqueue(let task):
                        tasks[task.id.description] = (
                            Text(task.id.description), task.kind.rawValue, task.queue, "open",
                            task.createdAt.timeIntervalSince1970, nil
                        )
                    case .resolveTask(let id, let resolution):
                        tasks[id.description]?.status = resolution.rawValue
                        tasks[id.description]?.resolved = now.timeIntervalSince1970
                    default: break
                    }
                }
            }
            let contact: JSONValue = ["name": .string(Slot.name.rawValue), "clientType": "adult", "route": "gp"]
            try apply(try Event(name: EventName.contact.rawValue, data: contact))
            let team: JSONValue = .string(Slot.team.rawValue)
            switch allocation {
            case .nobody: break
            case .team: try apply(try Event(name: EventName.reassign.rawValue, data: ["team": team]))
            case .teamAndWorker:
                try apply(
                    try Event(
                        name: EventName.reassign.rawValue,
                        data: ["team": team, "worker": .string(Slot.worker.rawValue)]))
            }
            for step in steps {
                switch step {
                case .event(let name, let data):
                    try apply(try Event(name: name.rawValue, data: data))
                case .timersUntilOverdue:
                    while state.reviews.overdue == nil, let next = state.pendingTimers.first {
                        now = max(now, next.due)
                        try apply(.timerFired(TimerFire(timer: next.name, due: next.due)))
                    }
                }
            }
            self.state = Text(String(decoding: try state.storedForm, as: UTF8.self))
            columns = state.storedColumns.map { column in
                guard case .text(let text) = column.value else { return (column.name, column.value.databaseValue, nil) }
                return (column.name, column.value.databaseValue, Text(text))
            }
            updatedAt = now.timeIntervalSince1970
            self.events = events
            timers = state.timers.map { ($0.key.rawValue, $0.value.timeIntervalSince1970) }
            self.tasks = Array(tasks.values)
        }
    }

    /// A copy of a template: the template and what fills its slots.
    struct Copy {
        let template: Template
        let name: String
        var team: String?
        var worker: String?
    }

    /// Text with slots, split once so that each copy is written by joining pieces.
    struct Text {
        let pieces: [String]
        let slots: [Slot]

        init(_ text: String) {
            var pieces: [String] = []
            var slots: [Slot] = []
            var rest = Substring(text)
            while let (slot, range) = Slot.allCases.compactMap({ slot in
                rest.range(of: slot.rawValue).map { (slot, $0) }
            })
            .min(by: { $0.1.lowerBound < $1.1.lowerBound }) {
                pieces.append(String(rest[..<range.lowerBound]))
                slots.append(slot)
                rest = rest[range.upperBound...]
            }
            pieces.append(String(rest))
            self.pieces = pieces
            self.slots = slots
        }

        /// The text with each slot filled from `values`.
        func filled(_ values: [Slot: String]) -> String {
            guard !slots.isEmpty else { return pieces[0] }
            var text = pieces[0]
            for (slot, piece) in zip(slots, pieces.dropFirst()) {
                text += values[slot] ?? ""
                text += piece
            }
            return text
        }
    }

    /// Writes cases numbered 1 to `count` into the store in `directory`, case `n` a copy of `copy(n)`, showing how
    /// far it has come on `progress`.
    static func write(
        count: Int, into directory: String, policy: Policy, progress: ProgressLine?, copy: (Int) -> Copy
    ) throws {
        defer { progress?.finish() }
        let store = try CaseStore(directory: directory)
        try store.register(policy, current: true, at: WallClock().now())
        let pool = try DatabasePool(path: store.path)
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = OFF") }
        let chunk = 20_000
        var written = 0
        while written < count {
            let first = written + 1
            let last = min(written + chunk, count)
            try pool.write { db in
                let names = CaseState(id: CaseID(Slot.id.rawValue)).storedColumns.map(\.name)
                let insertCase = try db.cachedStatement(
                    sql: """
                        INSERT INTO cases (id, number, version, updated_at, state, state_version, \(names.joined(separator: ", ")))
                        VALUES (?, ?, ?, ?, ?, ?\(String(repeating: ", ?", count: names.count)))
                        """)
                let insertEvent = try db.cachedStatement(
                    sql: """
                        INSERT INTO events (case_id, version, name, data, at, actor, policy, recorded_at)
                        VALUES (?, ?, ?, ?, ?, 'bench', ?, ?)
                        """)
                let insertTimer = try db.cachedStatement(
                    sql: "INSERT INTO timers (case_id, name, due) VALUES (?, ?, ?)")
                let insertTask = try db.cachedStatement(
                    sql: """
                        INSERT INTO tasks (id, case_id, case_number, kind, queue, status, created_at, resolved_at, team,
                            listed)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                for number in first...last {
                    let copy = copy(number)
                    let template = copy.template
                    let id = "C-\(number)"
                    var raw: [Slot: String] = [.id: id, .name: copy.name]
                    raw[.team] = copy.team
                    raw[.worker] = copy.worker
                    let json = raw.mapValues(jsonEscaped)
                    let values = template.columns.map { $0.text?.filled(raw).databaseValue ?? $0.value }
                    try insertCase.execute(
                        arguments: StatementArguments(
                            [
                                id.databaseValue, number.databaseValue, template.events.count.databaseValue,
                                template.updatedAt.databaseValue, Data(template.state.filled(json).utf8).databaseValue,
                                template.events.count.databaseValue,
                            ] + values))
                    for (version, event) in template.events.enumerated() {
                        try insertEvent.execute(arguments: [
                            id, version + 1, event.name, event.data.filled(json), event.at, policy.fingerprint,
                            event.at,
                        ])
                    }
                    for timer in template.timers {
                        try insertTimer.execute(arguments: [id, timer.name, timer.due])
                    }
                    for task in template.tasks {
                        try insertTask.execute(arguments: [
                            task.id.filled(raw), id, number, task.kind, task.queue, task.status, task.created,
                            task.resolved, copy.team, policy.server(of: task.queue) == .people,
                        ])
                    }
                }
            }
            written = last
            progress?.update(done: written, total: count)
        }
        progress?.say("indexing names")
        try store.rebuildNameSearch()
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    /// `text` as it stands inside a JSON string.
    private static func jsonEscaped(_ text: String) -> String {
        String(decoding: JSONValue.string(text).serialized().dropFirst().dropLast(), as: UTF8.self)
    }
}
