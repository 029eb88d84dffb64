import CareJourneyClock
import CareJourneyCore
import CareJourneyKit
import CareJourneyRuntime
import Foundation
import Logging
import Synchronization
import Testing
import CareJourneyTestSupport

@testable import CareJourneyServer

/// A live server with a token file: who may do what, signing in with a browser, and what is recorded.
@Suite struct AccessTests {
    let contact: JSONValue = ["data": ["name": "Ada Lovelace", "clientType": "adult", "route": "gp"]]

    @Test func aTokenIsNeededAndEachRoleMayDoOnlyWhatItAllows() async throws {
        let people = try People()
        try await LiveServer.with(tokens: people.file) { server in
            let anonymous = try await server.get("/api/cases")
            #expect(anonymous.status == 401)
            #expect(anonymous.headers["content-type"] == "application/problem+json")
            #expect(anonymous.headers["www-authenticate"] == "Bearer realm=\"CareJourney\"")
            #expect(anonymous["type"]?.string == "/problems/unauthenticated")
            let wrong = try await server.signedIn(as: "not-a-token").get("/api/cases")
            #expect(wrong.status == 401)
            #expect(wrong.headers["www-authenticate"]?.contains("error=\"invalid_token\"") == true)
            #expect(try await server.send("GET", "/api/cases", headers: ["Authorization": "Basic YTpi"]).status == 401)
            #expect(try await server.post("/api/cases", contact).status == 401)
            #expect(try await server.get("/openapi.yaml").status == 401)
            #expect(try await server.get("/healthz").status == 200)

            let viewer = server.signedIn(as: people["v.iewer"])
            #expect(try await viewer.get("/api/cases").status == 200)
            #expect(try await viewer.get("/api/me").json == ["name": "v.iewer", "role": "viewer", "isLocal": false])
            let refused = try await viewer.post("/api/cases", contact)
            #expect(refused.status == 403)
            #expect(refused["type"]?.string == "/problems/forbidden")
            #expect(refused["detail"]?.string?.contains("needs the practitioner role") == true)

            let jones = server.signedIn(as: people["sw.jones"])
            #expect(try await jones.post("/api/cases", contact).status == 201)
            #expect(try await viewer.post("/api/cases/C-1/events", ["name": "start-assessment"]).status == 403)
            #expect(try await jones.post("/api/cases/C-1/events", ["name": "start-assessment"]).status == 200)
            let asOther = try await jones.post("/api/cases/C-1/events", ["name": "complaint-received", "actor": "bob"])
            #expect(asOther.status == 403)
            #expect(asOther["field"]?.string == "actor")
            let asSelf = try await jones.post(
                "/api/cases/C-1/events", ["name": "complaint-received", "actor": "sw.jones"])
            #expect(asSelf.status == 200)
            let history = try await viewer.get("/api/cases/C-1")["history"]?.array
            #expect(history?.map { $0["actor"]?.string } == ["sw.jones", "sw.jones", "sw.jones"])

            // The bulk prefix is gated before any route exists under it, however the path is spelt.
            for path in ["/api/bulk/close-cases", "//api//BULK/close-cases", "/api/bulk"] {
                for method in ["GET", "POST"] {
                    let body = method == "POST" ? Data("{}".utf8) : nil
                    #expect(try await jones.send(method, path, body: body).status == 403, "\(method) \(path)")
                    #expect(
                        try await server.signedIn(as: people["m.patel"]).send(method, path, body: body).status == 404)
                }
            }
            #expect(try await server.signedIn(as: people["m.patel"]).send("GET", "/api/admin/x").status == 403)
            #expect(try await server.signedIn(as: people["a.dmin"]).send("GET", "/api/admin/x").status == 404)
        }
    }

    /// A session cookie the service no longer knows is an ended session: the API's refusal (a thrown problem) and a
    /// page's (a sign-in redirect) each tell the browser to forget it.
    @Test func anEndedSessionsCookieIsForgottenByTheAPIsRefusalAndAPagesAlike() async throws {
        let people = try People()
        try await LiveServer.with(tokens: people.file) { server in
            let stale = "carejourney_session=a-session-that-has-ended"
            let api = try await server.send("GET", "/api/me", headers: ["Cookie": stale])
            #expect(api.status == 401)
            #expect(api.headers["content-type"] == "application/problem+json")
            #expect(api["type"]?.string == "/problems/invalid-credentials")
            #expect(api.headers["www-authenticate"] == "Bearer realm=\"CareJourney\", error=\"invalid_token\"")
            #expect(api.headers["set-cookie"]?.hasPrefix("carejourney_session=;") == true, "\(api.headers)")
            #expect(api.headers["set-cookie"]?.contains("Max-Age=0") == true, "\(api.headers)")
            let page = try await server.send(
                "GET", "/cases", headers: ["Accept": "text/html,application/xhtml+xml", "Cookie": stale])
            #expect(page.status == 303)
            #expect(page.headers["set-cookie"]?.contains("Max-Age=0") == true, "\(page.headers)")
            // A token refused is no reason to touch the browser's cookies.
            let token = try await server.signedIn(as: "not-a-token").get("/api/me")
            #expect(token.status == 401)
            #expect(token.headers["set-cookie"] == nil)
        }
    }

    /// The session cookie from a `Set-Cookie` header, as a `Cookie` header.
    func cookie(from reply: LiveServer.Reply) -> String? {
        reply.headers["set-cookie"]?.split(separator: ";").first.map(String.init)
    }

    func form(_ fields: [String: String]) -> Data {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return Data(
            fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
                .joined(separator: "&").utf8)
    }

    func signIn(_ server: LiveServer, _ fields: [String: String], headers: [String: String] = [:]) async throws
        -> LiveServer.Reply
    {
        try await server.send(
            "POST", "/sign-in", body: form(fields),
            headers: ["Content-Type": "application/x-www-form-urlencoded"].merging(headers) { $1 })
    }

    @Test func aSessionEndsByTheServicesClockAfterEightHours() async throws {
        let people = try People()
        let clock = ManualClock(Date(timeIntervalSince1970: 1_767_603_600))
        try await LiveServer.with(tokens: people.file, clock: clock) { server in
            let session = try #require(cookie(from: try await signIn(server, ["token": people["sw.jones"]])))
            clock.advance(by: 8 * 3600 - 60)
            #expect(try await server.send("GET", "/api/me", headers: ["Cookie": session]).status == 200)
            // The wall clock has hardly moved; the service's has passed the session's eight hours.
            clock.advance(by: 120)
            #expect(try await server.send("GET", "/api/me", headers: ["Cookie": session]).status == 401)
        }
    }

    @Test func theSignInFormSetsASessionCookieThatOpensProtectedRoutesAndAWrongTokenDoesNot() async throws {
        let people = try People()
        try await LiveServer.with(tokens: people.file) { server in
            let page = try await server.get("/sign-in?next=/cases")
            #expect(page.status == 200)
            #expect(page.headers["content-type"] == "text/html; charset=utf-8")
            let html = String(decoding: page.body, as: UTF8.self)
            #expect(html.contains("<label for=\"token\">"))
            #expect(html.contains("<input type=\"hidden\" name=\"next\" value=\"/cases\">"))
            #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"))

            let browser = ["Accept": "text/html,application/xhtml+xml"]
            let away = try await server.send("GET", "/cases?state=review&overdue=true", headers: browser)
            #expect(away.status == 303)
            #expect(away.headers["location"] == "/sign-in?next=/cases%3Fstate%3Dreview%26overdue%3Dtrue")
            #expect(try await server.send("GET", "/", headers: browser).headers["location"] == "/sign-in")
            #expect(try await server.get("/api/me").status == 401)  // the API is never redirected

            let wrongToken = "wr0ng-t0ken-" + people["sw.jones"].prefix(10)
            let wrong = try await signIn(server, ["token": wrongToken, "next": "/api/me"])
            #expect(wrong.status == 401)
            #expect(wrong.headers["set-cookie"] == nil)
            let refusal = String(decoding: wrong.body, as: UTF8.self)
            #expect(refusal.contains("That token does not sign anyone in"))
            #expect(refusal.contains("<title>Error: Sign in – CareJourney</title>"))
            #expect(!refusal.contains(wrongToken))
            #expect(refusal.contains("value=\"/api/me\""))

            let signedIn = try await signIn(server, ["token": people["sw.jones"], "next": "/api/me"])
            #expect(signedIn.status == 303)
            #expect(signedIn.headers["location"] == "/api/me")
            let setCookie = try #require(signedIn.headers["set-cookie"])
            for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=28800"] {
                #expect(setCookie.contains(attribute), "\(setCookie)")
            }
            let session = try #require(cookie(from: signedIn))
            #expect(session.hasPrefix("carejourney_session="))
            #expect(!setCookie.contains(people["sw.jones"]))
            let me = try await server.send("GET", "/api/me", headers: ["Cookie": session])
            #expect(me["name"]?.string == "sw.jones")
            let listing = try await server.send("GET", "/cases", headers: browser.merging(["Cookie": session]) { $1 })
            #expect(listing.status == 200)
            #expect(String(decoding: listing.body, as: UTF8.self).contains("Signed in as <strong>sw.jones</strong>"))
            #expect(
                try await server.send(
                    "POST", "/api/cases", body: try JSONEncoder().encode(contact), headers: ["Cookie": session]
                ).status == 201)
            // A page the role does not open says so, as a page.
            let admin = try await server.send(
                "GET", "/admin/tokens", headers: browser.merging(["Cookie": session]) { $1 })
            #expect(admin.status == 403)
            #expect(String(decoding: admin.body, as: UTF8.self).contains("This needs the admin role"))

            // `next` goes only to this service's own paths; a form from another site is refused.
            let elsewhere = try await signIn(server, ["token": people["v.iewer"], "next": "//evil.example/x"])
            #expect(elsewhere.headers["location"] == "/")
            let forged = try await signIn(
                server, ["token": people["v.iewer"]], headers: ["Origin": "http://evil.example"])
            #expect(forged.status == 403)
            #expect(forged.headers["set-cookie"] == nil)
            let ownOrigin = try await signIn(
                server, ["token": people["v.iewer"]], headers: ["Origin": server.base.absoluteString])
            #expect(ownOrigin.status == 303)

            // Signing out is a form like any other: without its session's CSRF token it is refused, and nothing ends.
            let forgedOut = try await server.send("POST", "/sign-out", headers: ["Cookie": session])
            #expect(forgedOut.status == 403)
            #expect(try await server.send("GET", "/api/me", headers: ["Cookie": session]).status == 200)
            let csrf = try #require(LiveServer.csrf(in: listing.text))
            let out = try await server.send(
                "POST", "/sign-out", body: Data("csrf=\(csrf)".utf8),
                headers: ["Cookie": session, "Content-Type": "application/x-www-form-urlencoded"])
            #expect(out.status == 303)
            #expect(out.headers["set-cookie"]?.contains("Max-Age=0") == true)
            let after = try await server.send("GET", "/api/me", headers: ["Cookie": session])
            #expect(after.status == 401)
            #expect(after["type"]?.string == "/problems/invalid-credentials")
            let ended = try await server.send("GET", "/cases", headers: browser.merging(["Cookie": session]) { $1 })
            #expect(ended.status == 303)
            #expect(ended.headers["set-cookie"]?.contains("Max-Age=0") == true)
        }
    }

    @Test func everyReadOfACaseIsRecordedBeforeItIsShownAndListedForAManagerOnly() async throws {
        let people = try People()
        try await LiveServer.with(tokens: people.file) { server in
            let jones = server.signedIn(as: people["sw.jones"])
            let manager = server.signedIn(as: people["m.patel"])
            #expect(try await jones.post("/api/cases", contact).status == 201)
            let before = Date().addingTimeInterval(-1)
            #expect(try await server.signedIn(as: people["v.iewer"]).get("/api/cases/C-1").status == 200)
            #expect(try await jones.get("/api/cases/C-1").status == 200)
            #expect(try await jones.get("/api/cases?q=Ada").cases.count == 1)
            #expect(try await jones.get("/api/cases/C-404").status == 404)
            #expect(try await jones.get("/api/cases/C-1/access").status == 403)
            #expect(try await server.signedIn(as: people["v.iewer"]).get("/api/cases/C-1/access").status == 403)
            // Reads are recorded before they are answered: they are there at once, newest first.
            let reads = try await manager.get("/api/cases/C-1/access")["reads"]?.array ?? []
            #expect(reads.map { $0["actor"]?.string } == ["sw.jones", "sw.jones", "v.iewer"])
            #expect(reads.map { $0["channel"]?.string } == ["search", "api", "api"])
            #expect(reads.first?["query"]?.string == "q=Ada")
            let formatter = ISO8601DateFormatter()
            for read in reads {
                let at = try #require(read["at"]?.string.flatMap(formatter.date(from:)))
                #expect(at >= before && at <= Date().addingTimeInterval(1))
            }
            #expect(try await manager.get("/api/cases/C-404/access").status == 404)
            // Listing the reads is not itself a read of the case.
            #expect(try await manager.get("/api/cases/C-1/access")["reads"]?.array?.count == 3)
        }
    }

    @Test func withoutATokenFileTheServiceRefusesToListenBeyondThisMachine() async throws {
        let policy = try shippedPolicy("derbyshire")
        let directory = temporaryPath("data")
        for host in ["0.0.0.0", "192.168.1.20", "::", "127.evil.example"] {
            let options = CareJourneyService.Options(
                dataDirectory: directory, policy: nil, defaultPolicy: policy, host: host, port: 0)
            let error = await #expect(throws: AccessError.self) {
                try await CareJourneyService(options: options, logger: Logger(label: "test")).run()
            }
            #expect(error?.code == .notLoopback)
            #expect(error?.description.contains("--tokens FILE") == true)
        }
        #expect(!FileManager.default.fileExists(atPath: directory))
    }

    @Test func noTokenOrSessionIdIsEverLogged() async throws {
        let people = try People()
        let lines = LogLines()
        var logger = Logger(label: "test") { _ in CapturingLogHandler(lines: lines) }
        logger.logLevel = .trace
        let wrongToken = AccessToken.generate()
        let session = try await LiveServer.with(tokens: people.file, logger: logger) { server in
            _ = try await server.signedIn(as: people["sw.jones"]).post("/api/cases", contact)
            _ = try await server.signedIn(as: wrongToken).get("/api/cases")
            _ = try await signIn(server, ["token": wrongToken])
            let signedIn = try await signIn(server, ["token": people["m.patel"]])
            let session = try #require(cookie(from: signedIn))
            _ = try await server.send("GET", "/api/cases/C-1", headers: ["Cookie": session])
            _ = try await server.send("POST", "/sign-out", headers: ["Cookie": session])
            return String(session.drop { $0 != "=" }.dropFirst())
        }
        let logged = lines.all.joined(separator: "\n")
        #expect(logged.contains("sign-in refused"))
        #expect(logged.contains("signed in"))
        for secret in Array(people.tokens.values) + [wrongToken, session] {
            #expect(!logged.contains(secret))
        }
    }
}

/// Log lines kept for a test to read.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

/// Keeps every line with its metadata, at every level.
struct CapturingLogHandler: LogHandler {
    let lines: LogLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.append("\(event.level) \(event.message) \(metadata.merging(event.metadata ?? [:]) { $1 })")
    }
}
