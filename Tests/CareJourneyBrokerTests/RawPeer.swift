import CareJourneyWire
import Foundation
import ZeroMQ

/// A broker test's own failure, saying what did not happen.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A raw peer on a DEALER socket, for speaking MDP frame by frame (and breaking it on purpose).
final class RawPeer {
    let socket: ZMQSocket

    init(
        _ endpoint: String, context: ZMQContext = ZMQContext(),
        curve: (server: String, public: String, secret: String)? = nil
    )
        throws
    {
        socket = try ZMQSocket(context, .dealer)
        if let curve {
            try socket.set(.curveClient(serverKey: curve.server, publicKey: curve.public, secretKey: curve.secret))
        }
        try socket.connect(endpoint)
    }

    func send(_ frames: [[UInt8]]) throws { try socket.send(frames) }

    func send(_ frames: [String]) throws { try socket.send(frames.map { Array($0.utf8) }) }

    /// The next message, or `nil` after `seconds`; heartbeats are skipped unless `heartbeats`. A wait for a message
    /// that must come is long (a slow machine's broker may first read the store); a check that none comes passes
    /// its own short `seconds`.
    func receive(within seconds: Double = 15, heartbeats: Bool = false) throws -> [[UInt8]]? {
        let deadline = Date().addingTimeInterval(seconds)
        let poller = try ZMQPoller()
        try poller.add(socket)
        while Date() < deadline {
            let ready = try poller.wait(milliseconds: max(1, Int(deadline.timeIntervalSinceNow * 1000)))
            guard ready[0], let message = try socket.receive(dontWait: true) else { continue }
            if !heartbeats, Self.isHeartbeat(message.frames) { continue }
            return message.frames
        }
        return nil
    }

    static func isHeartbeat(_ frames: [[UInt8]]) -> Bool {
        for version in [MDP.Version.v01, .v02] {
            if frames == MDP.heartbeat(version) { return true }
        }
        return false
    }

    func close() { socket.close() }
}

extension String {
    init(_ bytes: [UInt8]) { self = String(decoding: bytes, as: UTF8.self) }
}
