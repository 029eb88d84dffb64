import CareJourneyStore

/// Whether the figures a service reads in the background after it starts are in: the engine's counts of the store
/// (`Engine.countFigures`, which the metrics service runs), the overview's summary, and the review timeliness and
/// ASCOF measures (read, or kept from the last run). Until then a request for them waits up to 800 ms and may be told
/// to come back, and any request waits its turn for the store beside their reads (on PostgreSQL, for the pool's first
/// connections too): the tests wait for them before their first request, so that what a test times is its own.
public struct StartUpFigures: Sendable {
    let engine: Engine
    let overview: OverviewReader
    let reviews: ReviewTimelinessService

    /// Whether every one of them is in. A store that cannot be read leaves it false.
    public var areIn: Bool {
        engine.figures != nil && overview.hasSummary && reviews.figures != nil && reviews.ascof != nil
    }
}
