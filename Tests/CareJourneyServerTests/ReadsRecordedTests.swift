import CareJourneyCore
import CareJourneyKit
import Foundation
import Testing
import CareJourneyTestSupport

@testable import CareJourneyServer

/// Reads of people's records over HTTP: recorded before they are shown, refused when they cannot be, and a case
/// with an open safeguarding enquiry outside the reader's team opened only with a reason.
@Suite(.serialized) struct ReadsRecordedTests {
    static let contact: JSONValue = ["data": ["name": "Ada", "clientType": "adult", "route": "gp"]]

    /// A case in the `north` team with an open safeguarding enquiry, made by a manager.
    static func enquiryCase(_ manager: LiveServer) async throws {
        #expect(try await manager.post("/api/cases", contact).status == 201)
        for (name, data) in [
            ("reassign", ["team": "north"] as JSONValue), ("safeguarding-concern", [:]), ("s42-decision", ["enquiry": true]),
        ] {
            let done = try await manager.post("/api/cases/C-1/events", ["name": .string(name), "data": data])
            #expect(done.status == 200, "\(name): \(done.text)")
        }
    }

    @Test func aCaseWithAnOpenEnquiryOutsideYourTeamNeedsAReasonWhichManagersSee() async throws {
        var people = try People([("m.patel", .manager), ("a.dmin", .admin)])
        people.tokens["sw.north"] = try people.file.add("sw.north", role: .practitioner, team: "north")
        people.tokens["sw.south"] = try people.file.add("sw.south", role: .practitioner, team: "south")
        let signedUp = people
        try await LiveServer.with(tokens: signedUp.file) { server in
            let people = signedUp
            let manager = server.signedIn(as: people["m.patel"])
            try await Self.enquiryCase(manager)
            // The case's own team opens it as ever.
            #expect(try await server.signedIn(as: people["sw.north"]).get("/api/cases/C-1").status == 200)
            let south = server.signedIn(as: people["sw.south"])
            let refused = try await south.get("/api/cases/C-1")
            #expect(refused.status == 403)
            #expect(refused["type"]?.string == "/problems/reason-needed")
            #expect(refused["detail"]?.string?.hasPrefix("this case has an open safeguarding enquiry and is allocated to the north team, not yours (south)") == true)
            #expect(refused["history"] == nil, "nothing of the case is shown")
            #expect(try await south.get("/api/cases/C-1?reason=%20%20").status == 403, "a blank reason is none")
            let opened = try await south.get("/api/cases/C-1?reason=duty%20desk%3A%20family%20called")
            #expect(opened.status == 200)
            // As a page: the question first, then the case.
            let page = try await south.send("GET", "/cases/C-1")
            #expect(page.status == 403)
            #expect(page.text.contains("<label for=\"reason\">Why you need to open this case</label>"))
            #expect(try await south.send("GET", "/cases/C-1?reason=cover").status == 200)
            // Managers see who opened it and why.
            let reads = try await manager.get("/api/cases/C-1/access")["reads"]?.array ?? []
            let reasons = reads.compactMap { $0["reason"]?.string }
            #expect(reasons == ["cover", "duty desk: family called"])
            let accessPage = try await manager.send("GET", "/cases/C-1/access")
            #expect(accessPage.status == 200)
            #expect(accessPage.text.contains("duty desk: family called") && accessPage.text.contains("sw.south"))
            #expect(try await south.send("GET", "/cases/C-1/access").status == 403)
        }
    }

    @Test func aReadThatCannotBeRecordedIsRefusedAndShowsNothing() async throws {
        try await LiveServer.with { server in
            #expect(try await server.post("/api/cases", Self.contact).status == 201)
            #expect(try await server.get("/api/cases/C-1").status == 200)
            // The store refuses writes to the access log, as a full disk would.
            let store = try #require(server.store)
            try await store.execute(
                store.postgres == nil
                    ? ["CREATE TRIGGER refuse BEFORE INSERT ON access_log BEGIN SELECT RAISE(ABORT, 'disk full'); END"]
                    : [
                        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE 'disk full'; END $$",
                        "CREATE TRIGGER refuse BEFORE INSERT ON access_log FOR EACH ROW EXECUTE FUNCTION refuse()",
                    ])
            for path in ["/api/cases/C-1", "/api/cases?q=Ada", "/cases/C-1", "/cases", "/queues"] {
                let refused = try await server.get(path)
                #expect(refused.status == 503, "\(path)")
                #expect(!refused.text.contains("Ada"), "\(path) showed the person")
            }
            try await store.execute(["DROP TRIGGER refuse" + (store.postgres == nil ? "" : " ON access_log")])
            #expect(try await server.get("/api/cases/C-1").status == 200)
        }
    }

    @Test func aCasePageShowsItsLegalHold() async throws {
        let people = try People()
        try await LiveServer.with(tokens: people.file) { server in
            let manager = server.signedIn(as: people["m.patel"])
            #expect(try await manager.post("/api/cases", Self.contact).status == 201)
            #expect(try await manager.send("GET", "/cases/C-1").text.contains("<dd data-field=\"hold\">none</dd>"))
            let held = try await manager.post(
                "/api/cases/C-1/events", ["name": "hold", "data": ["reason": "a claim against the council"]])
            #expect(held.status == 200, "\(held.text)")
            let page = try await manager.send("GET", "/cases/C-1").text
            #expect(page.contains("<span class=\"tag hold\">legal hold</span>"))
            #expect(page.contains("by m.patel: a claim against the council"))
        }
    }

    @Test func theDashboardsListsAreRecordedWithWhatWasAsked() async throws {
        let people = try People()
        try await LiveServer.with(sample: 6, tokens: people.file) { server in
            let jones = server.signedIn(as: people["sw.jones"])
            let page = try await jones.send("GET", "/cases?overdue=false")
            #expect(page.status == 200)
            let manager = server.signedIn(as: people["m.patel"])
            let ids = try await manager.get("/api/cases?overdue=false").cases.compactMap { $0["id"]?.string }
            try #require(!ids.isEmpty)
            let reads = try await manager.get("/api/cases/\(ids[0])/access")["reads"]?.array ?? []
            let dashboard = reads.first { $0["actor"]?.string == "sw.jones" }
            #expect(dashboard?["channel"]?.string == "search")
            #expect(dashboard?["query"]?.string == "overdue=false")
            #expect(dashboard?["cases"]?.array?.compactMap(\.string) == ids)
        }
    }
}
