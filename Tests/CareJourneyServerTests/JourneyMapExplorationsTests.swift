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
        let explored = Mutex<[String]>([])
        let explorations = JourneyMapExplorations { policy in
            explored.withLock { $0.append(policy.fingerprint) }
            Thread.sleep(forTimeInterval: 0.2)  // long enough for every other asker to arrive while it explores
            return [(.contact, .assessment), (.assessment, policy.id == "another" ? .closed : .reablement)]
        }
        let answers = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { asker in
            let links = explorations.links(of: asker.isMultiple(of: 2) ? policy : other)
            answers.withLock { $0.append(links.map { "\($0.from)>\($0.to)" }.joined(separator: " ")) }
        }
        #expect(explored.withLock { $0.sorted() } == [policy.fingerprint, other.fingerprint].sorted())
        #expect(Set(answers.withLock { $0 }).count == 2, "each policy's askers had that policy's one answer")
        #expect(answers.withLock { $0 }.count == 8)
        _ = explorations.links(of: policy)
        #expect(explored.withLock { $0.count } == 2, "a later server draws from the exploration made")
    }
}
