import CareJourneyCore
import CareJourneyKit
import Foundation
import Testing
import CareJourneyTestSupport

@testable import CareJourneyServer

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Who is let in over HTTP, tried as an attacker would against a live server: other hosts' names, proxies, other
/// sites' pages, forged forms, slow clients, and pages that would be cached or framed.
@Suite(.serialized) struct HTTPSecurityTests {
    static let contact: JSONValue = ["data": ["name": "Ada", "clientType": "adult", "route": "gp"]]

    @Test func noTokenModeAnswersOnlyThisMachinesOwnRequests() async throws {
        try await LiveServer.with { server in
            // DNS rebinding: a page on evil.example whose name now points at 127.0.0.1 names its own host.
            let rebound = try await server.send("GET", "/api/cases", headers: ["Host": "evil.example"])
            #expect(rebound.status == 421)
            #expect(rebound["type"]?.string == "/problems/not-loopback-host")
            #expect(rebound.headers["content-type"] == "application/problem+json")
            #expect(try await server.send("GET", "/api/cases", headers: ["Host": "localhost:1"]).status == 200)
            // A proxy or tunnel in front: whoever reaches it would be the admin.
            for header in ["X-Forwarded-For", "Forwarded", "X-Forwarded-Host", "X-Forwarded-Proto"] {
                let proxied = try await server.send("GET", "/api/me", headers: [header: "for=203.0.113.9"])
                #expect(proxied.status == 403, "\(header)")
                #expect(proxied["type"]?.string == "/problems/proxied")
            }
            #expect(try await server.get("/api/me").status == 200)
        }
    }

    @Test func anUnsafeRequestFromAnotherSiteIsRefusedWhateverItsSignIn() async throws {
        let people = try People()
        try await LiveServer.with(tokens: people.file) { server in
            let jones = server.signedIn(as: people["sw.jones"])
            let body = try JSONEncoder().encode(Self.contact)
            for headers in [
                ["Origin": "http://evil.example"], ["Sec-Fetch-Site": "cross-site"], ["Sec-Fetch-Site": "same-site"],
                ["Origin": "null"],
            ] {
                let refused = try await jones.send("POST", "/api/cases", body: body, headers: headers)
                #expect(refused.status == 403, "\(headers)")
                #expect(refused["type"]?.string == "/problems/cross-site")
            }
            #expect(try await jones.get("/api/cases").cases.isEmpty, "nothing was created")
            let ownPage = try await jones.send(
                "POST", "/api/cases", body: body,
                headers: ["Origin": server.base.absoluteString, "Sec-Fetch-Site": "same-origin"])
            #expect(ownPage.status == 201)
            // JSON only: a form or text body, which another site's page could send without asking, is refused.
            for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
                let other = try await jones.send("POST", "/api/cases", body: body, headers: ["Content-Type": type])
                #expect(other.status == 415, "\(type)")
                #expect(other["field"]?.string == "Content-Type")
            }
            #expect(
                try await jones.send(
                    "POST", "/api/cases", body: body, headers: ["Content-Type": "application/json; charset=utf-8"]
                ).status == 201)
        }
    }

    @Test func aCookieSignedFormNeedsItsSessionsCSRFToken() async throws {
        let people = try People()
        try await LiveServer.with(sample: 3, tokens: people.file) { server in
            let session = try await Self.session(of: server, token: people["sw.jones"])
            let page = try await server.send("GET", "/cases/C-1", headers: ["Cookie": session])
            let csrf = try #require(LiveServer.csrf(in: page.text))
            #expect(page.text.components(separatedBy: "name=\"csrf\" value=\"\(csrf)\"").count > 2)
            let reassign = "team=north&worker=sw.jones&reason=cover"
            func post(_ form: String) async throws -> LiveServer.Reply {
                try await server.send(
                    "POST", "/cases/C-1/reassign", body: Data(form.utf8),
                    headers: ["Cookie": session, "Content-Type": "application/x-www-form-urlencoded"])
            }
            func reassignments() async throws -> Int {
                let history = try await server.send("GET", "/api/cases/C-1", headers: ["Cookie": session])
                return history["history"]?.array?.filter { $0["name"]?.string == "reassign" }.count ?? -1
            }
            let before = try await reassignments()
            for forged in [reassign, reassign + "&csrf=", reassign + "&csrf=" + String(csrf.reversed())] {
                let refused = try await post(forged)
                #expect(refused.status == 403)
                #expect(refused.text.contains("This form could not be sent"))
            }
            #expect(try await reassignments() == before, "no forged form was carried out")
            let done = try await post(reassign + "&csrf=\(csrf)")
            #expect(done.status == 303)
            #expect(try await reassignments() == before + 1, "only the signed form was carried out")
            // Another session's token does not do either.
            let other = try await Self.session(of: server, token: people["m.patel"])
            let theirs = try #require(
                LiveServer.csrf(in: try await server.send("GET", "/cases/C-1", headers: ["Cookie": other]).text))
            #expect(theirs != csrf)
            #expect(try await post(reassign + "&csrf=\(theirs)").status == 403)
        }
        // No-token mode's forms carry the service's own token.
        try await LiveServer.with(sample: 3) { server in
            let page = try await server.get("/cases/C-1")
            let csrf = try #require(LiveServer.csrf(in: page.text))
            let form = ["team": "north", "worker": "x", "reason": "cover"]
            #expect(try await server.postForm("/cases/C-1/reassign", form).status == 403)
            #expect(try await server.postForm("/cases/C-1/reassign", form.merging(["csrf": csrf]) { $1 }).status == 303)
        }
    }

    @Test func behindTLSTheCookieIsSecureAndHostOnlyAndOnlyThePublicOriginMayPost() async throws {
        let people = try People()
        let publicURL = URL(string: "https://carejourney.council.example")!
        try await LiveServer.with(tokens: people.file, publicURL: publicURL) { server in
            let signedIn = try await server.send(
                "POST", "/sign-in", body: Data("token=\(people["sw.jones"])".utf8),
                headers: ["Content-Type": "application/x-www-form-urlencoded", "Origin": publicURL.absoluteString])
            #expect(signedIn.status == 303)
            let cookie = try #require(signedIn.headers["set-cookie"])
            #expect(cookie.hasPrefix("__Host-carejourney_session="))
            for attribute in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
                #expect(cookie.contains(attribute), "\(cookie)")
            }
            #expect(!cookie.contains("Domain"))
            // The service's own address is not the public one: a page there may not post.
            let local = try await server.send(
                "POST", "/sign-in", body: Data("token=\(people["sw.jones"])".utf8),
                headers: ["Content-Type": "application/x-www-form-urlencoded", "Origin": server.base.absoluteString])
            #expect(local.status == 403)
        }
    }

    @Test func everyAnswerForbidsFramingSniffingCachingAndInlineScript() async throws {
        let people = try People()
        try await LiveServer.with(sample: 2, tokens: people.file) { server in
            let jones = server.signedIn(as: people["sw.jones"])
            for path in ["/", "/cases", "/cases/C-1", "/queues", "/sign-in", "/api/cases", "/api/cases/C-1", "/nowhere"]
            {
                let reply = try await (path == "/sign-in" ? server : jones).get(path)
                let policy = try #require(reply.headers["content-security-policy"], "\(path)")
                #expect(policy.contains("frame-ancestors 'none'") && policy.contains("default-src 'none'"))
                #expect(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"))
                #expect(reply.headers["x-content-type-options"] == "nosniff", "\(path)")
                #expect(reply.headers["referrer-policy"] == "no-referrer", "\(path)")
                #expect(reply.headers["cache-control"] == "no-store", "\(path)")
                if reply.headers["content-type"]?.hasPrefix("text/html") == true {
                    #expect(!reply.text.contains("style=\"") && !reply.text.contains("<style"), "\(path)")
                    #expect(!reply.text.contains("<script>") && !reply.text.contains("onclick"), "\(path)")
                }
            }
            // Stylesheets and the script hold no personal data and may be cached.
            #expect(try await server.get("/assets/dashboard.css").headers["cache-control"] == "max-age=300")
        }
    }

    @Test func metricsAreForTheMetricsRoleAndItReadsNothingElse() async throws {
        let people = try People()
        try await LiveServer.with(sample: 2, tokens: people.file) { server in
            let metrics = server.signedIn(as: people["m.etrics"])
            #expect(try await server.get("/metrics").status == 401)
            let figures = try await metrics.get("/metrics")
            #expect(figures.status == 200 && figures.text.contains("carejourney_"))
            for path in ["/api/cases", "/api/cases/C-1", "/api/stats", "/api/me", "/", "/cases/C-1"] {
                #expect(try await metrics.get(path).status == 403, "\(path)")
            }
            #expect(try await server.signedIn(as: people["a.dmin"]).get("/metrics").status == 200)
        }
    }

    @Test func aHalfSentOrTricklingRequestIsClosedWithinTheTimeout() async throws {
        var limits = HTTPLimits()
        limits.requestTimeout = .milliseconds(800)
        try await LiveServer.with(limits: limits) { server in
            let port = try #require(server.base.port)
            // Headers begun and never finished.
            let half = try RawConnection(port: port)
            try half.send("GET /api/cases HTTP/1.1\r\nHost: localhost\r\n")
            // Closed at the 800 ms deadline: the default one (20 s) and the idle timeout (60 s) are far later, so a
            // close within 15 s (however slowly the machine runs) is this limit's.
            #expect(half.waitForClose(upTo: .seconds(15)), "closed at the request's deadline, not the default's")
            // A byte at a time, each well inside an idle timeout: still closed at the request's deadline, while the
            // bytes still come (they would take seven seconds, and the idle timeout never comes between them).
            let trickle = try RawConnection(port: port)
            let header = Array("GET /api/cases HTTP/1.1\r\nHost: localhost\r\nX-Slow: aaaaaaaaaaaaaaaaaaaa".utf8)
            var sent = 0
            while sent < header.count, trickle.isOpen {
                try? trickle.send(bytes: [header[sent]])
                sent += 1
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(sent < header.count, "closed while the request trickled in (\(sent) of \(header.count) bytes sent)")
            // A whole request is answered as ever.
            #expect(try await server.get("/api/cases").status == 200)
        }
    }

    @Test func oversizedHeadersAreRefused() async throws {
        try await LiveServer.with { server in
            let huge = String(repeating: "a", count: 40_000)
            let port = try #require(server.base.port)
            let connection = try RawConnection(port: port)
            try connection.send("GET /api/cases HTTP/1.1\r\nHost: localhost\r\nX-Big: \(huge)\r\n\r\n")
            let answer = connection.read(upTo: .seconds(5))
            #expect(answer.hasPrefix("HTTP/1.1 431") || answer.hasPrefix("HTTP/1.1 400") || answer.isEmpty)
            #expect(!answer.hasPrefix("HTTP/1.1 200"))
        }
    }

    @Test func liveStreamsAreCappedAndEndWhenTheSessionSignsOut() async throws {
        let people = try People()
        var limits = HTTPLimits()
        limits.liveStreamsPerPerson = 2
        limits.liveStreams = 3
        try await LiveServer.with(tokens: people.file, limits: limits) { server in
            let session = try await Self.session(of: server, token: people["sw.jones"])
            let port = try #require(server.base.port)
            func openLive(_ header: String) throws -> (RawConnection, String) {
                let connection = try RawConnection(port: port)
                try connection.send("GET /live HTTP/1.1\r\nHost: localhost\r\n\(header)\r\n\r\n")
                // A busy machine (the whole suite runs at once) may take a while to answer.
                return (connection, connection.read(upTo: .seconds(30)))
            }
            let (first, firstHead) = try openLive("Cookie: \(session)")
            #expect(firstHead.hasPrefix("HTTP/1.1 200"))
            #expect(firstHead.contains("text/event-stream"))
            let (second, _) = try openLive("Cookie: \(session)")
            // A third page of the same person's ends their oldest: a person holds at most two here.
            let (third, thirdHead) = try openLive("Cookie: \(session)")
            #expect(thirdHead.hasPrefix("HTTP/1.1 200"))
            #expect(first.waitForEndOfBody(upTo: .seconds(20)), "the oldest stream ended to make room")
            // Someone else may still open theirs.
            let (theirs, theirHead) = try openLive("Authorization: Bearer \(people["m.patel"])")
            #expect(theirHead.hasPrefix("HTTP/1.1 200"))
            // The service as a whole holds three here: a fourth is refused, whoever asks.
            let over = try await server.signedIn(as: people["a.dmin"]).get("/live")
            #expect(over.status == 429)
            #expect(over.headers["retry-after"] == "30")
            #expect(over.headers["content-type"] == "application/problem+json")
            #expect(over["type"]?.string == "/problems/too-many-streams")
            #expect(over["headers"] == nil, "a problem's headers are headers, not part of its JSON")

            let page = try await server.send("GET", "/cases", headers: ["Cookie": session])
            let csrf = try #require(LiveServer.csrf(in: page.text))
            let out = try await server.send(
                "POST", "/sign-out", body: Data("csrf=\(csrf)".utf8),
                headers: ["Cookie": session, "Content-Type": "application/x-www-form-urlencoded"])
            #expect(out.status == 303)
            // The session's streams end at once; the other person's goes on.
            #expect(second.waitForEndOfBody(upTo: .seconds(20)), "the signed-out session's streams ended")
            #expect(third.waitForEndOfBody(upTo: .seconds(20)), "all of them")
            #expect(!theirs.waitForEndOfBody(upTo: .milliseconds(500)))
        }
    }

    /// Signs in with `token` through the form and returns the session cookie (`name=value`).
    static func session(of server: LiveServer, token: String) async throws -> String {
        let signedIn = try await server.send(
            "POST", "/sign-in", body: Data("token=\(token)".utf8),
            headers: ["Content-Type": "application/x-www-form-urlencoded"])
        let cookie = try #require(signedIn.headers["set-cookie"])
        return String(cookie.prefix { $0 != ";" })
    }
}
