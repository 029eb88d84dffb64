import CareJourneyWire
import Foundation
import Logging

@testable import CareJourneyBroker

/// The broker's rules with no sockets: inputs in, actions out, on a clock the test moves by hand. Each backlog the
/// rules ask for is loaded from an empty store, and their log lines are written to `log`, as the broker writes them.
final class RoutingProbe {
    private(set) var routing: BrokerRouting
    let log = CapturedLog()
    private let logger: Logger
    private(set) var now = Date(timeIntervalSince1970: 1_800_000_000)

    init(
        policyQueues: Set<String> = ["brokerage", "advocacy"], peopleQueues: Set<String> = [],
        curve: CurveKeyFile? = nil,
        limits: BrokerOptions.Limits = .init(), lease: Duration = .seconds(300), maxAttempts: Int = 5
    ) {
        let options = BrokerOptions(
            curve: curve, heartbeat: .seconds(1), liveness: 3, lease: lease, maxAttempts: maxAttempts, limits: limits)
        let log = self.log
        logger = Logger(label: "test") { _ in log }
        routing = BrokerRouting(
            options: options,
            admission: BrokerAdmission(policyQueues: policyQueues, peopleQueues: peopleQueues, curve: curve),
            logLevel: .trace, now: now)
    }

    /// The routing's answer to one input now: its actions, and those of the empty backlogs it asked for.
    @discardableResult
    func feed(_ input: BrokerRouting.Input) -> [BrokerRouting.Action] {
        var actions: [BrokerRouting.Action] = []
        routing.on(input, now: now, into: &actions)
        var index = 0
        while index < actions.count {
            switch actions[index] {
            case .load(let service, _):
                routing.on(.loaded([], service: service, exhausted: true), now: now, into: &actions)
            case .log(let level, let message, let metadata):
                logger.log(level: level, "\(message)", metadata: metadata)
            default:
                break
            }
            index += 1
        }
        return actions
    }

    /// The routing's answer to one message from `identity` (authenticated as `user`).
    @discardableResult
    func send(_ frames: [[UInt8]], from identity: [UInt8], user: String? = nil) -> [BrokerRouting.Action] {
        feed(.message(from: identity, frames: frames, user: user))
    }

    /// Moves the clock on and lets the routing act on it.
    @discardableResult
    func advance(_ seconds: Double) -> [BrokerRouting.Action] {
        now = now.addingTimeInterval(seconds)
        return feed(.tick)
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
