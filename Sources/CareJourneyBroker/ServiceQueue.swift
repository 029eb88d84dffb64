import CareJourneyWire
import Foundation

/// One service's queue in the broker: its workers, the engine's tasks and the clients' requests waiting for
/// them. A free worker takes a request and a task in turn, so neither a backlog of tasks nor a stream of requests
/// keeps the other waiting. An idle queue (no workers, no work, nothing loading) is dropped by the routing rules.
struct ServiceQueue {
    /// Free workers, longest idle first.
    var waitingWorkers: [[UInt8]] = []
    /// Workers registered for the service, free or busy.
    var workers = 0
    var tasks = FIFO<QueuedTask>()
    var requests = FIFO<ClientRequest>()
    /// The store may hold open tasks of this queue that the broker has not loaded.
    var mayHaveMore = true
    var loading = false
    private var requestNext = true

    /// Work a free worker can be given.
    enum Work {
        case client(ClientRequest)
        case task(QueuedTask)
    }

    var hasWork: Bool { !tasks.isEmpty || !requests.isEmpty }

    /// Nothing here needs keeping: no workers, no work, no page of tasks on its way.
    var isIdle: Bool { workers == 0 && !hasWork && !loading }

    /// The next work, requests and tasks in turn.
    mutating func popWork() -> Work? {
        let request = requestNext || tasks.isEmpty
        requestNext.toggle()
        if request, let next = requests.popFirst() { return .client(next) }
        return tasks.popFirst().map(Work.task) ?? requests.popFirst().map(Work.client)
    }
}

/// A client's request waiting for a worker of its service.
struct ClientRequest {
    /// The client's identity on the ROUTER socket.
    let address: [UInt8]
    let version: MDP.Version
    let body: [[UInt8]]
    /// Who is charged for it under the per-peer limits: the CURVE key's name, or the identity.
    let peer: String
    /// Its body's bytes.
    let bytes: Int
    /// When it is dropped if no worker has taken it.
    let expires: Date
}
