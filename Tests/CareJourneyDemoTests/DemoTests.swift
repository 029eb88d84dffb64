import CareJourneyExampleWorkers
import CareJourneyKit
import CareJourneyStore
import CareJourneyWire
import CareJourneyWorker
import Foundation
import Logging
import Testing
import CareJourneyTestSupport

@testable import CareJourneyDemo
@testable import CareJourneySamples

@Suite(.serialized) struct DemoTests {
    @Test func theDemoSeedsItsCaseloadItsWorkersCompleteTasksAndItStopsCleanly() async throws {
        let directory = temporaryPath("demo")
        var options = CareJourneyDemo.Options(policy: try shippedPolicy("derbyshire"))
        options.dataDirectory = directory
        options.cases = 40
        options.port = 0
        options.mdp = "tcp://127.0.0.1:*"
        options.events = nil
        options.workerPace = 0...0
        options.failureRate = 0
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let demo = CareJourneyDemo(options: options, logger: logger)
        let (runs, running) = AsyncStream<CareJourneyDemo.Running>.makeStream()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await demo.run(onRunning: { running.yield($0) }) }
            var iterator = runs.makeAsyncIterator()
            let run = try #require(await iterator.next())
            #expect(run.folder.contents == .fresh)
            #expect(run.listening.seeded?.cases == 40)
            #expect(run.listening.seeded?.refusals.isEmpty == true)
            // Sign-in is needed, with the tokens the demo printed: a manager's opens the dashboard, with actions.
            let people = run.folder.access.people
            #expect(people.map(\.name) == ["demo.manager", "demo.viewer"])
            let server = LiveServer(base: URL(string: "http://127.0.0.1:\(run.listening.httpPort)")!)
            #expect(try await server.get("/api/me").status == 401)
            let manager = try #require(people.first { $0.role == .manager })
            let signedIn = server.signedIn(as: manager.token)
            #expect(try await signedIn.get("/").status == 200)
            #expect(try await signedIn.get("/api/me")["role"]?.string == "manager")
            // "My work" opens with people's tasks waiting for the manager, each taken by an audited event.
            let work = try await signedIn.get("/work").text
            let held = work.components(separatedBy: "<tr data-task=\"").count - 1
            #expect(held > 0 && held <= DemoWork.held, "the manager holds \(held) tasks")
            #expect(work.contains("<strong>you</strong> (demo.manager)"))
            let first = try #require(
                work.components(separatedBy: "<tr data-task=\"").dropFirst().first?.prefix { $0 != "\"" })
            let caseID = try #require(first.split(separator: "#").first)
            let history = try #require(
                try await signedIn.get("/api/cases/\(caseID)?reason=checking%20the%20demo")["history"]?.array)
            #expect(history.contains { $0["name"]?.string == "take-task" && $0["actor"]?.string == manager.name })
            let tokenFile = try String(contentsOfFile: directory + "/tokens.yaml", encoding: .utf8)
            #expect(!tokenFile.contains(manager.token), "only the token's hash is kept")

            // The in-process workers take the seeded backlog: replies from them become events on the cases (they
            // may have answered before this looks, so it looks for their events, not for a count going up).
            @Sendable func answeredByWorkers() async throws -> Int {
                var answered = 0
                for summary in try await signedIn.get("/api/cases?limit=500").cases {
                    guard let id = summary["id"]?.string else { continue }
                    let history = try await signedIn.get("/api/cases/\(id)")["history"]?.array ?? []
                    answered += history.filter { $0["actor"]?.string?.hasPrefix("worker ") == true }.count
                }
                return answered
            }
            let deadline = ContinuousClock.now + .seconds(60)
            var answered = try await answeredByWorkers()
            while answered == 0 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
                answered = try await answeredByWorkers()
            }
            #expect(answered > 0)
            let store = try CaseStore(directory: directory)
            #expect(try await store.tasks(on: "brokerage", status: "completed", limit: 10_000).count > 0)

            await run.listening.stop()
            try await group.waitForAll()
            let report = try store.verify()
            #expect(report.isClean, "\(report.differences)")
        }
    }

    @Test func seedOnlySeedsTheFolderAndReturnsWithoutServing() async throws {
        let directory = temporaryPath("demo")
        var options = CareJourneyDemo.Options(policy: try shippedPolicy("derbyshire"))
        options.dataDirectory = directory
        options.cases = 30
        options.seedOnly = true
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        // Not serving: onRunning is never called, and run returns once the caseload is seeded.
        try await CareJourneyDemo(options: options, logger: logger).run(onRunning: { _ in Issue.record("served") })
        let store = try CaseStore(directory: directory)
        #expect(try store.meta(SamplePopulation.metaKey)?.hasPrefix("30 cases") == true)
        #expect(try store.verify().isClean)
    }

    @Test func theDemoKeepsToItsOwnFolder() throws {
        func folder() -> String {
            temporaryPath("demo")
        }
        let population = SamplePopulation(count: 5)
        // Another store is refused, even when asked to start over.
        let other = folder()
        try CaseStore(directory: other).setMeta("note", "a council's own store")
        for fresh in [false, true] {
            let error = #expect(throws: StoreError.self) {
                try DemoDataDirectory(path: other).prepare(for: population, fresh: fresh)
            }
            #expect(error?.code == .notADemoStore)
        }
        #expect(try CaseStore(directory: other).meta("note") == "a council's own store")

        // A new folder is seeded, and so is one whose seeding never finished; a seeded demo is carried on, and
        // started over when asked.
        let demo = DemoDataDirectory(path: folder())
        #expect(try demo.prepare(for: population, fresh: false).contents == .fresh)
        #expect(try demo.prepare(for: population, fresh: false).contents == .fresh)
        try CaseStore(directory: demo.path).setMeta(SamplePopulation.metaKey, "5 cases, seed 2026")
        #expect(try demo.prepare(for: population, fresh: false).contents == .earlierDemo("5 cases, seed 2026"))
        #expect(try demo.prepare(for: population, fresh: true).contents == .fresh)
        #expect(try CaseStore(directory: demo.path).meta(SamplePopulation.metaKey) == nil)
    }

    @Test func theDemoWorkersAnswerAsTheExamplesDoAndFailNowAndThenAsSeeded() async throws {
        let request = TaskRequest(
            task: "C-1#2", caseID: "C-1", queue: "brokerage", kind: "find-provider", attempt: 1, createdAt: Date(),
            due: nil, detail: nil, brief: ["services": ["home care"], "weeklyBudget": 300])
        func brokerage(failing rate: Double, seed: UInt64 = 1) throws -> InProcessWorker {
            try #require(
                DemoWorkers(seed: seed, pace: 0...0, failureRate: rate, reminderOutbox: "/dev/null").workers.first {
                    $0.service == "brokerage"
                })
        }
        let working = try brokerage(failing: 0)
        #expect(await working.answer(request) { _ in } == BrokerageDesk().answer(request) { _ in })
        let failing = try brokerage(failing: 1)
        guard case .failed(_, let retry) = await failing.answer(request, { _ in }) else {
            Issue.record("a reply that always fails did not")
            return
        }
        #expect(!retry)
        func outcomes(seed: UInt64) async throws -> [Bool] {
            let worker = try brokerage(failing: 0.3, seed: seed)
            var failed: [Bool] = []
            for _ in 0..<40 {
                if case .failed = await worker.answer(request, { _ in }) {
                    failed.append(true)
                } else {
                    failed.append(false)
                }
            }
            return failed
        }
        let first = try await outcomes(seed: 5)
        #expect(try await outcomes(seed: 5) == first)
        #expect(first.contains(true) && first.contains(false))
    }
}
