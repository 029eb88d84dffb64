import CareJourneyCore
import CareJourneyKit
import HTTPTypes
import Hummingbird

/// The role each request needs, decided from its method and path before any route runs. A route that needs more
/// asks for it with `AppRequestContext.require(_:)`.
///
/// | request | needs |
/// |---|---|
/// | `GET /healthz`, `GET`/`POST /sign-in`, `POST /sign-out`, `GET /assets/…` | nothing |
/// | `GET /metrics` | metrics (a token that reads figures and nothing else), or any role above |
/// | `/api/admin/…`, `/admin/…` (reserved) | admin |
/// | `/api/bulk/…`, `/bulk/…` (the dashboard's bulk actions) | manager |
/// | any other `GET` or `HEAD` | viewer |
/// | any other request (a `POST` that changes a case, say) | practitioner |
///
/// Paths are read as the router reads them, by their segments (empty ones skipped) and here without regard to
/// case, so `//api/Bulk/x` needs what `/api/bulk/x` needs.
public enum RouteAccess {
    /// The role `method` on `path` needs, or `nil` for a route anyone may use.
    public static func role(for method: HTTPRequest.Method, path: String) -> Role? {
        let segments = path.split(separator: "/").map { $0.lowercased() }
        let reading = method == .get || method == .head
        switch (segments.first, segments.dropFirst().first) {
        case ("healthz", nil) where reading, ("assets", _) where reading, ("sign-in", nil) where reading:
            return nil
        case ("sign-in", nil) where method == .post, ("sign-out", nil) where method == .post:
            return nil
        case ("metrics", nil) where reading:
            return .metrics
        case ("api", "admin"), ("admin", _):
            return .admin
        case ("api", "bulk"), ("bulk", _):
            return .manager
        default:
            return reading ? .viewer : .practitioner
        }
    }

    /// Whether a refusal should be a page (a redirect to sign in, or a page saying why) rather than
    /// `application/problem+json`: a browser asking for HTML, outside `/api/`, with no `Authorization` header.
    static func answersWithPage(_ request: Request) -> Bool {
        request.headers[.authorization] == nil
            && request.uri.path.split(separator: "/").first?.lowercased() != "api"
            && (request.headers[.accept]?.contains("text/html") ?? false)
    }
}
