import CareJourneyBroker
import CareJourneyCore
import CareJourneyStore
import Foundation
import Synchronization
import Testing
import CareJourneyTestSupport

/// The shared broker harness always stops what it started: a test whose expectation throws leaves no engine taking
/// commands and no broker holding its port.
@Suite(.serialized) struct BrokerHarnessTests {
    @Test func aBodyThatThrowsStillStopsTheEngineAndTheBroker() async throws {
        let started = Mutex<(Engine, String)?>(nil)
        await #expect(throws: TestFailure.self) {
            try await withBroker { harness in
                started.withLock { $0 = (harness.engine, harness.endpoint) }
                throw TestFailure("an expectation that failed")
            }
        }
        let (engine, endpoint) = try #require(started.withLock { $0 })
        let contact = try Event(name: "contact", data: ["name": "Ada", "clientType": "adult", "route": "gp"])
        let refused = await #expect(throws: StoreError.self) {
            try await engine.apply(Command(caseID: nil, event: contact, actor: "test", at: Date()))
        }
        #expect(refused?.code == .closed, "the engine has stopped taking commands")
        // The port is free again: another broker binds the same endpoint.
        let again = try await withBroker(options: fastOptions(endpoint: endpoint)) { harness in harness.endpoint }
        #expect(again == endpoint)
    }
}
