import CareJourneyCore
import CareJourneyFiles
import Foundation

/// Reads scenario files (YAML) into `Scenario`s, checking every step: a malformed step is a `FileError`
/// with its line, never a crash or a silent skip.
public enum ScenarioFile {
    /// Loads a scenario from disk.
    ///
    /// - Parameter path: the file's path; a relative `policy:` in it is resolved against the file's folder.
    /// - Throws: `FileError` naming the line and what is wrong.
    public static func load(_ path: String) throws(FileError) -> Scenario {
        var scenario = try read(
            YAMLValue.load(path, what: "scenario file", hint: "check the path; examples are in examples/scenarios/"))
        if let policy = scenario.policyPath, !policy.hasPrefix("/") {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            scenario.policyPath = folder.appendingPathComponent(policy).standardizedFileURL.path
        }
        return scenario
    }

    /// Parses a scenario from YAML text.
    public static func parse(_ text: String, file: String) throws(FileError) -> Scenario {
        try read(YAMLValue.document(text, file: file))
    }

    private static func read(_ document: YAMLValue) throws(FileError) -> Scenario {
        let root = try document.mapping(allowed: ["title", "policy", "start", "steps"])
        var scenario = Scenario(
            title: try root.required("title").string(),
            policyPath: try root.optional("policy")?.string(),
            start: try date(try root.required("start")),
            steps: [])
        for item in try root.required("steps").sequence() {
            scenario.steps.append(try step(item))
        }
        return scenario
    }

    private static let stepKeys = [
        "at", "after", "case", "event", "data", "reply", "advance", "advance-to", "actor", "reason", "expect",
    ]

    private static func step(_ value: YAMLValue) throws(FileError) -> Scenario.Step {
        let map = try value.mapping(allowed: stepKeys)
        let actions = ["event", "reply", "advance", "advance-to"].filter { map.optional($0) != nil }
        guard actions.count == 1 else {
            throw value.error(
                .badValue,
                actions.isEmpty
                    ? "the step does nothing"
                    : "the step has more than one action (\(actions.joined(separator: ", ")))",
                hint: "give each step exactly one of: event, reply, advance, advance-to")
        }
        var timing = Scenario.Timing.now
        if let at = map.optional("at") { timing = .at(try date(at)) }
        if let after = map.optional("after") {
            if map.optional("at") != nil { throw after.error(.badValue, "a step has `at` or `after`, not both") }
            timing = .after(try after.duration())
        }
        if let advance = map.optional("advance") {
            if map.optional("at") != nil || map.optional("after") != nil {
                throw advance.error(.badValue, "`advance` takes its own duration", hint: "drop `at`/`after` here")
            }
            timing = .after(try advance.duration())
        }
        if let advanceTo = map.optional("advance-to") { timing = .at(try date(advanceTo)) }

        let action: Scenario.Action
        var caseID: CaseID?
        if let event = map.optional("event") {
            let id = try caseName(map)
            caseID = id
            let name = try event.string()
            if name == EventName.timerFired.rawValue {
                throw event.error(
                    .badValue, "timers fire by themselves when the clock reaches them",
                    hint: "use `advance:` or `advance-to:` to move the clock")
            }
            action = .event(id, try typedEvent(name: name, data: map.optional("data"), at: event))
        } else if let reply = map.optional("reply") {
            let id = try caseName(map)
            caseID = id
            let kind = try reply.choice(TaskKind.self)
            guard let eventName = kind.replyEvent else {
                throw reply.error(
                    .badValue, "'\(kind.rawValue)' tasks are completed by a practitioner's event, not a worker's reply",
                    hint: "write the event that completes it (see docs/events.md)")
            }
            action = .reply(id, kind, try typedEvent(name: eventName.rawValue, data: map.optional("data"), at: reply))
        } else {
            if let data = map.optional("data") {
                throw data.error(.badValue, "`data` belongs to an event or a reply", hint: "remove it from this step")
            }
            if let name = map.optional("case") { caseID = CaseID(try name.string()) }
            action = .advance
        }
        return Scenario.Step(
            line: value.line ?? 0, timing: timing, action: action, actor: try map.optional("actor")?.string(),
            reason: try map.optional("reason")?.string(),
            expectation: try map.optional("expect").map { value throws(FileError) in
                try expectation(value, caseID: caseID)
            })
    }

    private static func caseName(_ map: YAMLMapping) throws(FileError) -> CaseID {
        CaseID(try map.required("case", hint: "name the case this step is about, like `case: ada`").string())
    }

    private static func typedEvent(name: String, data: YAMLValue?, at value: YAMLValue) throws(FileError) -> Event {
        let json = try data?.json() ?? .null
        do {
            return try Event(name: name, data: json)
        } catch {
            // An unknown name is the event line's fault; bad data is the data's.
            let culprit = error.code == .unknownEvent ? value : (data ?? value)
            throw FileError(
                .badValue, error.message, file: value.file, line: culprit.line, key: culprit.path,
                hint: error.code == .unknownEvent ? nil : "see docs/events.md for the data of '\(name)'")
        }
    }

    private static func expectation(_ value: YAMLValue, caseID: CaseID?) throws(FileError) -> Scenario.Expectation {
        let map = try value.mapping(allowed: ["case", "stage", "timers", "tasks", "closed"])
        let named = try map.optional("case").map { value throws(FileError) in CaseID(try value.string()) }
        guard let id = named ?? caseID else {
            throw value.error(.missingKey, "the expectation does not say which case", hint: "add `case:` to it")
        }
        var timers: [TimerName]?
        if let list = map.optional("timers") {
            timers = []
            for item in try list.sequence() { timers?.append(try item.choice(TimerName.self)) }
        }
        var tasks: [TaskKind]?
        if let list = map.optional("tasks") {
            tasks = []
            for item in try list.sequence() { tasks?.append(try item.choice(TaskKind.self)) }
        }
        return Scenario.Expectation(
            caseID: id, stage: try map.optional("stage")?.choice(Stage.self), timers: timers, tasks: tasks,
            closed: try map.optional("closed")?.choice(ClosureReason.self))
    }

    /// A date and time in UTC (`2026-01-05T09:00:00Z`), or on a zone's clocks (`2026-03-29T09:00 Europe/London`).
    private static func date(_ value: YAMLValue) throws(FileError) -> Date {
        let text = try value.string()
        let parts = text.split(separator: " ")
        if parts.count == 2 { return try localDate(String(parts[0]), zone: String(parts[1]), value) }
        guard let date = TimelineEntry.parseDate(text) else {
            throw value.error(
                .badValue, "'\(text)' is not a date and time",
                hint: "write ISO 8601 in UTC, like 2026-01-05T09:00:00Z, or a local time and its zone, like "
                    + "2026-03-29T09:00 Europe/London")
        }
        return date
    }

    /// `2026-03-29T09:00` (or `…T09:00:30`) on the clocks of `zone`; a time the clocks skip or show twice is refused.
    private static func localDate(_ text: String, zone: String, _ value: YAMLValue) throws(FileError) -> Date {
        guard let timeZone = TimeZone(identifier: zone) else {
            throw value.error(
                .badValue, "the time zone '\(zone)' cannot be loaded", hint: CouncilCalendar.unloadableZone(zone))
        }
        let halves = text.split(separator: "T", omittingEmptySubsequences: false)
        let clock = halves.count == 2 ? halves[1].split(separator: ":", omittingEmptySubsequences: false) : []
        let numbers = clock.map { $0.count == 2 ? Int($0) : nil }
        guard let day = halves.first.flatMap({ LocalDate($0) }), (2...3).contains(numbers.count),
            let hour = numbers[0], let minute = numbers[1], hour < 24, minute < 60,
            let second = numbers.count == 3 ? numbers[2] : 0, second < 60
        else {
            throw value.error(
                .badValue, "'\(text) \(zone)' is not a local date and time",
                hint: "write it like 2026-03-29T09:00 Europe/London (no offset: the zone gives it)")
        }
        let calendar = CouncilCalendar(timeZone: timeZone, bankHolidays: .none)
        let instants = calendar.instants(on: day, at: hour * 3600 + minute * 60 + second)
        guard instants.count == 1, let instant = instants.first else {
            throw value.error(
                .badValue,
                instants.isEmpty
                    ? "\(text) does not happen in \(zone): the clocks go forward over it"
                    : "\(text) happens twice in \(zone): the clocks go back over it",
                hint:
                    "choose another time, or write it in UTC, like \(day)T\(clock.prefix(2).joined(separator: ":")):00Z"
            )
        }
        return instant
    }
}
