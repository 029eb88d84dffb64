/// The ZAP handler (RFC 27) of a context: libzmq asks it about every connection to the context's CURVE server
/// sockets, and it answers as its owner decides. Without one, libzmq 4.3 admits any CURVE key: bind it before the
/// first server socket. Like any socket, it is owned by one thread, which polls it with the others.
///
/// ```swift
/// let zap = try ZAPHandler(context)
/// let router = try ZMQSocket(context, .router)
/// try router.set(.curveServer(secretKey: serverSecret, zapDomain: "carejourney"))
/// let poller = try ZMQPoller()
/// let zapIndex = try poller.add(zap)
/// // … when poller.wait says zapIndex is ready:
/// zap.answer { request in request.curvePublicKey.flatMap { names[$0] } }  // a name admits, nil refuses
/// ```
public final class ZAPHandler {
    /// A connection libzmq asks about.
    public struct Request: Sendable {
        /// The ZAP domain of the server socket connected to (`ZMQSocket.Option.curveServer`).
        public let domain: String
        /// The security mechanism: `NULL`, `PLAIN` or `CURVE`.
        public let mechanism: String
        /// The client's long-term public key (32 bytes) under CURVE; otherwise nil.
        public let curvePublicKey: [UInt8]?
    }

    /// libzmq's well-known endpoint for the handler.
    static let endpoint = "inproc://zeromq.zap.01"

    let socket: ZMQSocket

    /// Binds the handler of `context`.
    ///
    /// - Throws: `ZMQError` when the context already has one.
    public init(_ context: ZMQContext) throws(ZMQError) {
        socket = try ZMQSocket(context, .rep)
        try socket.bind(Self.endpoint)
    }

    /// Answers the request waiting, if there is one: the connection is admitted when `admit` returns a user id
    /// (which every message from it then carries as `ZMQSocket.Message.userID`), refused when it returns nil.
    public func answer(_ admit: (Request) -> String?) {
        guard let message = try? socket.receive(dontWait: true) else { return }
        // version, request id, domain, address, identity, mechanism, credentials…
        let frames = message.frames
        guard frames.count >= 6 else { return }
        let mechanism = String(decoding: frames[5], as: UTF8.self)
        let request = Request(
            domain: String(decoding: frames[2], as: UTF8.self), mechanism: mechanism,
            curvePublicKey: mechanism == "CURVE" && frames.count >= 7 ? frames[6] : nil)
        let user = admit(request)
        let (status, text) = user == nil ? ("400", "not admitted") : ("200", "OK")
        try? socket.send([
            Array("1.0".utf8), frames[1], Array(status.utf8), Array(text.utf8), Array((user ?? "").utf8), [],
        ])
    }

    /// Closes the handler (again is harmless).
    public func close() { socket.close() }
}
