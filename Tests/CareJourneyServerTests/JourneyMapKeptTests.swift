import CareJourneyCore
import CareJourneyStore
import Foundation
import Logging
import Synchronization
import Testing
import CareJourneyTestSupport

@testable import CareJourneyServer

/// The journey map's transitions are found by exploring the machines once a policy and build, then kept beside the
/// store: a start of the same build under the same policy draws the map from the file.
@Suite(.sqliteOnly("files kept beside a SQLite store: a node of a PostgreSQL store keeps none (`CareStore.localFolder`)"))
struct JourneyMapKeptTests {
    @Test func theMapIsExploredOnceAPolicyAndDrawnFromTheFileAfter() throws {
        let store = try CaseStore(directory: temporaryDirectory())
        let policy = try shippedPolicy()
        let file = KeptFile<JourneyMap.Kept>("journey-map.json", beside: store)
        let logger = Logger(label: "test")
        // Exploring is slow (seconds, more in a debug build): a stand-in counts the explorations and gives two links.
        let explored = Mutex(0)
        let links: [(from: Stage, to: Stage)] = [(.contact, .assessment), (.assessment, .closed)]
        func map(_ policy: Policy) -> String {
            JourneyMap.Kept.map(of: policy, in: file, logger: logger) { _ in
                explored.withLock { $0 += 1 }
                return links
            }.svg(figures: [], closed: 0).description
        }
        let drawn = JourneyMap(links: links).svg(figures: [], closed: 0).description
        #expect(map(policy) == drawn)
        #expect(explored.withLock { $0 } == 1)
        let kept = try #require(file.read())
        #expect(kept.policy == policy.fingerprint)
        #expect(kept.links == [[.contact, .assessment], [.assessment, .closed]])

        // The next start under the same policy draws what the file holds, exploring nothing.
        #expect(map(policy) == drawn)
        #expect(explored.withLock { $0 } == 1)
        file.write(JourneyMap.Kept(policy: policy.fingerprint, links: [[.contact, .closed]]), logger: logger)
        let oneLink = JourneyMap(links: [(from: .contact, to: .closed)]).svg(figures: [], closed: 0).description
        #expect(map(policy) == oneLink)
        #expect(explored.withLock { $0 } == 1)

        // Another policy's map is explored again, and kept in its place.
        var other = policy
        other.id = policy.id + "-changed"
        #expect(other.fingerprint != policy.fingerprint)
        #expect(map(other) == drawn)
        #expect(explored.withLock { $0 } == 2)
        #expect(file.read()?.policy == other.fingerprint)

        // A map kept by another build (the machines are code) is explored again, as is one kept before builds were.
        file.write(JourneyMap.Kept(policy: other.fingerprint, build: "another build", links: [[.contact, .closed]]),
            logger: logger)
        #expect(map(other) == drawn)
        #expect(explored.withLock { $0 } == 3)
        #expect(file.read()?.build == JourneyMap.Kept.build)
        let older = Data(#"{"policy": "\#(other.fingerprint)", "links": [["contact", "closed"]]}"#.utf8)
        try older.write(to: URL(fileURLWithPath: try #require(file.path)))
        #expect(map(other) == drawn)
        #expect(explored.withLock { $0 } == 4)
    }
}
