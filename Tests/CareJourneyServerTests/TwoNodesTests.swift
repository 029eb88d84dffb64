import CareJourneyCore
import Foundation
import Testing
import CareJourneyTestSupport

/// Two `serve` nodes of one PostgreSQL store (issue #19): what is done on one shows on the other's dashboard, its
/// `/metrics` and its live pages, which follow the other nodes' feeds (`ClusterNode`).
@Suite(.postgresOnly("only a PostgreSQL store is served by several nodes at once"))
struct TwoNodesTests {
    /// The figures a node's dashboard shows from its counts (`/api/stats`, and the overview's cases by stage, closed,
    /// overdue, without a next step and tasks by queue), without the times they were read at.
    static func figures(of node: LiveServer) async throws -> JSONValue {
        let overview = try await node.get("/api/overview")
        func only(_ keys: [String], of items: [JSONValue]?) -> JSONValue {
            .array(
                (items ?? []).map { item in
                    .object(Dictionary(uniqueKeysWithValues: keys.map { ($0, item[$0] ?? .null) }))
                })
        }
        return [
            "stats": try await node.get("/api/stats").json,
            "stages": only(["stage", "cases"], of: overview["stages"]?.array),
            "queues": only(["queue", "open", "failed"], of: overview["queues"]?.array),
            "closed": overview["closed"] ?? .null, "overdue": overview["overdue"] ?? .null,
            "withoutNextStep": overview["withoutNextStep"] ?? .null,
        ]
    }

    /// The case counts of a node's `/metrics`: open cases by stage, and closed.
    static func caseCounts(of node: LiveServer) async throws -> [String: Double] {
        let metrics = try await node.metrics()
        var counts = ["closed": metrics.value("carejourney_closed_cases") ?? -1]
        for sample in metrics.all("carejourney_open_cases") { counts[sample.labels["stage"] ?? ""] = sample.value }
        return counts
    }

    @Test func aNodeShowsTheFiguresAndLiveUpdatesOfCommandsSentToTheOther() async throws {
        let store = try await TestStore.fresh()
        try await LiveServer.with(sample: 12, store: store, node: "a") { a in
            try await LiveServer.with(store: store, node: "b") { b in
                let live = try await b.openLive()
                #expect(try await eventually { try await Self.figures(of: b) == Self.figures(of: a) })
                let before = try await Self.figures(of: b)

                // A new case, taken to delivery and closed, and a command on a seeded case: all on node a.
                let opened = try await a.post(
                    "/api/cases", ["data": ["name": "Ada", "clientType": "adult", "route": "gp"]])
                #expect(opened.status == 201)
                let id = try #require(opened["id"]?.string)
                for step in EventCatalog.pathToDelivery {
                    let done = try await a.post(
                        "/api/cases/\(id)/events", ["name": .string(step.name.rawValue), "data": step.data])
                    #expect(done.status == 200, "\(step.name): \(done.text)")
                }
                let reassigned = try await a.post("/api/cases/C-2/events", ["name": "reassign", "data": ["team": "north"]])
                #expect(reassigned.status == 200, "\(reassigned.text)")
                let closed = try await a.post(
                    "/api/cases/\(id)/events", ["name": "close-case", "data": ["reason": "deceased"]])
                #expect(closed.status == 200, "\(closed.text)")

                // Node b's dashboard and metrics show them, within seconds.
                #expect(try await eventually { try await Self.figures(of: b) == Self.figures(of: a) })
                let after = try await Self.figures(of: b)
                #expect(after != before, "node b's figures moved with node a's commands")
                #expect(after["closed"]?.number == (before["closed"]?.number ?? -1) + 1)
                #expect(try await eventually { try await Self.caseCounts(of: b) == Self.caseCounts(of: a) })
                #expect(try await Self.caseCounts(of: b)["closed"] == after["closed"]?.number)

                // Node b's live pages were told of each of node a's events, the last one included.
                let told = await live.read(until: #""case":"\#(id)","event":"close-case""#, upTo: .seconds(10))
                let messages: [JSONValue] = told.split(separator: "\n").compactMap { line in
                    guard line.hasPrefix("data: ") else { return nil }
                    return try? JSONDecoder().decode(JSONValue.self, from: Data(line.dropFirst(6).utf8))
                }
                let events = messages.filter { $0["case"]?.string == id }.compactMap { $0["event"]?.string }
                #expect(events == ["contact"] + EventCatalog.pathToDelivery.map(\.name.rawValue) + ["close-case"])
                #expect(messages.contains { $0["case"]?.string == "C-2" && $0["event"]?.string == "reassign" })
            }
        }
    }
}
