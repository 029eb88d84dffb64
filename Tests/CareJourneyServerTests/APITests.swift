import CareJourneyCore
import CareJourneyKit
import CareJourneyRuntime
import CareJourneyStore
import Foundation
import Testing
import Yams
import CareJourneyTestSupport

@testable import CareJourneyServer

@Suite struct APITests {
    @Test func everyPostExampleInTheOpenAPIFileWorks() async throws {
        let people = try People([("sw.jones", .practitioner), ("tm.ali", .manager)])
        try await LiveServer.with(tokens: people.file) { unsigned in
            let server = unsigned.signedIn(as: people["sw.jones"])
            let served = try await server.get("/openapi.yaml")
            #expect(served.status == 200)
            let document = try #require(
                try Yams.load(yaml: String(decoding: served.body, as: UTF8.self)) as? [String: Any])
            let paths = try #require(document["paths"] as? [String: Any])
            // Every route the server has is described.
            #expect(
                Set(paths.keys) == [
                    "/healthz", "/openapi.yaml", "/sign-in", "/sign-out", "/api/me", "/api/cases", "/api/cases/{id}",
                    "/api/cases/{id}/events", "/api/cases/{id}/access", "/api/stats", "/api/overview",
                    "/api/reports/reviews", "/api/reports/ascof", "/api/bulk/tasks", "/metrics",
                ])
            // Every GET without parameters answers 200 in the content type described.
            for (path, item) in paths where !path.contains("{") {
                guard let get = (item as? [String: Any])?["get"] as? [String: Any] else { continue }
                let ok = try #require((get["responses"] as? [String: Any])?["200"] as? [String: Any])
                let described = try #require((ok["content"] as? [String: Any])?.keys.first)
                let reply = try await server.get(path)
                #expect(reply.status == 200, "\(path)")
                #expect(reply.headers["content-type"]?.hasPrefix(described) == true, "\(path)")
            }
            func examples(_ path: String) throws -> [(String, JSONValue)] {
                let post = try #require((paths[path] as? [String: Any])?["post"] as? [String: Any])
                let content = try #require(
                    ((post["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["application/json"]
                        as? [String: Any])
                let named = try #require(content["examples"] as? [String: Any])
                return try named.keys.sorted().map { name in
                    let value = try #require((named[name] as? [String: Any])?["value"])
                    let json = try JSONSerialization.data(withJSONObject: value)
                    return (name, try JSONDecoder().decode(JSONValue.self, from: json))
                }
            }
            var caseID = ""
            for (name, body) in try examples("/api/cases").sorted(by: { $0.0 < $1.0 }) {
                let reply = try await server.post("/api/cases", body)
                #expect(reply.status == 201, "example \(name): \(String(decoding: reply.body, as: UTF8.self))")
                if name == "adult" { caseID = reply["id"]?.string ?? "" }
            }
            #expect(!caseID.isEmpty)
            // Run in the order the description gives: start, complaint, then completion.
            let order = ["startAssessment", "complaint", "assessmentCompleted"]
            let events = try examples("/api/cases/{id}/events")
            #expect(Set(events.map(\.0)) == Set(order))
            for name in order {
                let body = try #require(events.first { $0.0 == name }?.1)
                let reply = try await server.post("/api/cases/\(caseID)/events", body)
                #expect(reply.status == 200, "example \(name): \(String(decoding: reply.body, as: UTF8.self))")
            }
            // The bulk example, as a manager: no failed tasks, so nothing to do, and said so.
            let manager = unsigned.signedIn(as: people["tm.ali"])
            for (name, body) in try examples("/api/bulk/tasks") {
                let reply = try await manager.post("/api/bulk/tasks", body)
                #expect(reply.status == 200, "example \(name): \(String(decoding: reply.body, as: UTF8.self))")
                #expect(reply["applied"] == 0)
            }
            let unconfirmed = try await manager.post(
                "/api/bulk/tasks", ["queue": "brokerage", "action": "cancel", "reason": "test"])
            #expect(unconfirmed.status == 409)
            #expect(unconfirmed["count"] == 0)
            let view = try await server.get("/api/cases/\(caseID)")
            #expect(view["stage"]?.string == "eligibility")
            #expect(view["history"]?.array?.count == 4)
            #expect(view["history"]?.array?.last?["reason"]?.string == "assessment visit on Tuesday")
            // With a token file, every event is recorded as the signed-in person.
            #expect(view["history"]?.array?.allSatisfy { $0["actor"]?.string == "sw.jones" } == true)
        }
    }

    @Test func theOpenAPIFileListsEachEventsMinimumRoleAsTheCodeDoes() throws {
        let document = try #require(
            try Yams.load(yaml: String(decoding: OpenAPIDocument.bytes, as: UTF8.self)) as? [String: Any])
        let events = try #require(
            ((document["paths"] as? [String: Any])?["/api/cases/{id}/events"] as? [String: Any])?["post"]
                as? [String: Any])
        let roles = try #require(events["x-event-roles"] as? [String: String])
        #expect(Set(roles.keys) == Set(EventName.allCases.map(\.rawValue)))
        for name in EventName.allCases {
            #expect(roles[name.rawValue] == EventCatalog.roleSummary(of: name), "\(name.rawValue)")
        }
    }

    @Test func eachOperationNeedsTheRoleTheOpenAPIFileNames() async throws {
        let people = try People()
        let names: [Role: String] = [
            .metrics: "m.etrics", .viewer: "v.iewer", .practitioner: "sw.jones", .manager: "m.patel", .admin: "a.dmin",
        ]
        try await LiveServer.with(tokens: people.file) { server in
            let admin = server.signedIn(as: people["a.dmin"])
            _ = try await admin.post("/api/cases", ["data": ["name": "Ada", "clientType": "adult", "route": "gp"]])
            let document = try #require(
                try Yams.load(yaml: String(decoding: try await admin.get("/openapi.yaml").body, as: UTF8.self))
                    as? [String: Any])
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var checked = 0
            for (path, operations) in paths {
                let concrete = path.replacingOccurrences(of: "{id}", with: "C-1")
                for (method, operation) in operations {
                    let operation = try #require(operation as? [String: Any])
                    let method = method.uppercased()
                    let body = method == "GET" ? nil : Data("{}".utf8)
                    let anonymous = try await server.send(method, concrete, body: body)
                    guard let word = operation["x-required-role"] as? String else {
                        #expect((operation["security"] as? [Any])?.isEmpty == true, "\(method) \(path) names no role")
                        #expect(anonymous["type"]?.string != "/problems/unauthenticated", "\(method) \(path)")
                        continue
                    }
                    let role = try #require(Role(rawValue: word))
                    #expect(anonymous.status == 401, "\(method) \(path) without a token")
                    let allowed = try await server.signedIn(as: people[names[role]!]).send(method, concrete, body: body)
                    #expect(![401, 403].contains(allowed.status), "\(method) \(path) as \(word)")
                    if let below = Role.allCases.last(where: { $0 < role }) {
                        let refused = try await server.signedIn(as: people[names[below]!]).send(
                            method, concrete, body: body)
                        #expect(refused.status == 403, "\(method) \(path) as \(below)")
                    }
                    checked += 1
                }
            }
            #expect(checked >= 8)
        }
    }

    @Test func withoutATokenFileEveryoneIsTheLocalAdminAndNoOneElse() async throws {
        try await LiveServer.with { server in
            let me = try await server.get("/api/me")
            #expect(me.json == ["name": "local", "role": "admin", "isLocal": true])
            let contact: JSONValue = ["data": ["name": "Ada", "clientType": "adult", "route": "gp"]]
            #expect(try await server.post("/api/cases", contact).status == 201)
            // A body cannot make the audit trail name someone who did not act.
            let named = try await server.post(
                "/api/cases/C-1/events", ["name": "start-assessment", "actor": "sw.jones"])
            #expect(named.status == 403)
            #expect(named["type"]?.string == "/problems/actor-mismatch")
            let same = try await server.post("/api/cases/C-1/events", ["name": "start-assessment", "actor": "local"])
            #expect(same.status == 200)
            let history = try await server.get("/api/cases/C-1")["history"]?.array
            #expect(history?.map { $0["actor"]?.string } == ["local", "local"])
            #expect(try await server.get("/api/cases/C-1/access").status == 200)
            let signIn = try await server.get("/sign-in?next=/cases")
            #expect(String(decoding: signIn.body, as: UTF8.self).contains("No sign-in needed"))
            let posted = try await server.send(
                "POST", "/sign-in", body: Data("token=x&next=%2Fcases".utf8),
                headers: ["Content-Type": "application/x-www-form-urlencoded"])
            #expect(posted.status == 303)
            #expect(posted.headers["location"] == "/cases")
            #expect(posted.headers["set-cookie"] == nil)
        }
    }

    @Test func aRetryWithTheSameKeyGetsTheFirstAnswerAndChangesNothing() async throws {
        try await LiveServer.with { server in
            let contact: JSONValue = ["data": ["name": "Ada", "clientType": "adult", "route": "gp"]]
            let first = try await server.post("/api/cases", contact, key: "open-ada")
            let retry = try await server.post("/api/cases", contact, key: "open-ada")
            #expect(first.status == 201)
            #expect(retry.status == 201)
            #expect(retry.body == first.body)
            #expect(retry.headers["idempotent-replayed"] == "true")
            let reused = try await server.post(
                "/api/cases", ["data": ["name": "Bob", "clientType": "adult", "route": "gp"]], key: "open-ada")
            #expect(reused.status == 422)
            #expect(reused["field"]?.string == "Idempotency-Key")
            let stats = try await server.get("/api/stats")
            #expect(stats["cases"] == .number(1))
            // A refusal is remembered under its key too.
            let refused = try await server.post("/api/cases/C-1/events", ["name": "sign-off"], key: "k2")
            let again = try await server.post("/api/cases/C-1/events", ["name": "sign-off"], key: "k2")
            #expect(refused.status == 409)
            #expect(again.body == refused.body)
            #expect(refused.headers["idempotent-replayed"] == nil)
            #expect(again.headers["idempotent-replayed"] == "true", "a replayed refusal says so, as a replayed success")
            #expect(again.headers["content-type"] == "application/problem+json")
        }
    }

    @Test func badInputIsAProblemNamingTheFieldAndReachesNothing() async throws {
        try await LiveServer.with { server in
            _ = try await server.post("/api/cases", ["data": ["name": "Ada", "clientType": "adult", "route": "gp"]])
            let cases: [(String, JSONValue?, Data?, Int, String?)] = [
                ("/api/cases", nil, Data("{not json".utf8), 400, nil),
                ("/api/cases", ["data": ["name": "Ada"], "colour": "red"], nil, 400, "colour"),
                ("/api/cases", ["data": ["name": "Ada", "clientType": "adult"]], nil, 422, "data.route"),
                ("/api/cases", ["name": "sign-off"], nil, 400, "name"),
                ("/api/cases/C-1/events", ["name": "sign-of"], nil, 422, "name"),
                (
                    "/api/cases/C-1/events", ["name": "start-assessment", "data": ["substantialDifficulty": "yes"]],
                    nil, 422, "data.substantialDifficulty"
                ),
                (
                    "/api/cases/C-1/events",
                    ["name": "timer-fired", "data": ["timer": "dp.audit", "due": "2026-01-01T00:00:00Z"]], nil, 422,
                    "name"
                ),
                ("/api/cases/C-1/events", ["name": "sign-off"], nil, 409, "name"),
                ("/api/cases/C-9/events", ["name": "sign-off"], nil, 404, "id"),
            ]
            for (path, json, raw, status, field) in cases {
                let body = try raw ?? JSONEncoder().encode(json!)
                let reply = try await server.send("POST", path, body: body)
                #expect(reply.status == status, "\(path) \(String(decoding: body, as: UTF8.self))")
                #expect(reply.headers["content-type"] == "application/problem+json")
                #expect(reply["field"]?.string == field, "\(String(decoding: reply.body, as: UTF8.self))")
                #expect(reply["detail"]?.string?.isEmpty == false)
            }
            let conflict = try await server.post("/api/cases/C-1/events", ["name": "sign-off"])
            #expect(conflict["accepted"]?.array?.first?.string == "give-information-and-advice")
            let record = try await server.get("/api/cases/C-1")
            #expect(record["version"] == .number(1))
        }
    }

    @Test func casesAreListedFilteredAndPaged() async throws {
        try await LiveServer.with(sample: 30) { server in
            let all = try await server.get("/api/cases?limit=500")
            #expect(all["cases"]?.array?.count == 30)
            let page1 = try await server.get("/api/cases?limit=10")
            let cursor = try #require(page1["nextCursor"]?.string)
            let page2 = try await server.get("/api/cases?limit=10&cursor=\(cursor)")
            #expect(page2["cases"]?.array?.first?["id"]?.string == "C-11")
            let delivery = try await server.get("/api/cases?state=delivery&limit=500")
            let stats = try await server.get("/api/stats")
            let inDelivery: Double? = stats["byStage"]?["delivery"].flatMap {
                if case .number(let n) = $0 { n } else { nil }
            }
            #expect(delivery["cases"]?.array?.count == inDelivery.map { Int($0) })
            #expect(delivery["cases"]?.array?.allSatisfy { $0["stage"]?.string == "delivery" } == true)
            let brokerage = try await server.get("/api/cases?queue=brokerage&limit=500")
            let openOnBrokerage: Double? = stats["openTasksByQueue"]?["brokerage"].flatMap {
                if case .number(let n) = $0 { n } else { nil }
            }
            #expect((brokerage["cases"]?.array?.count ?? 0) <= Int(openOnBrokerage ?? 0))
            #expect((brokerage["cases"]?.array?.count ?? 0) > 0)
            let named = try await server.get("/api/cases?q=C-3")
            #expect(named["cases"]?.array?.map { $0["id"]?.string } == ["C-3"])
            for (query, field) in [
                ("state=asleep", "state"), ("limit=0", "limit"), ("overdue=maybe", "overdue"), ("colour=red", "colour"),
            ] {
                let bad = try await server.get("/api/cases?\(query)")
                #expect(bad.status == 400)
                #expect(bad["field"]?.string == field)
            }
            #expect(try await server.get("/api/cases/C-404").status == 404)
            #expect(try await server.get("/healthz")["status"]?.string == "ok")
        }
    }

    @Test func casesAreFilteredByTeamAndAllocatedPractitioner() async throws {
        try await LiveServer.with(sample: 8) { server in
            let open = try await server.get("/api/cases").cases.filter { $0["stage"]?.string != "closed" }
            let ids = open.compactMap { $0["id"]?.string }.prefix(2)
            try #require(ids.count == 2)
            for (id, worker) in zip(ids, ["sw.jones", "sw.patel"]) {
                let reassigned = try await server.post(
                    "/api/cases/\(id)/events",
                    [
                        "name": "reassign", "data": ["team": "rapid-response", "worker": .string(worker)],
                    ])
                #expect(reassigned.status == 200, "\(reassigned)")
            }
            // The sample's own teams are other names: only the two cases moved are in this one.
            let team = try await server.get("/api/cases?team=rapid-response")
            #expect(team.cases.map { $0["id"]?.string } == ids.map { $0 })
            #expect(team["cases"]?.array?.first?["worker"]?.string == "sw.jones")
            let mine = try await server.get("/api/cases?worker=sw.patel&team=rapid-response")
            #expect(mine.cases.map { $0["id"]?.string } == [ids.last])
            #expect(try await server.get("/api/cases?team=south")["cases"]?.array?.isEmpty == true)
        }
    }

    @Test func aStoreKeepsItsPolicyUnlessPolicyApplyChangesIt() throws {
        let derbyshire = try shippedPolicy("derbyshire")
        let wiltshire = try shippedPolicy("wiltshire")
        #expect(
            try CareJourneyService.choosePolicy(named: nil, stored: nil, fallback: derbyshire, store: "--data-dir d")
                == derbyshire)
        #expect(
            try CareJourneyService.choosePolicy(named: nil, stored: wiltshire, fallback: derbyshire, store: "--data-dir d")
                == wiltshire)
        let mismatch = #expect(throws: StoreError.self) {
            try CareJourneyService.choosePolicy(
                named: derbyshire, stored: wiltshire, fallback: derbyshire, store: "--store postgres://care@db/care")
        }
        #expect(
            mismatch?.message.contains("`carejourney policy apply FILE --store postgres://care@db/care --dry-run`")
                == true, "the store named as the command line names it")
        #expect(
            try CareJourneyService.choosePolicy(named: nil, stored: wiltshire, fallback: nil, store: "--data-dir d")
                == wiltshire)
        let none = #expect(throws: StoreError.self) {
            try CareJourneyService.choosePolicy(named: nil, stored: nil, fallback: nil, store: "--data-dir d")
        }
        #expect(none?.message.contains("pass --policy FILE") == true)
    }
}
