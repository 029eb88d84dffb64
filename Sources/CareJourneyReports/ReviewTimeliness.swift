import CareJourneyCore
import Foundation

/// Review timeliness for a period, read from the histories: first formal (6–8-week) reviews due in the period on
/// time, late or missing; yearly reviews overdue at its end; unplanned reviews started in it by reason. Overall and
/// by team (the team the case had when the review was due, or started). A period that has not ended yet is counted
/// as it stands at `asOf`: what happens later, and a review due later, are not counted. On time and late compare
/// days on the council's calendar, not instants: a review done at 15:00 on its due day is on time, whatever time
/// the plan was signed off; a review counts in the period its due day falls in.
public struct ReviewTimeliness: Codable, Hashable, Sendable {
    /// The figures for all cases or one team.
    public struct Figures: Codable, Hashable, Sendable {
        /// First formal reviews due in the period and completed by their due date.
        public var firstOnTime = 0
        /// … completed after their due date (by the period's end).
        public var firstLate = 0
        /// … not completed by the period's end.
        public var firstMissing = 0
        /// Yearly reviews past their due date and not done at the period's end.
        public var yearlyOverdue = 0
        /// The longest-overdue yearly review.
        public var oldestOverdue: Overdue?
        /// Unplanned reviews started in the period, by reason.
        public var unplannedByReason: [String: Int] = [:]

        /// No reviews counted yet.
        public init() {}

        /// First formal reviews due in the period.
        public var firstDue: Int { firstOnTime + firstLate + firstMissing }
    }

    /// An overdue review: whose, due when (the due day on the council's calendar), and by how many local days at the
    /// period's end.
    public struct Overdue: Codable, Hashable, Sendable {
        public let caseID: String
        public let due: String
        public let daysOverdue: Int
    }

    /// The days the figures cover.
    public let period: ReportPeriod
    public private(set) var total = Figures()
    /// By team; cases with no team are under `unallocated`.
    public private(set) var byTeam: [String: Figures] = [:]

    /// The team name figures for cases without a team go under.
    public static let unallocated = "unallocated"

    /// When overdue reviews are counted: the period's end, or the time the figures are read when that is
    /// earlier (the dashboard's rolling year ends now).
    public let asOf: Date

    /// The council's calendar, whose days decide on time and late.
    public let calendar: CouncilCalendar

    /// Empty figures for `period`, with overdue reviews counted at its end or at `asOf` if that is earlier, and
    /// timeliness judged by the days of `calendar` (the policy's `councilCalendar`).
    public init(period: ReportPeriod, asOf: Date? = nil, calendar: CouncilCalendar) {
        self.period = period
        self.asOf = min(period.end, asOf ?? period.end)
        self.calendar = calendar
    }

    /// Whether a deadline at `due` falls in the figures: its last day is in the period, and it has passed by `asOf`
    /// (a deadline at the end of the period's last day counts in it).
    private func counts(_ due: Date) -> Bool {
        period.start <= calendar.start(of: calendar.deadlineDay(of: due)) && due <= asOf
    }

    /// Adds one case's reviews.
    public mutating func add(_ history: CaseHistory) {
        let start = period.start
        var firstDue: Date?
        for (index, step) in history.steps.enumerated() where step.at < asOf {
            let before = history.state(before: index)
            let after = step.state
            if let due = after.timers[.reviewFirstFormalDue] { firstDue = due }
            if let due = firstDue {
                if !before.reviews.formalReviewDone && after.reviews.formalReviewDone {
                    if counts(due) {
                        let onTime = calendar.isOnTime(step.at, due: due)
                        count(history, at: due) { onTime ? ($0.firstOnTime += 1) : ($0.firstLate += 1) }
                    }
                    firstDue = nil
                } else if after.stage == .closed && after.timers[.reviewFirstFormalDue] == nil {
                    // Closed before the review was done: missing if it was already due, not needed otherwise.
                    if counts(due) && step.at > due { count(history, at: due) { $0.firstMissing += 1 } }
                    firstDue = nil
                }
            }
            if let review = after.reviews.current, review.startedAt != before.reviews.current?.startedAt,
                review.type == .unplanned, step.at >= start
            {
                let reason = review.reason?.rawValue ?? "not-given"
                count(history, at: step.at) { $0.unplannedByReason[reason, default: 0] += 1 }
            }
        }
        if let due = firstDue, counts(due) { count(history, at: due) { $0.firstMissing += 1 } }

        let atEnd = history.steps.last { $0.at < asOf }?.state ?? CaseState(id: history.id)
        let yearlyDue =
            atEnd.reviews.overdue?.type == .planned
            ? atEnd.reviews.overdue?.due : atEnd.timers[.reviewPlannedDue].flatMap { $0 < asOf ? $0 : nil }
        if atEnd.stage.isOpen, let due = yearlyDue {
            let overdue = Overdue(
                caseID: history.id.rawValue, due: calendar.deadlineDay(of: due).description,
                daysOverdue: calendar.deadlineDay(of: asOf).dayNumber - calendar.deadlineDay(of: due).dayNumber)
            count(history, at: asOf.addingTimeInterval(-1)) { (figures: inout Figures) in
                figures.yearlyOverdue += 1
                if overdue.daysOverdue > (figures.oldestOverdue?.daysOverdue ?? -1) { figures.oldestOverdue = overdue }
            }
        }
    }

    private mutating func count(_ history: CaseHistory, at date: Date, _ change: (inout Figures) -> Void) {
        change(&total)
        let team = history.state(at: date).allocation?.team ?? Self.unallocated
        change(&byTeam[team, default: Figures()])
    }

    /// The figures as lines of text: overall, then each team.
    public var text: String {
        var lines = ["Review timeliness, \(period)", ""]
        let rows = [("all teams", total)] + byTeam.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        lines.append(
            "team                      first reviews due  on time  late  missing  on-time %  yearly overdue  oldest overdue"
        )
        for (team, figures) in rows {
            let rate =
                figures.firstDue == 0
                ? "-" : String(format: "%.0f%%", 100.0 * Double(figures.firstOnTime) / Double(figures.firstDue))
            let oldest = figures.oldestOverdue.map { "\($0.caseID), due \($0.due) (\($0.daysOverdue) days)" } ?? "-"
            lines.append(
                team.padding(toLength: 26, withPad: " ", startingAt: 0)
                    + [
                        String(figures.firstDue).leftPadded(17), String(figures.firstOnTime).leftPadded(8),
                        String(figures.firstLate).leftPadded(5), String(figures.firstMissing).leftPadded(8),
                        rate.leftPadded(10), String(figures.yearlyOverdue).leftPadded(15),
                    ].joined(separator: " ") + "  " + oldest)
        }
        lines += ["", "Unplanned reviews started, by reason"]
        for (team, figures) in rows where !figures.unplannedByReason.isEmpty || team == "all teams" {
            let reasons = figures.unplannedByReason.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            lines.append("  \(team): " + (reasons.isEmpty ? "none" : reasons.joined(separator: ", ")))
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
