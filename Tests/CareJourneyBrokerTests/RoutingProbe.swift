import CareJourneyWire
import Foundation
import Logging

@testable import CareJourneyBroker

/// The broker's rules with no sockets: messages in, actions out, on a clock the test moves by hand.
final class RoutingProbe {
    let routing: BrokerRouting
    let log = CapturedLog()
    private(set) var now = Date(timeIntervalSince1970: 1_800_000_000)

    init(
        policyQueues: Set<String> = ["brokerage", "advocacy"], curve: CurveKeyFile? = nil,
        limits: BrokerOptions.Limits = .init()
    ) {
        let options = BrokerOptions(curve: curve, heartbeat: .seconds(1), liveness: 3, limits: limits)
        let log = self.log
        routing = BrokerRouting(
            options: options, admission: BrokerAdmission(policyQueues: policyQueues, curve: curve),
            logger: Logger(label: "test") { _ in log }, now: now)
    }

    /// The routing's answer to one message from `identity` (authenticated as `user`).
    @discardableResult
    func send(_ frames: [[UInt8]], from identity: [UInt8], user: String? = nil) -> [BrokerRouting.Action] {
        routing.received(from: identity, frames: frames, user: user, now: now)
        return takeActions()
    }

    /// Moves the clock on and lets the routing act on it.
    @discardableResult
    func advance(_ seconds: Double) -> [BrokerRouting.Action] {
        now = now.addingTimeInterval(seconds)
        routing.tick(now: now)
        return takeActions()
    }

    /// The actions, with each backlog the routing asks for loaded from an empty store.
    private func takeActions() -> [BrokerRouting.Action] {
        var all: [BrokerRouting.Action] = []
        var next = routing.takeActions()
        while !next.isEmpty {
            all += next
            for case .load(let service, _) in next { routing.loaded([], service: service, exhausted: true, now: now) }
            next = routing.takeActions()
        }
        return all
    }

    /// The frames sent to `identity` among `actions`.
    static func sent(to identity: [UInt8], in actions: [BrokerRouting.Action]) -> [[[UInt8]]] {
        actions.compactMap {
            if case .send(identity, let frames) = $0 { frames } else { nil }
        }
    }

    var holdings: (queues: Int, workers: Int, requests: Int, requestBytes: Int, peers: Int, tasks: Int) {
        routing.holdings
    }

    var dropped: [String: Int] { routing.dropped }
}

/// A key file for rules that never touch a socket: peers by name (their keys are not used).
func keyFile(_ peers: [CurveKeyFile.Peer]) -> CurveKeyFile {
    CurveKeyFile(
        path: "keys.yaml", serverPublicKey: "", serverSecretKey: "",
        peers: Dictionary(uniqueKeysWithValues: peers.map { ("key of \($0.name)", $0) }))
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
