import CareJourneyCore
import CareJourneyFiles

extension PolicyFile {
    /// `served-by:`: the queues people serve and those workers serve, as two lists. Every queue named under
    /// `queues:` is in exactly one of them; a queue listed that no task goes to is allowed (a council may name one
    /// before its tasks route there).
    ///
    /// ```yaml
    /// served-by:
    ///   people: [practice, team-manager, safeguarding]
    ///   workers: [brokerage, advocacy]
    /// ```
    static func readServedBy(_ value: YAMLValue, queues: [TaskKind: String]) throws(FileError)
        -> [String: QueueServer]
    {
        let map = try value.mapping(allowed: QueueServer.allCases.map(\.rawValue))
        var servedBy: [String: QueueServer] = [:]
        for server in QueueServer.allCases {
            guard let list = map.optional(server.rawValue) else { continue }
            for item in try list.sequence() {
                let queue = try item.string()
                if let earlier = servedBy[queue] {
                    throw item.error(
                        .inconsistent,
                        earlier == server
                            ? "the queue '\(queue)' is listed twice" : "the queue '\(queue)' is listed under both people and workers",
                        hint: "list each queue once: under people when staff work it from the dashboard, under workers when a program takes it over MDP")
                }
                servedBy[queue] = server
            }
        }
        let byQueue = Dictionary(grouping: queues.keys, by: { queues[$0] ?? "" })
        if let missing = byQueue.keys.sorted().first(where: { servedBy[$0] == nil }) {
            let kinds = (byQueue[missing] ?? []).map(\.rawValue).sorted().joined(separator: ", ")
            throw value.error(
                .missingKey, "the queue '\(missing)' (for \(kinds)) is not said to be served by people or by workers",
                hint: "add '\(missing)' to `people:` (staff work it from the dashboard) or to `workers:` (a program takes it over MDP)")
        }
        return servedBy
    }
}
