import CareJourneyCore
import CareJourneyStore
import CareJourneyWire
import Foundation

/// A committed case event as the PUB socket publishes it (the second frame; the first is the topic,
/// `<event name> <case id>`). A **contract** with dashboards and audit shippers (docs/tasks.md).
struct PublishedEvent: Encodable {
    let seq: Int64
    let caseID: String
    let version: Int
    let event: String
    let data: JSONValue
    let at: Date
    let actor: String
    let reason: String?
    let from: String
    let stage: String

    enum CodingKeys: String, CodingKey {
        case seq, caseID = "case", version, event, data, at, actor, reason, from, stage
    }

    init(_ committed: CommittedEvent) {
        seq = committed.seq
        caseID = committed.state.id.rawValue
        version = committed.version
        event = committed.event.name.rawValue
        data = committed.event.data
        at = committed.at
        actor = committed.actor
        reason = committed.reason
        from = committed.from.rawValue
        stage = committed.state.stage.rawValue
    }

    func encoded() -> [UInt8] { Array((try? WireJSON.encoder.encode(self)) ?? Data()) }
}
