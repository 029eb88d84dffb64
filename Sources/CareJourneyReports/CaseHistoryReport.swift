import CareJourneyCore

/// A report over a period built from case histories one case at a time, so that it can be made from a store of a
/// million cases without holding them all.
public protocol CaseHistoryReport: Sendable {
    /// The days the report covers.
    var period: ReportPeriod { get }
    /// Adds what one case's history contributes.
    mutating func add(_ history: CaseHistory)
    /// Cases whose histories the report needs once more, after every case was added (none for most reports; the
    /// cases of ASCOF's people seen in more than one case).
    var casesToReadAgain: [CaseID] { get }
    /// Adds the history of one of `casesToReadAgain`, read after every case was added; they come in order of id.
    mutating func addAgain(_ history: CaseHistory)
}

extension CaseHistoryReport {
    public var casesToReadAgain: [CaseID] { [] }
    public mutating func addAgain(_ history: CaseHistory) {}
}

extension CLDReturn: CaseHistoryReport {}
extension ReviewTimeliness: CaseHistoryReport {}
extension RequestOutcomes: CaseHistoryReport {}
