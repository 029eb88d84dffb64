import HummingbirdCore
import NIOCore

/// How much of the server one client, one person, or everyone together may hold: connections, live streams,
/// header sizes, and how long a request may take to arrive or a connection may sit idle.
///
/// The defaults suit a council's staff on one service (a few hundred people, each with a few tabs open); every
/// limit refuses or closes what is over it rather than letting the server slow for everyone.
public struct HTTPLimits: Sendable {
    /// Open connections at once; more wait in the listen backlog until one closes.
    public var connections = 1024
    /// A connection with no request in progress is closed after this long.
    public var idleTimeout: Duration = .seconds(60)
    /// A request's head, body and end must all arrive within this long of the connection being ready for it.
    public var requestTimeout: Duration = .seconds(20)
    /// The largest a header field, and all header fields together, may be (bytes).
    public var headerBytes = 16 * 1024
    /// The most header fields a request may have.
    public var headerFields = 100
    /// Live-update streams (`/live`) open at once, in total (more are refused) and for one person (a new one ends
    /// their oldest, most likely a page left behind).
    public var liveStreams = 512
    public var liveStreamsPerPerson = 8

    public init() {}

    /// The HTTP/1 server these limits describe.
    var http1: HTTP1Channel.Configuration {
        let requestTimeout = TimeAmount(requestTimeout)
        return HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestDeadlineHandler(limit: requestTimeout)],
            idleTimeout: TimeAmount(idleTimeout),
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: headerBytes, maxHeaderListSize: headerBytes, maxHeaderFieldCount: headerFields))
    }
}
