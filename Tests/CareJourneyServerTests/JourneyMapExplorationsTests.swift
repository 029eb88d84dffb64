import CareJourneyCore
import CareJourneyTestSupport
import Foundation
import Synchronization
import Testing

@testable import CareJourneyServer

/// Servers of one process starting together explore a policy's machines once between them, and each draws the map
/// from that one exploration.
@Suite struct JourneyMapExplorationsTests {
    @Test func serversAskingAtOnceShareOneExplorationAPolicy() throws {
        let policy = try shippedPolicy()
        let other = {
            var other = policy
            other.id = "another"
            return other
        }()
        #expect(other.fingerprint != policy.fingerprint)
        let askers = 8
        let arrived = Mutex(0)
        let explored = Mutex<[String]>([])
        let explorations = JourneyMapExplorations { policy in
            explored.withLock { $0.append(policy.fingerprint) }
            // Explores until every asker has set out (each a thread of its own, as a dashboard's), and a moment more
            // for the last to reach the explorations.
            let deadline = Date().addingTimeInterval(10)
            while arrived.withLock({ $0 }) < askers && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            Thread.sleep(forTimeInterval: 0.2)
            return [(.contact, .assessment), (.assessment, policy.id == "another" ? .closed : .reablement)]
        }
        let answers = Mutex<[String]>([])
        let done = DispatchGroup()
        for asker in 0..<askers {
            done.enter()
            Thread {
                arrived.withLock { $0 += 1 }
                let links = explorations.links(of: asker.isMultiple(of: 2) ? policy : other)
                answers.withLock { $0.append(links.map { "\($0.from)>\($0.to)" }.joined(separator: " ")) }
                done.leave()
            }.start()
        }
        #expect(done.wait(timeout: .now() + 60) == .success)
        #expect(explored.withLock { $0.sorted() } == [policy.fingerprint, other.fingerprint].sorted())
        #expect(Set(answers.withLock { $0 }).count == 2, "each policy's askers had that policy's one answer")
        #expect(answers.withLock { $0 }.count == askers)
        _ = explorations.links(of: policy)
        #expect(explored.withLock { $0.count } == 2, "a later server draws from the exploration made")
    }
}
