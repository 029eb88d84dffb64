import Hummingbird
import Prometheus

/// Times every request into `carejourney_http_request_duration_seconds`, by method, route pattern and status.
///
/// The route is the pattern the router matched (`/api/cases/{id}`, as openapi.yaml names it), never the path, so
/// case ids make no new series; a path no route matches is `NotFound`. The time runs from receipt to the response
/// (bodies here are built whole before they are written). A thrown error counts with its HTTP status, or 500. A
/// method outside HTTP's usual ones is `other`, so that clients cannot make new series at will.
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let registry: PrometheusCollectorRegistry

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let start = ContinuousClock.now
        let status: HTTPResponse.Status
        defer { record(request.method, route: context.endpointPath, status, since: start) }
        do {
            let response = try await next(request, context)
            status = response.status
            return response
        } catch {
            status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            throw error
        }
    }

    private func record(
        _ method: HTTPRequest.Method, route: String?, _ status: HTTPResponse.Status,
        since start: ContinuousClock.Instant
    ) {
        let family = MetricFamily.httpDuration
        registry.makeValueHistogram(
            descriptor: family.descriptor,
            labels: [
                ("method", usualMethods.contains(method) ? method.rawValue : "other"), ("route", route ?? "NotFound"),
                ("status", String(status.code)),
            ],
            buckets: family.buckets
        ).record((ContinuousClock.now - start) / .seconds(1))
    }
}

/// The methods timed under their own names; any other is `other`.
private let usualMethods: Set<HTTPRequest.Method> = [.get, .head, .post, .put, .delete, .patch, .options]

/// A router whose every request an `HTTPMetricsMiddleware` times, from outside the router: it sees the route the
/// router matched, and the requests no route matches.
struct MeasuredRouter<Context: RequestContext>: HTTPResponderBuilder {
    let router: Router<Context>
    let middleware: HTTPMetricsMiddleware<Context>

    func buildResponder() -> Responder { Responder(inner: router.buildResponder(), middleware: middleware) }

    struct Responder: HTTPResponder {
        let inner: RouterResponder<Context>
        let middleware: HTTPMetricsMiddleware<Context>

        func respond(to request: Request, context: Context) async throws -> Response {
            try await middleware.handle(request, context: context) { try await inner.respond(to: $0, context: $1) }
        }
    }
}
