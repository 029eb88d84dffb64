import CareJourneyCore
import Foundation
import Testing

@testable import CareJourneyStore

@Suite struct CaseViewTests {
    @Test func viewsAreWrittenWithTheNextCommitAndListedByCaseInTimeOrder() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        let (ada, bob) = try await withEngine(store, policy: try shippedPolicy()) { engine in
            let contact: JSONValue = ["name": "Ada", "clientType": "adult", "route": "gp"]
            let ada = try #require(try await engine.send(nil, "contact", contact, at: start)).state.id
            let bob = try #require(try await engine.send(nil, "contact", contact, at: start)).state.id
            engine.record(.caseViewed(ada, viewer: "sw.jones", at: start.addingTimeInterval(60)))
            // A note alone makes a commit: nobody has to send a command for it to be written.
            var seen: [CaseViewRecord]? = []
            for _ in 0..<200 where seen?.isEmpty == true {
                try await Task.sleep(for: .milliseconds(10))
                seen = try await store.caseViews(of: ada)
            }
            #expect(seen == [CaseViewRecord(viewer: "sw.jones", at: start.addingTimeInterval(60))])
            // Notes and commands share a batch.
            engine.record(.caseViewed(ada, viewer: "m.patel", at: start.addingTimeInterval(30)))
            engine.record(.caseViewed(bob, viewer: "m.patel", at: start.addingTimeInterval(90)))
            try await engine.send(ada, "start-assessment", at: start.addingTimeInterval(120))
            return (ada, bob)
        }
        #expect(
            try await store.caseViews(of: ada) == [
                CaseViewRecord(viewer: "m.patel", at: start.addingTimeInterval(30)),
                CaseViewRecord(viewer: "sw.jones", at: start.addingTimeInterval(60)),
            ])
        #expect(
            try await store.caseViews(of: bob) == [CaseViewRecord(viewer: "m.patel", at: start.addingTimeInterval(90))])
        #expect(try await store.caseViews(of: "C-404") == nil)
        #expect(try store.count("SELECT COUNT(*) FROM sqlite_master WHERE name = 'case_views_by_case'") == 1)
    }
}
