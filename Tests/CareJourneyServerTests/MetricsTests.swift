import CareJourneyClock
import CareJourneyCore
import CareJourneyStore
import Foundation
import Logging
import Synchronization
import Testing
import CareJourneyTestSupport

@testable import CareJourneyServer

@Suite struct MetricsTests {
    /// A number in a JSON object, by key.
    func number(_ json: JSONValue?, _ key: String) -> Double? {
        if case .number(let value) = json?[key] { value } else { nil }
    }

    @Test func caseTimerAndTaskCountsEqualTheStatsAfterCommands() async throws {
        try await LiveServer.with(sample: 30) { server in
            let opened = try await server.post(
                "/api/cases", ["data": ["name": "Ada", "clientType": "adult", "route": "gp"]])
            let id = try #require(opened["id"]?.string)
            #expect(try await server.post("/api/cases/\(id)/events", ["name": "start-assessment"]).status == 200)
            #expect(
                try await server.post("/api/cases/C-1/events", ["name": "close-case", "data": ["reason": "deceased"]])
                    .status == 200)
            let metrics = try await server.metrics { $0.value("carejourney_pending_timers") != nil }
            let stats = try await server.get("/api/stats").json
            for stage in Stage.allCases where stage.isOpen {
                #expect(
                    metrics.value("carejourney_open_cases", ["stage": stage.rawValue])
                        == number(stats["byStage"], stage.rawValue) ?? 0, "\(stage)")
            }
            #expect(metrics.all("carejourney_open_cases").map(\.value).reduce(0, +) == number(stats, "openCases"))
            #expect(metrics.value("carejourney_closed_cases") == number(stats["byStage"], "closed"))
            #expect(metrics.value("carejourney_overdue_reviews") == number(stats, "overdueReviews"))
            #expect(metrics.value("carejourney_pending_timers") == number(stats, "pendingTimers"))
            let open = metrics.all("carejourney_tasks").filter { $0.labels["status"] == "open" && $0.value > 0 }
            #expect(
                open.count
                    == (stats["openTasksByQueue"].flatMap { if case .object(let o) = $0 { o } else { nil } }?.count))
            for series in open {
                #expect(series.value == number(stats["openTasksByQueue"], series.labels["queue"] ?? ""))
            }
            // The sample is seeded before serving, by an engine of its own: this one has carried out the three
            // commands above (and any timer fired since).
            #expect(metrics.value("carejourney_engine_commands_total") ?? 0 >= 3)
            // Every family exported says what it is.
            for name in Set(metrics.samples.map { $0.name.replacing(/_(bucket|sum|count)$/, with: "") }) {
                #expect(metrics.help[name]?.isEmpty == false, "\(name) has no HELP")
            }
        }
    }

    /// A case damaged by hand, its timers deleted and its tasks closed, is counted by the gauge at its stage when the
    /// service starts, shown in red on the overview, and listed with its fix on /doctor.
    @Test func aCaseWithoutANextStepIsCountedShownAndListed() async throws {
        let store = try await TestStore.fresh()
        let id = try await LiveServer.with(store: store) { server in
            let metrics = try await server.metrics { $0.value("carejourney_pending_timers") != nil }
            for stage in Stage.allCases where stage.isOpen {
                #expect(metrics.value("carejourney_cases_without_next_step", ["stage": stage.rawValue]) == 0)
            }
            let clean = try await server.get("/").text
            #expect(!clean.contains("cases-without-next-step"))
            for name in ["Ada", "Bo"] {
                _ = try await server.post("/api/cases", ["data": ["name": .string(name), "clientType": "adult", "route": "gp"]])
            }
            return "C-1"
        }
        try await store.execute([
            "DELETE FROM timers WHERE case_id = '\(id)'",
            "UPDATE tasks SET status = 'withdrawn' WHERE case_id = '\(id)' AND status = 'open'",
        ])
        try await LiveServer.with(store: store) { server in
            let metrics = try await server.metrics { $0.value("carejourney_pending_timers") != nil }
            #expect(metrics.value("carejourney_cases_without_next_step", ["stage": "contact"]) == 1)
            #expect(metrics.all("carejourney_cases_without_next_step").map(\.value).reduce(0, +) == 1)
            let overview = try await server.get("/").text
            #expect(overview.contains(#"<div class="panel alarm"><span class="figure" data-figure="cases-without-next-step">1</span> <a href="/doctor">"#))
            #expect(try await server.get("/api/overview")["withoutNextStep"] == .number(1))
            let doctor = try await server.get("/doctor")
            #expect(doctor.status == 200)
            #expect(doctor.text.contains(#"<tr data-case="C-1" data-problem="no-next-step">"#))
            #expect(!doctor.text.contains(#"data-case="C-2""#))
            #expect(doctor.text.contains("carejourney store verify --case C-1 \(store.commandLine)"))
        }
    }

    @Test func aTimerThatFiresLateIsInTheLatenessHistogram() async throws {
        let start = Date(timeIntervalSince1970: 1_767_603_600)
        let clock = ManualClock(start)
        try await LiveServer.with(clock: clock) { server in
            let opened = try await server.post(
                "/api/cases", ["data": ["name": "Ada", "clientType": "adult", "route": "gp"]])
            let id = try #require(opened["id"]?.string)
            for step in EventCatalog.pathToDelivery {
                let reply = try await server.post(
                    "/api/cases/\(id)/events", ["name": .string(step.name.rawValue), "data": step.data])
                #expect(reply.status == 200, "\(step.name)")
            }
            let before = try await server.metrics()
            #expect(before.value("carejourney_timer_lateness_seconds_count") == 0)
            // The 72-hour informal review fires three hours late.
            clock.advance(by: 75 * 3600)
            let after = try await server.metrics { $0.value("carejourney_timer_lateness_seconds_count") == 1 }
            #expect(after.value("carejourney_timer_lateness_seconds_count") == 1)
            #expect(after.value("carejourney_timer_lateness_seconds_sum") == 10_800)
            let buckets = after.all("carejourney_timer_lateness_seconds_bucket")
            #expect(
                buckets.filter { Double($0.labels["le"] ?? "") ?? .infinity < 3 * 3600 }.allSatisfy { $0.value == 0 })
            #expect(
                buckets.filter { Double($0.labels["le"] ?? "") ?? .infinity >= 3 * 3600 }.allSatisfy { $0.value == 1 })
        }
    }

    @Test func requestsAreTimedByMethodRoutePatternAndStatus() async throws {
        try await LiveServer.with { server in
            _ = try await server.post("/api/cases", ["data": ["name": "Ada", "clientType": "adult", "route": "gp"]])
            _ = try await server.get("/api/cases/C-1")
            _ = try await server.get("/api/cases/C-1")
            _ = try await server.get("/api/cases/C-404")
            _ = try await server.get("/no/such/page")
            _ = try await server.send("PROPFIND", "/api/stats")
            let metrics = try await server.metrics()
            let name = "carejourney_http_request_duration_seconds_count"
            #expect(metrics.value(name, ["method": "GET", "route": "/api/cases/{id}", "status": "200"]) == 2)
            #expect(metrics.value(name, ["method": "GET", "route": "/api/cases/{id}", "status": "404"]) == 1)
            #expect(metrics.value(name, ["method": "POST", "route": "/api/cases", "status": "201"]) == 1)
            #expect(metrics.value(name, ["method": "GET", "route": "NotFound", "status": "404"]) == 1)
            #expect(metrics.all(name).contains { $0.labels["method"] == "other" })
            #expect(!metrics.all(name).contains { $0.labels["method"] == "PROPFIND" })
            #expect(metrics.all(name).allSatisfy { $0.labels["route"]?.contains("C-") == false })
            let sum = metrics.value(
                "carejourney_http_request_duration_seconds_sum",
                ["method": "GET", "route": "/api/cases/{id}", "status": "200"])
            #expect(sum.map { $0 > 0 && $0 < 5 } == true)
        }
    }

    @Test func taskLatencyRunsFromATasksCommitToItsCompletions() async throws {
        let policy = try shippedPolicy("derbyshire")
        let origin = ContinuousClock.now
        let now = Mutex(origin)
        let metrics = try await TestStore.fresh().withStore { store in
            try await withEngine(store, policy: policy) { engine in
                let metrics = ServiceMetrics(
                    engine: engine, workers: nil, logger: Logger(label: "test"), now: { now.withLock { $0 } })
                // Observers run in turn after each commit: this one, after the metrics', says the commit was recorded.
                let (recorded, sink) = AsyncStream<Void>.makeStream()
                engine.observe { _ in sink.yield() }
                var commits = recorded.makeAsyncIterator()
                let at = Date(timeIntervalSince1970: 1_767_603_600)
                func send(_ id: CaseID?, _ name: String, _ data: JSONValue = [:], after seconds: Double) async throws {
                    now.withLock { $0 = origin + .milliseconds(Int(seconds * 1000)) }
                    if try await engine.send(id, name, data, at: at) != nil { await commits.next() }
                }
                // The contact opens a screening task; starting the assessment completes it 2.5 s later and opens the
                // assessment's; closing the case withdraws that one, which is no completion.
                try await send(nil, "contact", ["name": "Ada", "clientType": "adult", "route": "gp"], after: 0)
                try await send("C-1", "start-assessment", after: 2.5)
                try await send("C-1", "close-case", ["reason": "deceased"], after: 40)
                return metrics
            }
        }
        let text = MetricsText(String(decoding: metrics.exposition(), as: UTF8.self))
        let practice = ["queue": "practice"]
        #expect(text.value("carejourney_task_latency_seconds_count", practice) == 1)
        #expect(text.value("carejourney_task_latency_seconds_sum", practice) == 2.5)
        #expect(text.value("carejourney_task_latency_seconds_bucket", practice.merging(["le": "0.5"]) { $1 }) == 0)
        #expect(text.value("carejourney_task_latency_seconds_bucket", practice.merging(["le": "2.5"]) { $1 }) == 1)
        #expect(text.all("carejourney_task_latency_seconds_count").count == 1)
    }

    @Test func docsDescribeEveryMetric() throws {
        let docs = try String(contentsOf: Repository.root.appendingPathComponent("docs/operations.md"), encoding: .utf8)
        let after = try #require(docs.components(separatedBy: "\n## Metrics\n").dropFirst().first)
        let section = after.components(separatedBy: "\n## ").first ?? after
        for family in MetricFamily.all {
            #expect(section.contains("`\(family.name)`"), "docs/operations.md does not describe \(family.name)")
        }
    }
}
