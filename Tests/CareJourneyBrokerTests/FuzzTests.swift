import CareJourneyBroker
import CareJourneyWire
import CareJourneyWorker
import Foundation
import Testing
import ZeroMQ
import CareJourneyTestSupport

/// Hostile traffic against a running broker over real sockets: it stays up, answers a real worker, and holds no
/// more memory than before.
///
/// It runs alone, when `CAREJOURNEY_FUZZ_MESSAGES` says how many messages to send: scripts/test runs
/// `CAREJOURNEY_FUZZ_MESSAGES=1000000 swift test --filter FuzzTests` as a step of its own. Within the whole
/// `swift test` the other suites run in parallel in the same process, so its memory figure would be theirs too,
/// and its million messages would starve their brokers of CPU.
@Suite(.serialized) struct FuzzTests {
    /// Messages sent: `CAREJOURNEY_FUZZ_MESSAGES`.
    static let messages = Int(ProcessInfo.processInfo.environment["CAREJOURNEY_FUZZ_MESSAGES"] ?? "")
    /// Sent before the baseline is read, so libzmq's and the allocator's first buffers are not counted as growth.
    static let warmUp = 100_000

    @Test(
        .enabled(
            if: Self.messages != nil, "runs alone: CAREJOURNEY_FUZZ_MESSAGES=1000000 swift test --filter FuzzTests"))
    func aMillionHostileMessagesLeaveTheBrokerServingARealWorkerWithMemoryFlat() async throws {
        let messages = try #require(Self.messages)
        var options = fastOptions()
        options.limits.requestTimeout = .milliseconds(500)
        try await withBroker(options: options) { harness in
            let started = Date()
            let atStart = residentMegabytes()
            let hostile = try HostilePeers(endpoint: harness.endpoint, seed: 13)
            try hostile.send(min(Self.warmUp, messages))
            let afterWarmUp = residentMegabytes()
            try hostile.send(messages - hostile.sent)
            let sending = -started.timeIntervalSinceNow
            hostile.close()

            // The broker reads what is still queued, forgets the flood's workers and requests, and is then still serving.
            var lastDropped = -1
            while harness.broker.snapshot.dropped.values.reduce(0, +) != lastDropped {
                lastDropped = harness.broker.snapshot.dropped.values.reduce(0, +)
                try await Task.sleep(for: .milliseconds(500))
            }
            #expect(
                try await harness.eventually(10) {
                    let snapshot = harness.broker.snapshot
                    return snapshot.workers.isEmpty && snapshot.queues.values.allSatisfy { $0.waitingRequests == 0 }
                }, "\(harness.broker.snapshot)")
            let (_, task) = try await harness.caseWithABrokerageTask()
            let worker = TaskWorker(
                options: WorkerOptions(brokers: [harness.endpoint], service: "brokerage", heartbeat: .milliseconds(100))
            ) { _, _ in .done(["provider": "Sunrise Home Care", "weeklyCost": 215.5]) }
            try await withRunning(worker) { () async throws in
                #expect(try await harness.eventually(10) { try await harness.status(of: task) == "completed" })
            }
            let atEnd = residentMegabytes()
            let snapshot = harness.broker.snapshot

            // Every queue the snapshot names is the policy's; nothing a peer made up.
            let policyQueues = Set(try shippedPolicy().queues.values)
            #expect(Set(snapshot.queues.keys).isSubset(of: policyQueues), "\(snapshot.queues.keys.sorted())")
            let dropped = snapshot.dropped.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            print(
                """
                fuzz: \(hostile.sent) hostile MDP messages (\(hostile.freshIdentities) READYs from fresh identities, \
                \(hostile.huge) multipart messages of \(HostilePeers.hugeBytes >> 20) MiB) sent in \
                \(String(format: "%.1f", sending)) s; dropped by reason: \(dropped.joined(separator: ", "))
                fuzz: VmRSS at start \(atStart) MB, after \(Self.warmUp) messages \(afterWarmUp) MB, at the end \(atEnd) MB \
                (growth after warm-up \(atEnd - afterWarmUp) MB; the limit is 32 MB)
                """)
            #expect(hostile.sent >= messages)
            #expect(atEnd - afterWarmUp < 32, "VmRSS grew from \(afterWarmUp) MB to \(atEnd) MB")
        }
    }
}

/// This process's resident memory (VmRSS in /proc/self/status), in MB.
func residentMegabytes() -> Int {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
    return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
}

/// Peers that send malformed and hostile MDP: random frames, broken commands, requests for services nobody named
/// (with line breaks in the names), requests that wait for workers that never come, MMI queries, READYs and
/// replies out of turn, huge multipart messages, and READY floods from fresh identities (a new connection each).
final class HostilePeers {
    static let hugeBytes = 2 << 20
    private let endpoint: String
    private let context: ZMQContext
    private let peers: [ZMQSocket]
    private let bulky: ZMQSocket
    private var random: SplitMix
    private let templates: [[[UInt8]]]
    private(set) var sent = 0
    private(set) var freshIdentities = 0
    private(set) var huge = 0

    init(endpoint: String, seed: UInt64) throws {
        self.endpoint = endpoint
        context = ZMQContext()
        random = SplitMix(seed: seed)
        let context = context
        peers = try (0..<4).map { _ in
            let socket = try ZMQSocket(context, .dealer)
            try socket.connect(endpoint)
            return socket
        }
        bulky = try ZMQSocket(context, .dealer)
        try bulky.set(.sendHighWaterMark(2))
        try bulky.connect(endpoint)
        var templates: [[[UInt8]]] = []
        for _ in 0..<8192 { templates.append(Self.message(&random)) }
        self.templates = templates
    }

    /// Sends `count` messages more.
    func send(_ count: Int) throws {
        for _ in 0..<count {
            if sent % 500 == 250 {
                try readyFromAFreshIdentity()
            } else if sent % 10_000 == 5_000 {
                let frame = [UInt8](repeating: 0x41, count: Self.hugeBytes / 16)
                try bulky.send(
                    [Array("MDPC02".utf8), [0x01], Array("brokerage".utf8)] + Array(repeating: frame, count: 16))
                huge += 1
            } else {
                let template = templates[Int(random.next() % UInt64(templates.count))]
                try peers[sent % peers.count].send(template)
            }
            sent += 1
        }
    }

    private func readyFromAFreshIdentity() throws {
        let socket = try ZMQSocket(context, .dealer)
        let services = ["brokerage", "advocacy", "mmi.service", "made-up\n\(random.next())"]
        try socket.connect(endpoint)
        try socket.send(MDP.fromWorker(.v02, .ready, service: services[Int(random.next() % 4)]))
        socket.close()
        freshIdentities += 1
    }

    func close() {
        for peer in peers { peer.close() }
        bulky.close()
    }

    /// One hostile message, by kind.
    private static func message(_ random: inout SplitMix) -> [[UInt8]] {
        func bytes(_ limit: Int) -> [UInt8] { (0..<Int(random.next() % UInt64(limit))).map { _ in random.byte() } }
        func name() -> [UInt8] {
            let names = ["brokerage", "advocacy", "echo", "mmi.service", "x\ny", "", "review-reminders"]
            return random.next() % 3 == 0 ? bytes(40) : Array(names[Int(random.next() % UInt64(names.count))].utf8)
        }
        let version: MDP.Version = random.next() % 2 == 0 ? .v01 : .v02
        switch random.next() % 10 {
        case 0, 1, 2:  // random frames
            return (0..<(1 + random.next() % 8)).map { _ in bytes(64) }
        case 3:  // a worker header with any command and anything after it
            let start: [[UInt8]] = version == .v01 ? [[]] : []
            return start + [version.workerHeader, [random.byte() % 8]] + (0..<random.next() % 4).map { _ in bytes(16) }
        case 4, 5:  // a request for a service that may or may not exist
            return MDP.fromClient(version, service: String(decoding: name(), as: UTF8.self), body: [bytes(256)])
        case 6:  // a request that waits for a worker that never comes
            return MDP.fromClient(version, service: "advocacy", body: [bytes(1024)])
        case 7:  // MMI
            return MDP.fromClient(version, service: "mmi.service", body: [name()])
        case 8:  // READY, out of turn or for something not allowed
            return MDP.fromWorker(version, .ready, service: String(decoding: name(), as: UTF8.self))
        default:  // replies, heartbeats and disconnects from workers the broker does not know
            let command: MDP.WorkerCommand = [.final, .partial, .heartbeat, .disconnect][Int(random.next() % 4)]
            return command == .final || command == .partial
                ? MDP.fromWorker(version, command, client: [1] + bytes(8), body: [bytes(128)])
                : MDP.fromWorker(version, command)
        }
    }
}

/// A small, seeded random number generator (SplitMix64), so a failing run can be repeated.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
}
