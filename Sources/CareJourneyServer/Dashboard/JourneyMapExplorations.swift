import CareJourneyCore
import Synchronization

/// The journey map's transitions, explored once a policy in this process however many servers it runs (`shared`):
/// exploring takes seconds of a processor (45 s in a debug build) and hundreds of megabytes, so a server starting
/// while another explores the same policy waits for that answer instead of exploring beside it. A council's process
/// serves once; the tests start hundreds of servers in one process, and each explored on a thread of its own,
/// taking the processor from the live servers they test.
///
/// ```swift
/// let links = JourneyMapExplorations.shared.links(of: policy)   // blocks while it explores: call it off the pool
/// ```
final class JourneyMapExplorations: Sendable {
    /// The process's explorations of the machines (`JourneyMap.links(of:)`).
    static let shared = JourneyMapExplorations(explore: JourneyMap.links(of:))

    /// One policy's transitions: `nil` until its exploration is done, locked while it runs.
    private final class Exploration: Sendable {
        let links = Mutex<[(from: Stage, to: Stage)]?>(nil)
    }

    private let explore: @Sendable (Policy) -> [(from: Stage, to: Stage)]
    private let explorations = Mutex<[String: Exploration]>([:])

    /// Explorations made by `explore`, once a policy (by its fingerprint).
    init(explore: @escaping @Sendable (Policy) -> [(from: Stage, to: Stage)]) {
        self.explore = explore
    }

    /// The transitions under `policy`: explored by the first caller, who holds the others asking for the same
    /// policy until it is done; kept for the process's life.
    func links(of policy: Policy) -> [(from: Stage, to: Stage)] {
        let exploration = explorations.withLock { explorations in
            if let started = explorations[policy.fingerprint] { return started }
            let new = Exploration()
            explorations[policy.fingerprint] = new
            return new
        }
        return exploration.links.withLock { links in
            if let links { return links }
            let found = explore(policy)
            links = found
            return found
        }
    }
}
