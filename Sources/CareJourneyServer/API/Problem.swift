import CareJourneyCore
import CareJourneyStore
import Foundation
import HTTPTypes
import Hummingbird

/// An error answer in `application/problem+json` (RFC 9457): what is wrong, which field, and how to fix it.
///
/// A route throws it and Hummingbird answers with it (`HTTPResponseError`), so a handler's happy path is its only
/// path: `guard let figures = … else { throw Problem.storeUnreadable }`.
public struct Problem: Error, Codable, Sendable, Equatable, HTTPResponseError {
    /// A URI-like name for the kind of problem (`/problems/not-accepted`).
    public var type: String
    /// A short summary of the kind of problem.
    public var title: String
    /// The HTTP status code (`status` in the JSON).
    public var code: Int
    /// What is wrong here, and how to fix it.
    public var detail: String
    /// The field at fault (`data.weeklyCost`, `state`), when one is.
    public var field: String?
    /// For a refused event: the events the case would accept.
    public var accepted: [String]?
    /// For a rule not met: what is missing.
    public var missing: [String]?
    /// For a bulk action to confirm: how many items it would affect.
    public var count: Int?
    /// Headers the answer carries beside the body (`Retry-After`, `Idempotent-Replayed`); not part of the JSON.
    public var headers: HTTPFields = [:]

    /// Creates a problem.
    public init(
        _ status: Int, _ code: String, _ title: String, _ detail: String, field: String? = nil,
        accepted: [String]? = nil, missing: [String]? = nil
    ) {
        type = "/problems/\(code)"
        self.title = title
        self.code = status
        self.detail = detail
        self.field = field
        self.accepted = accepted
        self.missing = missing
    }

    private enum CodingKeys: String, CodingKey {
        case type, title, code = "status", detail, field, accepted, missing, count
    }

    /// The HTTP status, for Hummingbird.
    public var status: HTTPResponse.Status { HTTPResponse.Status(code: code) }

    /// The problem as an answer: its JSON and its headers. The one place a problem becomes an answer: routes and the
    /// middleware that refuses requests before any route runs (`RequestGuard`, `AccessMiddleware`) throw it, and
    /// `SecurityHeaders` answers with this.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = Response.json(self, status: code, contentType: "application/problem+json")
        response.headers.append(contentsOf: headers)
        return response
    }

    /// 503: the store could not be read just now.
    static let storeUnreadable = Problem(503, "unavailable", "The store could not be read", "try again shortly")

    /// 400: the request itself is malformed.
    static func badRequest(_ detail: String, field: String? = nil) -> Problem {
        Problem(400, "bad-request", "The request is malformed", detail, field: field)
    }

    /// 404: no such case.
    static func noSuchCase(_ id: String) -> Problem {
        Problem(
            404, "not-found", "No such case", "there is no case '\(id)'; list cases with GET /api/cases", field: "id")
    }

    /// 403: a case with an open safeguarding enquiry outside the reader's team is opened only with a reason.
    static func reasonNeeded(_ why: String, caseID: CaseID) -> Problem {
        Problem(
            403, "reason-needed", "Say why you need to open this case",
            "\(why); say why you need to open it, and it is recorded and shown to managers: "
                + "GET /api/cases/\(caseID.rawValue)?reason=…",
            field: "reason")
    }

    /// 503: a read that could not be recorded in the access log does not go ahead.
    static func unrecorded(_ error: StoreError) -> Problem {
        Problem(
            503, "read-not-recorded", "The read could not be recorded",
            "every read of a person's record is recorded before it is shown, and this one could not be "
                + "(\(error.message)); nothing was shown: try again shortly, and tell the service's operators if it "
                + "goes on")
    }

    /// The answer for an event the core refused.
    init(_ error: TransitionError) {
        switch error.code {
        case .unknownEvent:
            self.init(422, error.code.rawValue, "Unknown event", error.message, field: "name")
        case .invalidData:
            self.init(
                422, error.code.rawValue, "Invalid event data", error.message,
                field: error.field.map { "data.\($0)" } ?? "data")
        case .notAccepted:
            self.init(
                409, error.code.rawValue, "The case does not accept this event now", error.message, field: "name",
                accepted: error.accepted.map(\.rawValue))
        case .guardFailed:
            self.init(409, error.code.rawValue, "A rule is not met", error.message, missing: error.missing)
        default:
            self.init(409, error.code.rawValue, "The event no longer applies", error.message)
        }
    }

    /// The answer for a store failure: nothing was committed, so a retry with the same key is safe.
    init(_ error: StoreError) {
        self.init(
            503, "unavailable", "The store could not commit",
            "\(error.message); nothing was changed, retry with the same Idempotency-Key")
    }

    /// The answer for a request its principal may not make: 401 when signing in would answer it, else 403.
    init(_ error: AccessError) {
        let detail = error.message + (error.hint.map { "; \($0)" } ?? "")
        switch error.code {
        case .unauthenticated, .invalidCredentials:
            self.init(401, error.code.rawValue, "Sign-in required", detail)
            // RFC 9110: a 401 says how to authenticate; RFC 6750: a token that was given and refused is invalid.
            headers[.wwwAuthenticate] =
                "Bearer realm=\"CareJourney\"" + (error.code == .invalidCredentials ? ", error=\"invalid_token\"" : "")
        case .actorMismatch:
            self.init(403, error.code.rawValue, "You cannot act as someone else", detail, field: "actor")
        default:
            self.init(403, error.code.rawValue, "Your role does not allow this", detail)
        }
    }

    /// The same problem, answered with `value` in the header `name` too.
    func with(_ name: HTTPField.Name, _ value: String) -> Problem {
        var problem = self
        problem.headers[name] = value
        return problem
    }
}

extension Response {
    /// A JSON response (sorted keys, ISO 8601 dates).
    static func json<T: Encodable>(_ value: T, status: Int = 200, contentType: String = "application/json") -> Response
    {
        let data = (try? APIJSON.encoder.encode(value)) ?? Data("{}".utf8)
        return raw(data, status: status, contentType: contentType)
    }

    /// A response with these bytes.
    static func raw(_ data: Data, status: Int, contentType: String = "application/json") -> Response {
        Response(
            status: HTTPResponse.Status(code: status), headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The API's JSON coders.
enum APIJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
