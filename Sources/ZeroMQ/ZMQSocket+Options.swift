import CZeroMQ

extension ZMQSocket {
    /// The socket options used here, typed: no caller needs libzmq's constants.
    public enum Option: Sendable {
        /// A ROUTER reports a message to an unknown or unreachable peer as an error (`EHOSTUNREACH`) instead of
        /// dropping it silently.
        case routerMandatory
        /// A peer that sends a message of more than this many bytes is disconnected.
        case maxMessageSize(Int)
        /// Messages queued for sending before a send blocks (or fails, with `dontWait`).
        case sendHighWaterMark(Int)
        /// A SUB socket receives the messages whose first frame starts with these bytes (empty: every message).
        case subscribe([UInt8])
        /// A CURVE server (RFC 26) with its secret key (Z85): its peers must speak CURVE, and the context's
        /// `ZAPHandler` is asked about each connection under `zapDomain`.
        case curveServer(secretKey: String, zapDomain: String)
        /// A CURVE client of the server whose public key is `serverKey`, with its own key pair (all Z85).
        case curveClient(serverKey: String, publicKey: String, secretKey: String)
    }

    /// Sets an option.
    ///
    /// ```swift
    /// let worker = try ZMQSocket(context, .dealer)
    /// try worker.set(.curveClient(serverKey: broker, publicKey: keys.publicKey, secretKey: keys.secretKey))
    /// try worker.connect("tcp://10.0.0.5:5555")
    /// ```
    ///
    /// - Throws: `ZMQError` when libzmq refuses it (a key that is not Z85, an option the socket type has not).
    public func set(_ option: Option) throws(ZMQError) {
        switch option {
        case .routerMandatory:
            try set(ZMQ_ROUTER_MANDATORY, Int32(1))
        case .maxMessageSize(let bytes):
            var value = Int64(bytes)
            try set(ZMQ_MAXMSGSIZE, bytes: &value, size: MemoryLayout<Int64>.size)
        case .sendHighWaterMark(let messages):
            try set(ZMQ_SNDHWM, Int32(clamping: messages))
        case .subscribe(let prefix):
            try set(ZMQ_SUBSCRIBE, prefix)
        case .curveServer(let secretKey, let zapDomain):
            try set(ZMQ_CURVE_SERVER, Int32(1))
            try set(ZMQ_CURVE_SECRETKEY, Array(secretKey.utf8))
            try set(ZMQ_ZAP_DOMAIN, Array(zapDomain.utf8))
        case .curveClient(let serverKey, let publicKey, let secretKey):
            try set(ZMQ_CURVE_SERVERKEY, Array(serverKey.utf8))
            try set(ZMQ_CURVE_PUBLICKEY, Array(publicKey.utf8))
            try set(ZMQ_CURVE_SECRETKEY, Array(secretKey.utf8))
        }
    }

    /// Sets an integer option.
    func set(_ option: Int32, _ value: Int32) throws(ZMQError) {
        var value = value
        try set(option, bytes: &value, size: MemoryLayout<Int32>.size)
    }

    /// Sets a bytes option (a subscription, a key, a ZAP domain).
    func set(_ option: Int32, _ bytes: [UInt8]) throws(ZMQError) {
        let result = bytes.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
        guard result == 0 else { throw ZMQError("cannot set socket option \(option)") }
    }

    private func set(_ option: Int32, bytes value: UnsafeRawPointer, size: Int) throws(ZMQError) {
        mayHoldInput = true
        guard zmq_setsockopt(handle, option, value, size) == 0 else {
            throw ZMQError("cannot set socket option \(option)")
        }
    }
}
