import CareJourneyStore
import Logging
import PostgresNIO

extension FeedReader {
    /// Reads the other nodes' batches as they come, on `connection` (one kept for it), and gives each read's batches
    /// to `deliver`, until the task is cancelled or the connection fails.
    ///
    /// It listens for doorbells (`NodeFeed.channel`) and reads when one rings, and also every `pollEvery` whatever
    /// rings, since a doorbell may be lost (a notification is not durable: one sent while this connection was down
    /// is never delivered). After a failure the caller connects again and calls `follow` again: the positions carry
    /// on from the last read that returned.
    ///
    /// - Throws: `StoreError` when the connection fails or a read fails. A cancelled follow returns once the read
    ///   under way, if any, ends.
    public mutating func follow(
        on connection: PostgresConnection, pollEvery: Duration, logger: Logger,
        deliver: ([FeedBatch]) async -> Void
    ) async throws(StoreError) {
        let what = "following the other nodes' feeds"
        try connection.requireOpen(what)
        let (ended, end) = AsyncStream.makeStream(of: Void.self)
        defer { end.finish() }
        let doorbells = try await listen(on: connection, until: ended, logger: logger)
        try await PostgresFailure.map(what) {
            let (wakes, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    // Its end (the connection closed, or failed) ends the reading below at once, not at the
                    // next poll.
                    defer { wake.finish() }
                    for try await _ in doorbells { wake.yield() }
                }
                group.addTask {
                    // Ends quietly when cancelled: an error the group throws is the doorbells'.
                    while !Task.isCancelled {
                        try? await Task.sleep(for: pollEvery)
                        wake.yield()
                    }
                }
                wake.yield()
                for await _ in wakes {
                    var batches: [FeedBatch]
                    repeat {
                        batches = try await poll(on: connection, logger: logger)
                        if !batches.isEmpty { await deliver(batches) }
                    } while batches.count >= limit && !Task.isCancelled
                    if Task.isCancelled { break }
                }
                group.cancelAll()
                guard !Task.isCancelled else { return }
                // The doorbells ended: their error is the follow's, and a quiet end is a closed connection. (Both
                // children are awaited: the timer, cancelled just now, may end first.)
                try await group.waitForAll()
                try connection.requireOpen(what)
                throw StoreError(.unavailable, "\(what) stopped: the store stopped listening; connect again")
            }
        }
    }

    /// The doorbells rung on `connection` (`LISTEN`), listened to until `ended` finishes.
    ///
    /// The wait for `LISTEN`'s answer has a limit on this side (`ClusterTimeouts.answered`), as every cluster
    /// statement's has: postgres-nio may never answer a statement written to a connection as it closes, and its
    /// `listen` cannot be cancelled while it waits. Given up on, that `listen` is left to end on its own, on a
    /// connection closed for it.
    private func listen(
        on connection: PostgresConnection, until ended: AsyncStream<Void>, logger: Logger
    ) async throws(StoreError) -> PostgresNotificationSequence {
        let (listened, give) = AsyncThrowingStream.makeStream(of: PostgresNotificationSequence.self)
        let listening = Task {
            do {
                try await connection.listen(on: NodeFeed.channel) { doorbells in
                    give.yield(doorbells)
                    for await _ in ended {}
                }
                give.finish()
            } catch {
                give.finish(throwing: error)
            }
        }
        let what = "listening for the other nodes' doorbells"
        return try await PostgresFailure.map(what) {
            do {
                return try await ClusterTimeouts.answered(
                    within: timeouts.lock + timeouts.statement + ClusterTimeouts.grace, what, closing: connection
                ) {
                    var doorbells = listened.makeAsyncIterator()
                    guard let listening = try await doorbells.next() else {
                        throw StoreError(.unavailable, "\(what) failed: the connection closed; connect again")
                    }
                    return listening
                }
            } catch {
                listening.cancel()
                throw error
            }
        }
    }
}
