import Foundation
import Testing
import Yams
import CareJourneyTestSupport

/// ops/prometheus/alerts.yml cannot drift from what the service exports, nor from the runbook.
@Suite struct AlertRulesTests {
    /// Every rule in the file: its alert name, expression and runbook link.
    func rules() throws -> [(alert: String, expr: String, runbook: String?)] {
        let url = Repository.root.appendingPathComponent("ops/prometheus/alerts.yml")
        let file = try #require(try Yams.load(yaml: String(contentsOf: url, encoding: .utf8)) as? [String: Any])
        let groups = try #require(file["groups"] as? [[String: Any]])
        return try groups.flatMap { group in
            try #require(group["rules"] as? [[String: Any]]).map { rule in
                (
                    try #require(rule["alert"] as? String), try #require(rule["expr"] as? String),
                    (rule["annotations"] as? [String: Any])?["runbook"] as? String
                )
            }
        }
    }

    @Test func everyMetricTheRulesUseIsOneALiveServerExports() async throws {
        let used = Set(try rules().flatMap { $0.expr.matches(of: /carejourney_[a-z0-9_]+/).map { String($0.output) } })
        #expect(used.count >= 5)
        try await LiveServer.with(broker: true) { server in
            // A task committed and completed, so that every family has series.
            _ = try await server.post("/api/cases", ["data": ["name": "Ada", "clientType": "adult", "route": "gp"]])
            _ = try await server.post("/api/cases/C-1/events", ["name": "start-assessment"])
            let metrics = try await server.metrics { metrics in
                ["carejourney_open_cases", "carejourney_workers", "carejourney_task_latency_seconds_count"].allSatisfy {
                    metrics.names.contains($0)
                }
            }
            for name in used.sorted() {
                #expect(metrics.names.contains(name), "alerts.yml uses \(name), which /metrics does not export")
            }
        }
    }

    @Test func theRunbookSaysWhatToDoForEveryAlert() throws {
        let runbook = try String(
            contentsOf: Repository.root.appendingPathComponent("ops/runbook.md"), encoding: .utf8)
        let rules = try rules()
        #expect(rules.count >= 5)
        for rule in rules {
            #expect(runbook.contains("\n### \(rule.alert)\n"), "ops/runbook.md has no section for \(rule.alert)")
            #expect(rule.runbook == "ops/runbook.md#\(rule.alert.lowercased())")
        }
    }
}
