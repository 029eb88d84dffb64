import CareJourneyClock
import CareJourneyCore
import CareJourneyReports
import CareJourneyStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Keeps the overview's review timeliness and ASCOF measures for the last 12 months, read from the case histories as
/// `carejourney report reviews` reads them: at start (unless the figures kept from the last run are younger than
/// `interval`, when they stand until then), then again every `interval` of wall time, or ten
/// times as long as the last read took if that is longer. Replaying histories is a pass over the events of every
/// case not closed a year ago (about a minute of one core for a million cases), so it is done in the background
/// and the pages show the last figures made. The last figures are kept in a file beside the store, so that after a
/// restart the pages show them at once, as of when they were made, until the first read after start replaces them.
final class ReviewTimelinessService: Service, Sendable {
    private let store: any CareStore
    private let clock: any CareClock
    private let interval: Duration
    private let calendar: CouncilCalendar
    private let logger: Logger
    private let latest: Mutex<ReviewTimeliness?>
    private let latestASCOF: Mutex<ASCOFMeasures?>
    /// Where the last figures are kept: `figures.json` in the store's folder (counts and case numbers, no one's
    /// name or details).
    private let kept: KeptFile<Kept>

    /// What the file keeps.
    private struct Kept: Codable {
        var timeliness: ReviewTimeliness?
        var ascof: ASCOFMeasures?
    }

    /// Cases read in one read transaction: short reads, so that the write-ahead log is checkpointed between them.
    static let chunk = 2_000

    /// The figures for `store`, made every `interval`, on `calendar`'s days; the last ones kept are read back now.
    init(
        store: any CareStore, clock: any CareClock, interval: Duration = .seconds(300), calendar: CouncilCalendar,
        logger: Logger
    ) {
        self.store = store
        self.clock = clock
        self.interval = interval
        self.calendar = calendar
        self.logger = logger
        kept = KeptFile("figures.json", beside: store)
        let last = kept.read()
        latest = Mutex(last?.timeliness)
        latestASCOF = Mutex(last?.ascof)
    }

    /// The last figures made, or `nil` before the first are ready.
    var figures: ReviewTimeliness? { latest.withLock { $0 } }

    /// The last ASCOF measures made, or `nil` before the first are ready.
    var ascof: ASCOFMeasures? { latestASCOF.withLock { $0 } }

    /// The last ASCOF measures made, waiting up to `patience` for the first after start-up.
    func ascof(waitingUpTo patience: Duration) async -> ASCOFMeasures? {
        let deadline = ContinuousClock.now + patience
        while ascof == nil, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        return ascof
    }

    /// The last figures made, waiting up to `patience` for the first after start-up.
    func figures(waitingUpTo patience: Duration) async -> ReviewTimeliness? {
        let deadline = ContinuousClock.now + patience
        while figures == nil, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        return figures
    }

    /// Makes the figures now and keeps them; a store that cannot be read leaves the last figures in place.
    func refresh() async {
        let now = clock.now()
        let period = ReportPeriod.year(endingAt: now, in: calendar.timeZone)
        do {
            let figures = try await store.reduceHistories(
                activeFrom: period.start, into: ReviewTimeliness(period: period, asOf: now, calendar: calendar),
                inChunksOf: Self.chunk
            ) { figures, history in figures.add(history) }
            latest.withLock { $0 = figures }
            // A pass of its own: the measures read the year widened (new clients, what followed reablement).
            var ascof = try await store.reduceHistories(
                activeFrom: ASCOFReport(measured: period).period.start, into: ASCOFReport(measured: period),
                inChunksOf: Self.chunk
            ) { report, history in report.add(history) }
            ascof = try await store.reduceHistories(of: ascof.casesToReadAgain, into: ascof) { $0.addAgain($1) }
            let measures = ascof.measures()
            latestASCOF.withLock { $0 = measures }
            kept.write(Kept(timeliness: figures, ascof: measures), logger: logger)
        } catch {
            logger.warning("review timeliness not refreshed", metadata: ["error": .string("\(error)")])
        }
    }

    /// How long the figures kept from the last run may stand after a start: the rest of `interval` since they were
    /// made, or nothing when there are none (or they were made in what the clock says is the future).
    var keptFiguresStand: Duration {
        guard let asOf = figures?.asOf, ascof != nil else { return .zero }
        let age = clock.now().timeIntervalSince(asOf)
        guard age >= 0, .seconds(age) < interval else { return .zero }
        return interval - .seconds(age)
    }

    func run() async throws {
        // A graceful shutdown cuts the wait short; a refresh under way finishes its read first.
        try? await cancelWhenGracefulShutdown {
            // Figures made minutes ago stand: a restart does not replay every history at once (a minute of a core and
            // hundreds of megabytes at a million cases, in the first seconds after start).
            try await Task.sleep(for: self.keptFiguresStand)
            while !Task.isCancelled {
                let started = ContinuousClock.now
                await self.refresh()
                // On a large store a refresh is a long replay: wait at least ten times as long as it took, so that
                // it never takes more than a tenth of a core.
                try await Task.sleep(for: max(self.interval, (ContinuousClock.now - started) * 10))
            }
        }
    }
}
