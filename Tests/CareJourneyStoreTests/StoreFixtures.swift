import CareJourneyCore
import CareJourneyKit
import Foundation
import GRDB
import CareJourneyTestSupport
import Testing

@testable import CareJourneyStore

/// 2026-01-05T09:00:00Z.
let start = Date(timeIntervalSince1970: 1_767_603_600)

func event(_ name: String, _ data: JSONValue = [:]) throws -> Event { try Event(name: name, data: data) }

/// Runs `body` with an engine whose batch loop runs beside it, then shuts the engine down.
func withEngine<T: Sendable>(
    _ store: CaseStore, policy: Policy, _ body: @Sendable (Engine) async throws -> T
) async throws -> T {
    let engine = try Engine(store: store, policy: policy)
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            await engine.run()
            return nil
        }
        let result = try await body(engine)
        engine.stopAccepting()
        try await group.waitForAll()
        return result
    }
}

extension Engine {
    /// Submits an event and returns what was committed; records an issue if it was not applied.
    @discardableResult
    func send(
        _ id: CaseID?, _ name: String, _ data: JSONValue = [:], at: Date, key: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> CommittedEvent? {
        let command = Command(caseID: id, event: try event(name, data), actor: "test", at: at)
        let result: CommandResult
        if let key {
            result = try await submit(command, key: IdempotencyKey(key, fingerprint: "\(id?.rawValue ?? "new") \(name)"))
        } else {
            result = .done(try await apply(command))
        }
        switch result {
        case .done(.applied(let committed)): return committed
        case let other:
            Issue.record("\(name) was not applied: \(other)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// Contact → assessment → … → sign-off: a case in delivery with review timers pending.
    func caseInDelivery(at time: Date) async throws -> CaseID {
        let id = try #require(
            try await send(nil, "contact", ["name": "Ada", "clientType": "adult", "route": "gp"], at: time)
        ).state.id
        for step in EventCatalog.pathToDelivery { try await send(id, step.name.rawValue, step.data, at: time) }
        return id
    }
}

extension CaseStore {
    /// Runs raw SQL (to tamper with the store in tests).
    func execute(_ sql: String) throws {
        try pool.write { db in try db.execute(sql: sql) }
    }

    func count(_ sql: String) throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }
}
