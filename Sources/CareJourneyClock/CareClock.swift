import Foundation
import Synchronization

/// Where the service's time comes from: the wall clock in production, a scaled clock for demos, a manual clock
/// in tests. The core never reads any clock; the shell reads this one and passes `now` in.
public protocol CareClock: Sendable {
    /// The time now.
    func now() -> Date
    /// Returns when the clock reads `deadline` (or at once if it already does); throws when cancelled.
    func sleep(until deadline: Date) async throws
    /// How many of this clock's seconds pass in one second of wall time.
    var scale: Double { get }
}

extension CareClock {
    /// How long, in milliseconds of wall time, a thread that cannot `sleep(until:)` (one blocked in `ZMQPoller.wait`)
    /// waits for this clock to read `deadline`: 0 once it does, else the wall time until then (a scaled clock's
    /// seconds are shorter), rounded up, and never more than `limit`, so that a thread waiting on a manual clock,
    /// which moves without waking it, looks again at least that often.
    ///
    /// ```swift
    /// let ready = try poller.wait(milliseconds: clock.milliseconds(until: routing.nextDeadline(), atMost: 1000))
    /// ```
    public func milliseconds(until deadline: Date, atMost limit: Int) -> Int {
        let wall = deadline.timeIntervalSince(now()) / scale * 1000
        guard wall < Double(limit) else { return limit }
        return wall < 0 ? 0 : Int(wall) + 1
    }
}

/// The wall clock.
public struct WallClock: CareClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSinceNow
        if seconds > 0 { try await Task.sleep(for: .seconds(seconds)) }
    }
    public var scale: Double { 1 }
}

/// A virtual clock that runs `scale` times faster than the wall clock from a starting point, through the same
/// code path as the wall clock (`--time-scale N`): 72 hours pass in 72×3600/N seconds.
public struct ScaledClock: CareClock {
    /// The virtual time at `wallOrigin`.
    public let virtualOrigin: Date
    /// The wall time the clock started at.
    public let wallOrigin: Date
    public let scale: Double

    /// Creates a clock reading `virtualOrigin` at wall time `wallOrigin`, running `scale` times faster.
    public init(virtualOrigin: Date, wallOrigin: Date = Date(), scale: Double) {
        self.virtualOrigin = virtualOrigin
        self.wallOrigin = wallOrigin
        self.scale = scale
    }

    public func now() -> Date {
        virtualOrigin.addingTimeInterval(Date().timeIntervalSince(wallOrigin) * scale)
    }

    public func sleep(until deadline: Date) async throws {
        let wall = deadline.timeIntervalSince(now()) / scale
        if wall > 0 { try await Task.sleep(for: .seconds(wall)) }
    }
}

/// A clock that moves only when told to: for tests and benchmarks that need time to be exact.
public final class ManualClock: CareClock {
    private struct State {
        var now: Date
        var sleepers: [Int: (deadline: Date, continuation: CheckedContinuation<Void, any Error>)] = [:]
        var cancelled: Set<Int> = []
        var nextID = 0
    }
    private let state: Mutex<State>

    /// Creates a clock reading `start`.
    public init(_ start: Date) { state = Mutex(State(now: start)) }

    public func now() -> Date { state.withLock { $0.now } }
    public var scale: Double { 1 }

    /// Moves the clock to `date` (never back), waking every sleeper whose deadline has come.
    public func advance(to date: Date) {
        let woken = state.withLock { state in
            state.now = max(state.now, date)
            let now = state.now
            let due = state.sleepers.filter { $0.value.deadline <= now }
            for id in due.keys { state.sleepers[id] = nil }
            return due.values.map(\.continuation)
        }
        for continuation in woken { continuation.resume() }
    }

    /// Moves the clock on by `seconds`.
    public func advance(by seconds: TimeInterval) { advance(to: now().addingTimeInterval(seconds)) }

    public func sleep(until deadline: Date) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    if state.cancelled.remove(id) != nil { return .failure(CancellationError()) }
                    if deadline <= state.now { return .success(()) }
                    state.sleepers[id] = (deadline, continuation)
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let sleeper = state.withLock { state in
                if let sleeper = state.sleepers.removeValue(forKey: id) { return Optional(sleeper) }
                state.cancelled.insert(id)
                return nil
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }
}
