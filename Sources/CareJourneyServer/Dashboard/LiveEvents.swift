import CareJourneyCore
import CareJourneyStore
import Foundation
import Hummingbird
import ServiceLifecycle
import Synchronization

/// Server-sent events for the dashboard, fed by the committed event stream: each committed event becomes one
/// `case` message naming the case, the event and the stage (never personal data), so open pages know to refresh.
///
/// Streams are capped in total (more are refused) and per person (a new one ends the person's oldest; see
/// `HTTPLimits`). A stream opened in a browser session ends when the session does: at once on sign-out, and at the
/// next keep-alive once it expires.
///
/// A `Service`: it keeps idle connections alive with a comment every 15 seconds, and on graceful shutdown ends
/// every stream so the HTTP server can drain (list it after the server in the service group, so it is stopped
/// first).
final class LiveEvents: Service, Sendable {
    private struct Subscriber {
        let continuation: AsyncStream<ByteBuffer>.Continuation
        /// Who opened it, for the per-person cap.
        let person: String
        /// The browser session it was opened in, if any: it ends with it.
        let session: String?
    }

    private struct Subscribers {
        var next = 0
        var streams: [Int: Subscriber] = [:]
        var closed = false
    }

    private let subscribers = Mutex(Subscribers())
    private let limits: HTTPLimits
    /// Whether a browser session (by its key) is still signed in.
    private let sessionIsOpen: @Sendable (String) -> Bool
    /// Messages kept for a slow page before older ones are dropped (a page only needs to know something changed).
    private static let buffered = 64

    /// Publishes `engine`'s commits from now on, to at most `limits`' streams; a stream opened in a session of
    /// `sessions` ends when the session is closed or has expired.
    init(engine: Engine, limits: HTTPLimits, sessions: SessionStore) {
        self.limits = limits
        sessionIsOpen = { [sessions] key in sessions.session(key: key) != nil }
        engine.observe { [weak self] events in self?.publish(events) }
        sessions.onClose { [weak self] key in self?.end { $0.session == key } }
    }

    /// How many pages are listening.
    var listeners: Int { subscribers.withLock { $0.streams.count } }

    /// Why a stream was not opened: the service is at its limit of streams, in total or for this person.
    struct Refusal: Error {
        let detail: String
    }

    /// A new listener's stream of SSE text for `person` (in `session`, when they signed in with a cookie); it ends
    /// when the service stops, the client goes away or the session ends.
    ///
    /// A person holds at most `liveStreamsPerPerson` streams: a new one ends their oldest (a page left behind, whose
    /// connection the server learns has gone only at its next keep-alive).
    ///
    /// - Throws: `Refusal` when the service already holds its limit of streams in total.
    func subscribe(person: String, session: String?) throws(Refusal) -> AsyncStream<ByteBuffer> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: ByteBuffer.self, bufferingPolicy: .bufferingNewest(Self.buffered))
        let limits = limits
        let opened: Result<(id: Int, evicted: AsyncStream<ByteBuffer>.Continuation?)?, Refusal> =
            subscribers.withLock { state in
                guard !state.closed else { return .success(nil) }
                let theirs = state.streams.filter { $0.value.person == person }.map(\.key).sorted()
                var evicted: AsyncStream<ByteBuffer>.Continuation?
                if theirs.count >= limits.liveStreamsPerPerson, let oldest = theirs.first {
                    evicted = state.streams.removeValue(forKey: oldest)?.continuation
                } else if state.streams.count >= limits.liveStreams {
                    return .failure(
                        Refusal(detail: "the service has its limit of \(limits.liveStreams) live streams open"))
                }
                state.next += 1
                state.streams[state.next] = Subscriber(continuation: continuation, person: person, session: session)
                return .success((state.next, evicted))
            }
        guard let (id, evicted) = try opened.get() else {
            continuation.finish()
            return stream
        }
        evicted?.finish()
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
                let isOpen = self.sessionIsOpen
                self.end { subscriber in subscriber.session.map { !isOpen($0) } ?? false }
                self.send(ByteBuffer(string: ": keep-alive\n\n"))
            }
        }
        close()
    }

    /// Ends the streams that match.
    private func end(where matches: (Subscriber) -> Bool) {
        let ending = subscribers.withLock { state in
            let ids = state.streams.filter { matches($0.value) }.map(\.key)
            return ids.compactMap { state.streams.removeValue(forKey: $0)?.continuation }
        }
        for stream in ending { stream.finish() }
    }

    /// Sends one commit's messages to every stream; with none open (the usual case between page views), builds none:
    /// it runs on the engine's writer thread, between one batch and the next.
    private func publish(_ events: [CommittedEvent]) {
        guard !events.isEmpty, listeners > 0 else { return }
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
        for stream in subscribers.withLock({ $0.streams.values.map(\.continuation) }) { stream.yield(buffer) }
    }

    private func close() {
        let streams = subscribers.withLock { state in
            state.closed = true
            defer { state.streams = [:] }
            return state.streams.values.map(\.continuation)
        }
        for stream in streams { stream.finish() }
    }
}
