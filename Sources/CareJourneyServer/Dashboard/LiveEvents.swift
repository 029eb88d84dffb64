import CareJourneyCore
import CareJourneyStore
import Foundation
import Hummingbird
import ServiceLifecycle
import Synchronization

/// Server-sent events for the dashboard, fed by the committed event stream: each committed event becomes one
/// `case` message naming the case, the event and the stage (never personal data), so open pages know to refresh.
///
/// A `Service`: it keeps idle connections alive with a comment every 15 seconds, and on graceful shutdown ends
/// every stream so the HTTP server can drain (list it after the server in the service group, so it is stopped
/// first).
final class LiveEvents: Service, Sendable {
    private struct Subscribers {
        var next = 0
        var streams: [Int: AsyncStream<ByteBuffer>.Continuation] = [:]
        var closed = false
    }

    private let subscribers = Mutex(Subscribers())
    /// Messages kept for a slow page before older ones are dropped (a page only needs to know something changed).
    private static let buffered = 64

    /// Publishes `engine`'s commits from now on.
    init(engine: Engine) {
        engine.observe { [weak self] events in self?.publish(events) }
    }

    /// How many pages are listening.
    var listeners: Int { subscribers.withLock { $0.streams.count } }

    /// A new listener's stream of SSE text; it ends when the service stops or the client goes away.
    func subscribe() -> AsyncStream<ByteBuffer> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: ByteBuffer.self, bufferingPolicy: .bufferingNewest(Self.buffered))
        let id: Int? = subscribers.withLock { state in
            guard !state.closed else { return nil }
            state.next += 1
            state.streams[state.next] = continuation
            return state.next
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.yield(ByteBuffer(string: "retry: 3000\n\n"))
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.streams.removeValue(forKey: id) }
        }
        return stream
    }

    func run() async throws {
        // The keep-alive's sleep is cut short by a graceful shutdown: the streams end at once, not up to 15 s later.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(15))
                self.send(ByteBuffer(string: ": keep-alive\n\n"))
            }
        }
        close()
    }

    private func publish(_ events: [CommittedEvent]) {
        guard !events.isEmpty else { return }
        var text = ""
        for committed in events {
            let message: JSONValue = [
                "seq": .number(Double(committed.seq)), "case": .string(committed.state.id.rawValue),
                "event": .string(committed.event.name.rawValue), "stage": .string(committed.state.stage.rawValue),
            ]
            text += "event: case\ndata: \(String(decoding: message.serialized(), as: UTF8.self))\n\n"
        }
        send(ByteBuffer(string: text))
    }

    private func send(_ buffer: ByteBuffer) {
        for stream in subscribers.withLock({ Array($0.streams.values) }) { stream.yield(buffer) }
    }

    private func close() {
        let streams = subscribers.withLock { state in
            state.closed = true
            defer { state.streams = [:] }
            return Array(state.streams.values)
        }
        for stream in streams { stream.finish() }
    }
}
