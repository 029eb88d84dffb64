import CareJourneyKit
import Foundation
import HTTPTypes
import Hummingbird

/// Refuses, before anyone is identified, the requests no one should be able to make whatever their sign-in:
///
/// - **No-token mode** serves this machine's own browser and tools only: a `Host` that is not a loopback name or
///   address is refused with 421 (a web page that rebinds its own DNS name to 127.0.0.1 cannot reach the service),
///   and any `Forwarded` or `X-Forwarded-*` header with 403 (a proxy or tunnel in front means people need tokens).
/// - **Every unsafe method** (POST, PUT, PATCH, DELETE) must come from the service's own pages or from a tool,
///   never another site: `Sec-Fetch-Site: cross-site` or `same-site`, or an `Origin` that is not the service's
///   own (or `null`, on the API), is refused with 403; a JSON route (`/api/…`) takes `Content-Type:
///   application/json` only (415).
///
/// Every refusal is a thrown `Problem` (`application/problem+json`, rendered as a route's are) naming the header at
/// fault and how to put it right.
struct RequestGuard: RouterMiddleware {
    typealias Context = AppRequestContext

    let access: AccessControl

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        if let problem = Self.problem(with: request, access: access) { throw problem }
        return try await next(request, context)
    }

    static let unsafeMethods: Set<HTTPRequest.Method> = [.post, .put, .patch, .delete]
    static let forwardingHeaders = ["forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto"]
    static let fetchSite = HTTPField.Name("Sec-Fetch-Site")!

    /// Why `request` is refused, or `nil`.
    static func problem(with request: Request, access: AccessControl) -> Problem? {
        if !access.requiresSignIn {
            guard let authority = request.head.authority, isLoopback(authority: authority) else {
                return Problem(
                    421, "not-loopback-host", "This service answers this machine only",
                    "the request names the host '\(request.head.authority ?? "")', but without a token file the "
                        + "service answers only requests for this machine (localhost, 127.0.0.1 or [::1]); to serve "
                        + "people elsewhere, start it with --tokens FILE",
                    field: "Host")
            }
            if let header = request.headers.first(where: {
                let name = $0.name.canonicalName
                return forwardingHeaders.contains(name) || name.hasPrefix("x-forwarded-")
            }) {
                return Problem(
                    403, "proxied", "Proxied requests need sign-in",
                    "the request came through a proxy or tunnel (it has a \(header.name) header), and without a token "
                        + "file anyone reaching it would act as the admin; start the service with --tokens FILE "
                        + "(and --public-url) to serve people through a proxy",
                    field: header.name.rawName)
            }
        }
        guard unsafeMethods.contains(request.method) else { return nil }
        // A browser says where a request comes from in Sec-Fetch-Site; under `Referrer-Policy: no-referrer` (ours)
        // its form posts name their origin `null`, so that header is the one to trust when it is there.
        let site = request.headers[fetchSite]?.lowercased()
        if let site, site != "same-origin" && site != "none" {
            return crossSite("the browser says it comes from another site (Sec-Fetch-Site: \(site))")
        }
        if let origin = request.headers[.origin]?.lowercased() {
            let own = access.ownOrigins(of: request)
            if origin == "null" {
                // A form of ours without Sec-Fetch-Site is still checked by its CSRF token; the API is not.
                if site == nil && isJSONRoute(request.uri.path) {
                    return crossSite("it comes from a page with no origin (Origin: null)")
                }
            } else if !own.contains(origin) {
                return crossSite("it comes from a page at \(origin), not this service's own (\(own.first ?? "unknown"))")
            }
        }
        if isJSONRoute(request.uri.path) {
            let type = request.headers[.contentType]?.split(separator: ";").first?
                .trimmingCharacters(in: .whitespaces).lowercased()
            guard type == "application/json" else {
                return Problem(
                    415, "unsupported-media-type", "Send JSON",
                    "the API takes `Content-Type: application/json` bodies"
                        + (type.map { ", not '\($0)'" } ?? "; the request named no Content-Type"),
                    field: "Content-Type")
            }
        }
        return nil
    }

    /// Whether a `Host` names this machine: `localhost`, 127.x.x.x or `[::1]`, with or without a port.
    static func isLoopback(authority: String) -> Bool {
        var host = Substring(authority.lowercased())
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            let rest = host[host.index(after: close)...]
            guard rest.isEmpty || (rest.hasPrefix(":") && UInt16(rest.dropFirst()) != nil) else { return false }
            host = host[...close]
        } else if let colon = host.lastIndex(of: ":") {
            guard UInt16(host[host.index(after: colon)...]) != nil else { return false }
            host = host[..<colon]
        }
        return Loopback.contains(host: String(host))
    }

    /// Whether the path is the JSON API's (`/api/…`, read as the router reads it).
    static func isJSONRoute(_ path: String) -> Bool {
        path.split(separator: "/").first?.lowercased() == "api"
    }

    private static func crossSite(_ why: String) -> Problem {
        Problem(
            403, "cross-site", "Refused: not from this service's own pages",
            "a request that changes something must come from CareJourney's own pages or from a tool, and \(why); "
                + "reload the page from this service and try again",
            field: "Origin")
    }
}
