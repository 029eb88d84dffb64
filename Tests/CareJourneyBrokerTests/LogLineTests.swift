import CareJourneyCore
import CareJourneyWire
import CareJourneyWorker
import Foundation
import Logging
import Synchronization
import Testing

@testable import CareJourneyBroker

/// A log handler whose lines are kept for the test to read.
struct CapturedLog: LogHandler {
    struct Line: Sendable {
        let message: String
        let metadata: [String: String]
    }

    final class Lines: Sendable {
        let all = Mutex<[Line]>([])
    }

    let lines = Lines()
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = metadata.merging(event.metadata ?? [:]) { $1 }.mapValues { "\($0)" }
        lines.all.withLock { $0.append(Line(message: "\(event.message)", metadata: fields)) }
    }
}

@Suite struct LogLineTests {
    @Test func aFailedTaskIsLoggedWithItsTaskAndCaseAndNoPersonalData() throws {
        let probe = RoutingProbe(policyQueues: ["advocacy"])
        let task = CareTask(
            id: TaskID(caseID: "C-7", number: 2), kind: .referAdvocacy, queue: "advocacy", createdAt: probe.now)
        let brief = TaskBrief(due: nil, fields: ["name": .string("Ada Lovelace")])
        probe.feed(.taskReady(QueuedTask(task: task, brief: brief, attempts: 0)))
        let worker: [UInt8] = [1]
        probe.send(MDP.fromWorker(.v02, .ready, service: "advocacy"), from: worker)
        let reply = TaskReply(task: "C-7#2", error: "no advocate is free", retry: false).encoded()
        probe.send(MDP.fromWorker(.v02, .final, client: Array("task:C-7#2".utf8), body: [reply]), from: worker)
        let lines = probe.log.lines.all.withLock { $0 }
        let failed = try #require(lines.first { $0.message.hasPrefix("task failed") })
        #expect(failed.metadata["task"] == "C-7#2")
        #expect(failed.metadata["case"] == "C-7")
        #expect(lines.allSatisfy { !"\($0)".contains("Ada") })
    }

    @Test func aWorkersOutcomeIsLoggedByItsFieldsNeverTheirValues() {
        let done = TaskOutcome.done(["advocate": .string("Ada Lovelace"), "stage": .string("assessment")])
        #expect("\(done)" == "done with advocate, stage")
        #expect("\(TaskOutcome.done([:], event: "reminder-sent"))" == "done as reminder-sent")
        #expect("\(TaskOutcome.failed("no provider", retry: true))" == "failed (to be retried): no provider")
    }
}

/// Text from the network never forges a log line.
@Suite struct ForgedLogLineTests {
    @Test func logTextEscapesLineBreaksControlsQuotesAndInvisibleCharacters() {
        #expect(LogText.quoted("brokerage") == "'brokerage'")
        #expect(LogText.quoted("x\nINFO forged\r\t") == #"'x\nINFO forged\r\t'"#)
        #expect(LogText.quoted("it's \\ \u{1b}[31m\u{2028}\u{202e}") == #"'it\'s \\ \u{1b}[31m\u{2028}\u{202e}'"#)
        #expect(LogText.quoted(String(repeating: "a", count: 100), limit: 4) == "'aaaa'… (100 characters)")
        #expect(LogText.bytes(Array("MDPX01".utf8)) == "'MDPX01'")
        #expect(LogText.bytes([0, 0x0a, 0xff]) == "0x000aff")
    }

    @Test func peerSuppliedTextReachesTheLogEscaped() {
        let forged = "brokerage\n2026-01-01T00:00:00Z critical carejourney.broker: all workers lost"
        let probe = RoutingProbe(policyQueues: ["brokerage"])
        probe.send(MDP.fromWorker(.v02, .ready, service: forged), from: [1])
        probe.send(MDP.fromWorker(.v02, .ready, service: "mmi.\n" + forged), from: [2])
        probe.send(MDP.fromClient(.v02, service: forged, body: [[1]]), from: [3])
        probe.send([Array("MDPW02\nforged".utf8)], from: Array("id\nforged".utf8))
        // A worker's error text, and the task id it names, come from the network too.
        let task = CareTask(
            id: TaskID(caseID: "C-7", number: 2), kind: .findProvider, queue: "brokerage", createdAt: probe.now)
        probe.feed(.taskReady(QueuedTask(task: task, brief: TaskBrief(due: nil, fields: [:]), attempts: 0)))
        let worker = Array("w\nforged".utf8)
        probe.send(MDP.fromWorker(.v02, .ready, service: "brokerage"), from: worker)
        let address = Array("task:C-7#2".utf8)
        let refusal = TaskReply(task: "C-7#2\nforged", error: "none free\nforged", retry: true)
        probe.send(MDP.fromWorker(.v02, .final, client: address, body: [refusal.encoded()]), from: worker)
        // Offered again to the same worker, which names an event that does not exist.
        let odd = TaskReply(task: "C-7#2", event: "x\nforged", data: [:])
        probe.send(MDP.fromWorker(.v02, .final, client: address, body: [odd.encoded()]), from: worker)
        probe.send(MDP.fromWorker(.v02, .ready, service: "brokerage"), from: Array("v\nforged".utf8))
        let lines = probe.log.lines.all.withLock { $0 }
        #expect(lines.count >= 7)
        for line in lines {
            let text = ([line.message] + line.metadata.values).joined(separator: " ")
            #expect(!text.contains("\n") && !text.contains("\r"), "\(text)")
        }
        #expect(lines.contains { $0.message.contains(#"all workers lost'"#) })
        #expect(lines.contains { $0.message.contains(#"none free\nforged"#) })
        #expect(lines.contains { $0.message.contains(#"not a valid 'x\nforged'"#) })
    }
}
