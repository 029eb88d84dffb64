import CareJourneyCore
import CareJourneyKit
import Foundation
import HTTPTypes
import Synchronization
import Testing

@testable import CareJourneyServer

/// The rules behind access, without a server: which role a route needs, sessions' expiry, safe `next` paths.
@Suite struct AccessRulesTests {
    @Test(
        arguments: [
            ("GET", "/healthz", nil), ("GET", "/sign-in", nil), ("POST", "/sign-in", nil), ("POST", "/sign-out", nil),
            ("GET", "/assets/site.css", nil), ("POST", "/healthz", .practitioner), ("GET", "/sign-out", .viewer),
            ("GET", "/api/cases", .viewer), ("HEAD", "/api/cases", .viewer), ("GET", "/openapi.yaml", .viewer),
            ("GET", "/", .viewer), ("POST", "/api/cases", .practitioner),
            ("POST", "/api/cases/C-1/events", .practitioner),
            ("GET", "/api/bulk/x", .manager), ("POST", "/api/bulk/close", .manager), ("POST", "//api//Bulk/", .manager),
            ("GET", "/api/bulkhead", .viewer), ("GET", "/api/admin/tokens", .admin), ("POST", "/admin", .admin),
            ("GET", "/healthz/x", .viewer), ("GET", "/sign-in/../api/cases", .viewer),
        ] as [(String, String, Role?)])
    func eachRouteNeedsItsRole(method: String, path: String, role: Role?) {
        #expect(RouteAccess.role(for: HTTPRequest.Method(method)!, path: path) == role)
    }

    @Test func aSessionLastsItsLifetimeAndEndsWhenClosed() throws {
        let clock = Mutex(Date(timeIntervalSince1970: 1_767_603_600))
        let sessions = SessionStore(lifetime: .seconds(3600), now: { clock.withLock { $0 } })
        let jones = Principal(name: "sw.jones", role: .practitioner)
        let first = sessions.open(for: jones)
        let second = sessions.open(for: Principal(name: "m.patel", role: .manager))
        #expect(first != second && first.count == 43)
        #expect(sessions.session(for: first)?.principal == jones)
        #expect(sessions.session(for: "guess") == nil)
        // Each session has a CSRF token of its own, never its id.
        let csrf = try #require(sessions.session(for: first)?.csrf)
        #expect(csrf.count == 43 && csrf != first && csrf != sessions.session(for: second)?.csrf)
        let closed = Mutex<[String]>([])
        sessions.onClose { key in closed.withLock { $0.append(key) } }
        clock.withLock { $0 += 3599 }
        #expect(sessions.session(for: first)?.principal == jones)
        let secondKey = try #require(sessions.session(for: second)?.key)
        sessions.close(second)
        #expect(sessions.session(for: second) == nil)
        #expect(closed.withLock { $0 } == [secondKey], "those watching (live streams) are told")
        clock.withLock { $0 += 1 }
        #expect(sessions.session(for: first) == nil)
    }

    @Test(
        arguments: [
            ("/", "/"), ("/cases?state=review", "/cases?state=review"), ("//evil.example", nil),
            ("/\\evil.example", nil),
            ("https://evil.example/", nil), ("cases", nil), ("", nil), ("/a b", nil), ("/a\r\nSet-Cookie: x", nil),
        ] as [(String, String?)])
    func nextGoesOnlyToThisServicesOwnPaths(next: String, expected: String?) {
        #expect(SignInRoutes.localPath(next) == expected)
    }

    @Test func onlyThisMachinesOwnAddressesAreLoopback() {
        for host in ["127.0.0.1", "127.8.9.10", "localhost", "::1", "[::1]"] { #expect(Loopback.contains(host: host)) }
        for host in ["0.0.0.0", "::", "10.0.0.1", "127.evil.example", "127.0.0.1.nip.io", "", "1270.0.0.1"] {
            #expect(!Loopback.contains(host: host), "\(host)")
        }
    }

    @Test func everyoneActsOnlyAsThemselvesTheLocalAdminToo() throws {
        let jones = Principal(name: "sw.jones", role: .practitioner)
        #expect(try jones.actor(stated: nil) == "sw.jones")
        #expect(try jones.actor(stated: "sw.jones") == "sw.jones")
        #expect(throws: AccessError.self) { try jones.actor(stated: "m.patel") }
        #expect(try Principal.local.actor(stated: nil) == "local")
        #expect(try Principal.local.actor(stated: "local") == "local")
        let error = #expect(throws: AccessError.self) { try Principal.local.actor(stated: "contact-centre") }
        #expect(error?.code == .actorMismatch)
        #expect(error?.message == "without a token file everyone is the admin 'local', so a request cannot act as 'contact-centre'")
    }

    @Test(
        arguments: [
            ("localhost:8080", true), ("127.0.0.1", true), ("127.0.0.1:80", true), ("[::1]:8080", true),
            ("LOCALHOST", true), ("evil.example", false), ("evil.example:8080", false), ("127.0.0.1.nip.io", false),
            ("[::1]evil", false), ("localhost:x", false), ("", false), ("10.0.0.1:8080", false),
        ] as [(String, Bool)])
    func noTokenModeAnswersOnlyALoopbackHost(authority: String, allowed: Bool) {
        #expect(RequestGuard.isLoopback(authority: authority) == allowed)
    }

    @Test func signInPagesEscapeWhatTheyShow() {
        let page = SignInPage.form(next: "/\"><script>x</script>", error: "<b>&")
        #expect(!page.main.contains("<script>") && !page.main.contains("<b>"))
        #expect(page.main.contains("&quot;&gt;&lt;script&gt;") && page.main.contains("&lt;b&gt;&amp;"))
    }
}
