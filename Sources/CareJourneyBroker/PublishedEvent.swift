import CareJourneyCore
import CareJourneyStore
import CareJourneyWire
import Foundation

/// A committed case event as the PUB socket publishes it (the second frame; the first is the topic,
/// `<event name> <case id>`). A **contract** with dashboards and audit shippers (docs/tasks.md).
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
    }

    /// The JSON body: the stored data text goes in as it is, not read and written again.
    func encoded() -> [UInt8] {
        let rest = JSONValue.object([
            "seq": .number(Double(seq)), "case": .string(caseID), "version": .number(Double(version)),
            "event": .string(event), "at": .string(ISO8601Text.format(at)), "actor": .string(actor),
            "reason": reason.map(JSONValue.string) ?? .null, "from": .string(from), "stage": .string(stage),
        ]).serialized()
        return Array("{\"data\":".utf8) + Array(data.utf8) + [UInt8(ascii: ",")] + rest.dropFirst()
    }
}
