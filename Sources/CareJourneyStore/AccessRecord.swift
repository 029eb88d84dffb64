import CareJourneyCore
import Foundation

/// A read of personal data, recorded before the data is shown (`Engine.recordRead`): who, when, how, which cases,
/// and — for a search — what was asked, for an export what was written, for a break-the-glass view why.
///
/// What a subject access request or an investigation reads back (`CaseStore.accessLog`): "who looked at Mrs X's
/// record, when, how and why".
public struct AccessRecord: Codable, Sendable, Equatable {
    /// How the data was read.
    public enum Channel: String, Codable, Sendable, CaseIterable {
        /// A case's page on the dashboard.
        case page
        /// A case through the API (`GET /api/cases/{id}`).
        case api
        /// A search or list of cases (the API's `GET /api/cases`, the dashboard's case list), with the cases
        /// returned.
        case search
        /// A list of cases in another page (a queue's failed tasks).
        case list
        /// A report or export written from the store (`carejourney report`).
        case export
        /// An audit of reads (`carejourney audit reads`).
        case audit
        /// A view recorded before reads were recorded in full (schema v10 and older): page or API.
        case view
    }

    /// Who read: the signed-in name, `local`, or for a command-line export the system user (`unix:alice`).
    public var actor: String
    public var at: Date
    public var channel: Channel
    /// The cases whose data was returned, in the order shown.
    public var cases: [CaseID]
    /// A search's query (its parameters as given), or the report's period.
    public var query: String?
    /// What else says what was read: an export's file and row count, a page's name.
    public var detail: String?
    /// Why, when the reader had to say (a case with an open safeguarding enquiry outside their team).
    public var reason: String?

    public init(
        actor: String, at: Date, channel: Channel, cases: [CaseID], query: String? = nil, detail: String? = nil,
        reason: String? = nil
    ) {
        self.actor = actor
        self.at = at
        self.channel = channel
        self.cases = cases
        self.query = query
        self.detail = detail
        self.reason = reason
    }
}

/// Which reads to list: of some cases, by someone, in a period (each condition optional).
public struct AccessQuery: Sendable, Equatable {
    public var cases: [CaseID]?
    public var actor: String?
    public var from: Date?
    /// Exclusive.
    public var to: Date?
    /// At most this many, newest first.
    public var limit: Int

    public init(cases: [CaseID]? = nil, actor: String? = nil, from: Date? = nil, to: Date? = nil, limit: Int = 1000) {
        self.cases = cases
        self.actor = actor
        self.from = from
        self.to = to
        self.limit = limit
    }
}
