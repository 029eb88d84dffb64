import CareJourneyClock
import CareJourneyCore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Fires timers exactly once, as events on their cases, when the clock reaches them.
///
/// It keeps only the near-due window in memory (at most `batch` timers due within `window` seconds), sleeps on
/// the injected clock until the earliest, and is woken early when a commit sets a sooner one. A fire is an
/// ordinary command: committed with the event, the timer row goes in the same transaction, and the core refuses a
/// fire for a timer no longer pending with that due time, so a timer cannot fire twice. After a restart, what
/// came due while the service was down fires at once, marked late with how late.
public final class TimerService: Service, Sendable {
    private let engine: Engine
    private let clock: any CareClock
    private let window: TimeInterval
    private let batch: Int
    private let logger: Logger
    private let doorbell = Doorbell()
    private let nextWake = Mutex<Date>(.distantFuture)
    private let stopping = Mutex(false)

    /// Creates a timer service.
    ///
    /// - Parameters:
    ///   - window: how far ahead (in the clock's seconds) timers are loaded into memory.
    ///   - batch: the most timers loaded at once.
    public init(
        engine: Engine, clock: any CareClock, window: TimeInterval = 300, batch: Int = 2000,
        logger: Logger = Logger(label: "carejourney.timers")
    ) {
        self.engine = engine
        self.clock = clock
        self.window = window
        self.batch = batch
        self.logger = logger
    }

    /// Fires timers until a graceful shutdown; while the store cannot be read, tries again, waiting longer each
    /// time (up to half a minute).
    public func run() async throws {
        engine.observe { [weak self] committed in self?.wakeIfSooner(committed) }
        await withGracefulShutdownHandler {
            var retry: Double = 1
            while !stopping.withLock({ $0 }) && !Task.isCancelled {
                let next: Date
                do {
                    next = try await fireDue()
                    retry = 1
                } catch {
                    // A store that cannot be read now (a database restarting) is read again, later each time up
                    // to half a minute: the timers wait in the store, and fire late, never lost.
                    logger.warning("the due timers could not be read; looking again in \(Int(retry)) s: \(error)")
                    next = clock.now().addingTimeInterval(retry * clock.scale)
                    retry = min(retry * 2, 30)
                }
                nextWake.withLock { $0 = next }
                let clock = self.clock
                await doorbell.wait { try? await clock.sleep(until: next) }
            }
        } onGracefulShutdown: {
            self.stopping.withLock { $0 = true }
            self.doorbell.ring()
        }
    }

    /// Rings when a commit set a timer sooner than the one the service sleeps until.
    private func wakeIfSooner(_ committed: [CommittedEvent]) {
        let wake = nextWake.withLock { $0 }
        let sooner = committed.contains { event in
            event.effects.contains { if case .setTimer(_, let due) = $0 { due < wake } else { false } }
        }
        if sooner { doorbell.ring() }
    }

    /// Fires every timer due now (up to `batch`); returns when to look again.
    @discardableResult
    public func fireDue() async throws(StoreError) -> Date {
        let now = clock.now()
        let loaded = try await engine.store.timers(dueBy: now.addingTimeInterval(window), limit: batch)
        let due = loaded.filter { $0.due <= now }
        if !due.isEmpty {
            await withTaskGroup(of: Void.self) { group in
                for timer in due { group.addTask { await self.fire(timer, at: now) } }
            }
            // More may be due than one batch held: look again at once.
            if due.count == batch { return now }
        }
        return loaded.first { $0.due > now }?.due ?? now.addingTimeInterval(window)
    }

    private func fire(_ timer: TimerRecord, at now: Date) async {
        let lateBy = now.timeIntervalSince(timer.due)
        // Late means later than the service's own scheduling explains: over a quarter of a second of wall time.
        let late = lateBy > 0.25 * clock.scale ? lateBy : nil
        let command = Command(
            caseID: timer.caseID, event: .timerFired(TimerFire(timer: timer.name, due: timer.due)), actor: "timer",
            reason: late.map { "fired \(Self.describe($0)) late" }, at: now, late: late)
        let about: Logger.Metadata = ["case": "\(timer.caseID)", "timer": "\(timer.name.rawValue)"]
        do {
            if case .rejected(let error, _) = try await engine.apply(command) {
                logger.info("timer not fired: \(error.message)", metadata: about)
            }
        } catch {
            logger.warning("timer will be retried: \(error)", metadata: about)
        }
    }

    /// `3d 4h`, `12m 5s`: a lateness for people.
    static func describe(_ seconds: TimeInterval) -> String {
        var rest = Int(seconds.rounded())
        var parts: [String] = []
        for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)]
        where rest >= size || (size == 1 && parts.isEmpty) {
            parts.append("\(rest / size)\(unit)")
            rest %= size
            if parts.count == 2 { break }
        }
        return parts.joined(separator: " ")
    }
}
