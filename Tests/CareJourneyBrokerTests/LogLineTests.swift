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
        let log = CapturedLog()
        let logger = Logger(label: "test") { _ in log }
        let routing = BrokerRouting(
            options: BrokerOptions(), admission: BrokerAdmission(policyQueues: ["advocacy"], curve: nil),
            logger: logger, now: Date())
        let task = CareTask(
            id: TaskID(caseID: "C-7", number: 2), kind: .referAdvocacy, queue: "advocacy", createdAt: Date())
        let brief = TaskBrief(due: nil, fields: ["name": .string("Ada Lovelace")])
        routing.taskReady(QueuedTask(task: task, brief: brief, attempts: 0), now: Date())
        let worker: [UInt8] = [1]
        routing.received(
            from: worker, frames: MDP.fromWorker(.v02, .ready, service: "advocacy"), user: nil, now: Date())
        let reply = TaskReply(task: "C-7#2", error: "no advocate is free", retry: false).encoded()
        routing.received(
            from: worker, frames: MDP.fromWorker(.v02, .final, client: Array("task:C-7#2".utf8), body: [reply]),
            user: nil, now: Date())
        let lines = log.lines.all.withLock { $0 }
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
