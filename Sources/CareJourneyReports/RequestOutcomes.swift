import CareJourneyCore
import Foundation

/// What followed the requests from new clients that ended in a period (the SALT "sequel"): reablement,
/// long-term support by setting, other short-term support, information and advice, or no services. Every contact
/// is a new client's request: a case takes a contact only when it is new or closed.
///
/// A request that led to an assessment takes its sequel from what followed by the period's end: long-term support
/// once a plan is signed off, no services if the case closed, "not yet known" while it is under way.
public struct RequestOutcomes: Codable, Hashable, Sendable {
    /// The days the figures cover.
    public let period: ReportPeriod
    /// Requests that ended in the period.
    public private(set) var requests = 0
    /// By sequel (its words as SALT writes them).
    public private(set) var bySequel: [String: Int] = [:]
    /// By client type, then sequel.
    public private(set) var byClientType: [String: [String: Int]] = [:]

    /// No requests yet.
    public init(period: ReportPeriod) { self.period = period }

    /// Adds the requests of one case.
    public mutating func add(_ history: CaseHistory) {
        let (start, end) = (period.start, period.end)
        var pending: (endedAt: Date, clientType: ClientType)?
        func settle(_ sequel: CLDCodes.Sequel) {
            guard let request = pending else { return }
            if start <= request.endedAt && request.endedAt < end { tally(sequel, request.clientType) }
            pending = nil
        }
        var open: ClientType?
        for (index, step) in history.steps.enumerated() where step.at < end {
            let before = history.state(before: index)
            let after = step.state
            if case .contact(let contact) = step.event {
                settle(.notYetKnown)
                open = contact.clientType
                continue
            }
            if let clientType = open, before.stage == .contact, after.stage != .contact {
                open = nil
                pending = (step.at, clientType)
                switch step.event {
                case .offerReablement: settle(.reablement)
                case .startInterimSupport: settle(.otherShortTerm)
                case .startAssessment: break
                default: settle(.closed(after.closure?.reason))
                }
            } else if pending != nil {
                if before.firstSignedOffAt == nil, after.firstSignedOffAt != nil {
                    settle(.longTerm(after.signedOffPlan))
                } else if after.stage == .closed || after.stage == .transferring {
                    settle(.closed(after.closure?.reason))
                }
            }
        }
        settle(.notYetKnown)
    }

    private mutating func tally(_ sequel: CLDCodes.Sequel, _ clientType: ClientType) {
        requests += 1
        bySequel[sequel.rawValue, default: 0] += 1
        byClientType[CLDCodes.clientType(clientType), default: [:]][sequel.rawValue, default: 0] += 1
    }

    /// The figures as lines of text.
    public var text: String {
        var lines = ["Requests from new clients ended \(period): \(requests)", ""]
        let clientTypes = byClientType.keys.sorted()
        lines.append(
            "sequel".padding(toLength: 52, withPad: " ", startingAt: 0)
                + (["all"] + clientTypes).map { $0.leftPadded(14) }.joined())
        for sequel in CLDCodes.Sequel.allCases {
            let counts = [bySequel[sequel.rawValue] ?? 0] + clientTypes.map { byClientType[$0]?[sequel.rawValue] ?? 0 }
            lines.append(
                sequel.rawValue.padding(toLength: 52, withPad: " ", startingAt: 0)
                    + counts.map { String($0).leftPadded(14) }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
