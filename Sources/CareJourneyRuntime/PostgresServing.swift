import CareJourneyPostgres

/// How `serve` runs as one node of several on a PostgreSQL store (`--store postgres://… --node NAME`), instead of
/// on a data folder of its own.
public struct PostgresServing: Sendable {
    /// The store.
    public var address: PostgresAddress
    /// This node's name among the store's nodes: its own, never shared (its feed, timer claims and task leases).
    public var node: NodeName
    /// How the node keeps its presence, follows the others and renews its leases.
    public var cluster = ClusterNode.Options()
    /// How far ahead the timer service reads; also the longest it sleeps, so the longest a dead node's claimed timer
    /// waits for another node (beside its claim's 30 s).
    public var timerWindow: Double = 30

    /// Serving the store at `address` as `node`.
    public init(address: PostgresAddress, node: NodeName) {
        self.address = address
        self.node = node
    }
}
