import CareJourneyCore

/// A report over a period built from case histories one case at a time, so that it can be made from a store of a
/// million cases without holding them all.
public protocol CaseHistoryReport: Sendable {
    /// The days the report covers.
    var period: ReportPeriod { get }
    /// Adds what one case's history contributes.
    mutating func add(_ history: CaseHistory)
}

extension CLDReturn: CaseHistoryReport {}
extension ReviewTimeliness: CaseHistoryReport {}
extension RequestOutcomes: CaseHistoryReport {}
