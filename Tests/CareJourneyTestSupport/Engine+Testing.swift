import CareJourneyCore
import CareJourneyStore
import Foundation
import Testing

/// Runs `body` with an engine on `store` whose batch loop runs beside it, then shuts the engine down (it commits
/// what it holds). Structured: when `body` throws, the engine is stopped too, so no test leaves one running.
///
/// ```swift
/// try await withEngine(store, policy: try shippedPolicy()) { engine in
///     let id = try await engine.caseInDelivery(at: start)
/// }
/// ```
public func withEngine<T: Sendable>(
    _ store: any CareStore, policy: Policy, _ body: @Sendable (Engine) async throws -> T
) async throws -> T {
    let engine = try await Engine(store: store, policy: policy)
    // Cancelled at the end, the engine takes no more commands and finishes those it has (`withRunning`).
    return try await withRunning(engine) { try await body(engine) }
}

extension Engine {
    /// Submits an event (with an idempotency key, when `key` is given) and returns what was committed; records an
    /// issue if it was not applied.
    @discardableResult
    public func send(
        _ id: CaseID?, _ name: String, _ data: JSONValue = [:], at: Date, key: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> CommittedEvent? {
        let command = Command(caseID: id, event: try Event(name: name, data: data), actor: "test", at: at)
        let result: CommandResult
        if let key {
            result = try await submit(
                command, key: IdempotencyKey(key, fingerprint: "\(id?.rawValue ?? "new") \(name)"))
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

    /// Contact → assessment → … → sign-off for `name`: a case in delivery with review timers pending (and an open
    /// `find-provider` task on `brokerage`).
    public func caseInDelivery(at time: Date, name: String = "Ada") async throws -> CaseID {
        try await signedOff(at: time, name: name).state.id
    }

    /// The same journey to delivery: what its last step (sign-off) committed, the case's state as it stood then
    /// (before any worker could answer its tasks).
    public func signedOff(at time: Date, name: String = "Ada") async throws -> CommittedEvent {
        var last = try #require(
            try await send(nil, "contact", ["name": .string(name), "clientType": "adult", "route": "gp"], at: time))
        for step in EventCatalog.pathToDelivery {
            last = try #require(try await send(last.state.id, step.name.rawValue, step.data, at: time))
        }
        return last
    }

    /// A case opened at `at` and closed at once (needs met).
    @discardableResult
    public func closedCase(_ contact: JSONValue, at: Date) async throws -> CaseID {
        let id = try #require(try await send(nil, "contact", contact, at: at)).state.id
        try await send(id, "close-case", ["reason": "needs-met"], at: at)
        return id
    }

    /// A whole life from `start`: contact (with the key `key`, when given) → delivery → the first formal review →
    /// closed (needs met) → its services ended (with the key `key-end`): 12 events, several snapshots, tasks of every fate, a review
    /// done, and nothing left open.
    @discardableResult
    public func wholeLife(_ contact: JSONValue, key: String?, from start: Date) async throws -> (id: CaseID, closedAt: Date) {
        let id = try #require(try await send(nil, "contact", contact, at: start, key: key)).state.id
        var signedOff: CommittedEvent?
        for step in EventCatalog.pathToDelivery {
            signedOff = try await send(id, step.name.rawValue, step.data, at: start.addingTimeInterval(3600))
        }
        let opens = try #require(signedOff?.state.timers[.reviewFirstFormalOpens])
        try await send(
            id, "timer-fired", ["timer": "review.first-formal.opens", "due": .string(ISO8601Text.format(opens))],
            at: opens)
        let closedAt = opens.addingTimeInterval(86_400)
        try await send(id, "start-review", ["type": "first-formal"], at: closedAt)
        try await send(id, "review-completed", ["outcome": "no-change"], at: closedAt)
        let closed = try #require(try await send(id, "close-case", ["reason": "needs-met"], at: closedAt))
        #expect(closed.state.stage == .closed)
        try await send(id, "services-ended", at: closedAt.addingTimeInterval(60), key: key.map { "\($0)-end" })
        return (id, closedAt)
    }
}
