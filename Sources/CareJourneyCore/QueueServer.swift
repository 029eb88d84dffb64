/// Who serves a queue: people, from the dashboard's worklists and forms, or workers, over MDP.
///
/// The policy file says which (`served-by:`, docs/policy-files.md#served-by): the queues page shows workers only for
/// the queues workers serve, and people's queues as worklists with who holds each task.
public enum QueueServer: String, Choice {
    /// Practitioners, team managers, panels and teams, who take tasks from worklists and answer them with forms.
    case people
    /// Programs connected to the broker (brokerage systems, advocacy providers' systems, reminder senders).
    case workers
}

extension Policy {
    /// Who serves `queue`: as the policy says, else workers (a policy built in code without `servedBy`, as the
    /// broker always assumed).
    public func server(of queue: String) -> QueueServer { servedBy?[queue] ?? .workers }

    /// The queues people serve, by name: as `served-by` says, as `server(of:)` reads it (a queue no task kind is
    /// sent to any more is still served by people, and its open tasks stay on the worklists).
    public var peopleQueues: [String] {
        (servedBy ?? [:]).filter { $0.value == .people }.keys.sorted()
    }
}
