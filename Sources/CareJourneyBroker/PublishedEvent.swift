import CareJourneyCore
import CareJourneyStore
import CareJourneyWire
import Foundation

/// A committed case event as the PUB sockets publish it (the second frame; the first is the topic,
/// `<event name> <case id>`): whole on the full stream, and on the minimal stream only what a subscriber needs to
/// react, with no personal data. A **contract** with dashboards and audit shippers (docs/tasks.md).
struct PublishedEvent {
    let seq: Int64
    let caseID: String
    let version: Int
    let event: String
    /// The event's data, JSON text as stored.
    let data: String
    let at: Date
    let actor: String
    let reason: String?
    let from: String
    let stage: String
    /// The tasks the event opened or resolved.
    let tasks: [String]

    init(_ committed: CommittedEvent) {
        seq = committed.seq
        caseID = committed.state.id.rawValue
        version = committed.version
        event = committed.event.name.rawValue
        data = committed.data
        at = committed.at
        actor = committed.actor
        reason = committed.reason
        from = committed.from.rawValue
        stage = committed.state.stage.rawValue
        tasks = committed.effects.compactMap { effect in
            switch effect {
            case .enqueue(let task): task.id.description
            case .resolveTask(let id, _): id.description
            default: nil
            }
        }
    }

    /// The minimal stream's body: sequence number, case, event, time, stage and task ids.
    func minimal() -> [UInt8] {
        JSONValue.object([
            "seq": .number(Double(seq)), "case": .string(caseID), "event": .string(event),
            "at": .string(ISO8601Text.format(at)), "stage": .string(stage),
            "tasks": .array(tasks.map(JSONValue.string)),
        ]).serialized()
    }

    /// The full stream's body: the stored data text goes in as it is, not read and written again.
    func encoded() -> [UInt8] {
        let rest = JSONValue.object([
            "seq": .number(Double(seq)), "case": .string(caseID), "version": .number(Double(version)),
            "event": .string(event), "at": .string(ISO8601Text.format(at)), "actor": .string(actor),
            "reason": reason.map(JSONValue.string) ?? .null, "from": .string(from), "stage": .string(stage),
            "tasks": .array(tasks.map(JSONValue.string)),
        ]).serialized()
        return Array("{\"data\":".utf8) + Array(data.utf8) + [UInt8(ascii: ",")] + rest.dropFirst()
    }
}
