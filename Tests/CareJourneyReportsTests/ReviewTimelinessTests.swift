import CareJourneyCore
import CareJourneyReports
import Foundation
import Testing

/// Seven cases whose 6–8-week reviews fall around the second quarter of 2026 (the window opens 6 weeks after
/// sign-off, the review is due at 8):
/// - ada (north): due 27 April, done 20 April: on time. bo (north): due 4 May, done 18 May: late.
/// - cy (south): due 27 May; an unplanned review on 20 April, before the window opened, does not stand for it:
///   missing.
/// - dee (south): signed off in 2025, first formal review on 24 March 2025, so her yearly review was due on
///   24 March 2026 and is not done.
/// - eve (north, then south from 20 June): an unplanned review on 1 June; her first review is due on 6 July (the
///   third quarter) and never done.
/// - fay (no team): due 15 June, done 3 July, after the quarter: missing in it, and in no count of the next.
/// - gus (north): died on 25 April, before his review was due: not counted.
let reviewsScenario = scenario(
    "Review timeliness around a quarter",
    [
        toSignOff("ada", contactOn: "2026-02-24", signOffOn: "2026-03-02", team: "north"),
        review("ada", at: "2026-04-20", "{ type: first-formal }"),
        toSignOff("bo", contactOn: "2026-03-03", signOffOn: "2026-03-09", team: "north"),
        review("bo", at: "2026-05-18", "{ type: first-formal }"),
        toSignOff("cy", contactOn: "2026-03-26", signOffOn: "2026-04-01", team: "south"),
        review("cy", at: "2026-04-20", "{ type: unplanned, reason: hospital }"),
        toSignOff("dee", contactOn: "2025-01-28", signOffOn: "2025-02-03", team: "south"),
        review("dee", at: "2025-03-24", "{ type: first-formal }"),
        toSignOff("eve", contactOn: "2026-05-05", signOffOn: "2026-05-11", team: "north"),
        review("eve", at: "2026-06-01", "{ type: unplanned, reason: change-of-circumstances }"),
        [TimedStep("2026-06-20T09:00:00Z", "eve", "event: reassign, data: { team: south }")],
        toSignOff("fay", contactOn: "2026-04-14", signOffOn: "2026-04-20"),
        review("fay", at: "2026-07-03", "{ type: first-formal }"),
        toSignOff("gus", contactOn: "2026-03-10", signOffOn: "2026-03-16", team: "north"),
        [TimedStep("2026-04-25T09:00:00Z", "gus", "event: close-case, data: { reason: deceased }")],
        [TimedStep(advanceTo: "2026-10-01T00:00:00Z")],
    ])

@Suite struct ReviewTimelinessTests {
    func timeliness(_ period: ReportPeriod, asOf: Date? = nil) throws -> ReviewTimeliness {
        var figures = ReviewTimeliness(period: period, asOf: asOf, calendar: try shippedCalendar())
        for history in try histories(reviewsScenario) { figures.add(history) }
        return figures
    }

    func figures(
        onTime: Int = 0, late: Int = 0, missing: Int = 0, yearlyOverdue: Int = 0, unplanned: [String: Int] = [:]
    ) -> ReviewTimeliness.Figures {
        var figures = ReviewTimeliness.Figures()
        figures.firstOnTime = onTime
        figures.firstLate = late
        figures.firstMissing = missing
        figures.yearlyOverdue = yearlyOverdue
        figures.unplannedByReason = unplanned
        return figures
    }

    /// The figures without the oldest overdue review, which the tests check by its parts.
    func counts(_ figures: ReviewTimeliness.Figures?) -> ReviewTimeliness.Figures? {
        var counted = figures
        counted?.oldestOverdue = nil
        return counted
    }

    @Test func countsFirstReviewsDueInTheQuarterYearlyOverdueAndUnplannedByTeam() throws {
        let q2 = try timeliness(try quarter())
        #expect(
            counts(q2.total)
                == figures(
                    onTime: 1, late: 1, missing: 2, yearlyOverdue: 1,
                    unplanned: ["hospital": 1, "change-of-circumstances": 1]))
        #expect(q2.total.firstDue == 4)
        #expect(q2.byTeam.keys.sorted() == ["north", "south", "unallocated"])
        #expect(counts(q2.byTeam["north"]) == figures(onTime: 1, late: 1, unplanned: ["change-of-circumstances": 1]))
        #expect(counts(q2.byTeam["south"]) == figures(missing: 1, yearlyOverdue: 1, unplanned: ["hospital": 1]))
        #expect(counts(q2.byTeam["unallocated"]) == figures(missing: 1))
        // Due 24 March 2026 at 11:00 UTC; the quarter ends at midnight in London (23:00 UTC) on 30 June.
        let oldest = try #require(q2.total.oldestOverdue)
        #expect((oldest.caseID, oldest.due, oldest.daysOverdue) == ("dee", "2026-03-24", 98))
        #expect(q2.byTeam["south"]?.oldestOverdue == oldest)
        #expect(q2.byTeam["north"]?.oldestOverdue == nil)
    }

    @Test func aReviewDueInOneQuarterCountsThereOnlyAndTheTeamIsTheOneAtTheDueDate() throws {
        let q3 = try timeliness(try ReportPeriod(from: "2026-07-01", to: "2026-09-30"))
        // Fay's review, done in July, was due in June; eve's, due in July, was never done, and she was south's.
        #expect(counts(q3.total) == figures(missing: 1, yearlyOverdue: 1))
        #expect(q3.byTeam.keys.sorted() == ["south"])
        #expect(counts(q3.byTeam["south"]) == figures(missing: 1, yearlyOverdue: 1))
        #expect(q3.total.oldestOverdue?.daysOverdue == 190)
    }

    @Test func printsOneLinePerTeamAndTheUnplannedReasons() throws {
        let lines = try timeliness(try quarter()).text.components(separatedBy: "\n")
        #expect(lines.first == "Review timeliness, 2026-04-01 to 2026-06-30")
        let north = try #require(lines.first { $0.hasPrefix("north ") })
        #expect(north.split(separator: " ") == ["north", "2", "1", "1", "0", "50%", "0", "-"])
        let south = try #require(lines.first { $0.hasPrefix("south ") })
        #expect(south.hasSuffix("dee, due 2026-03-24 (98 days)"))
        #expect(lines.contains("  all teams: change-of-circumstances 1, hospital 1"))
    }

    @Test func aPeriodNotYetOverCountsWhatStandsAtTheTimeOfAsking() throws {
        // 20 May 2026 at midnight UTC: cy's and fay's reviews are not yet due, eve's unplanned review not yet begun.
        // Dee's yearly review, due 24 March, is 57 days overdue on 20 May in London (01:00 BST): days overdue count
        // local days from the due day, not whole 24 hours from the due instant.
        let may20 = Date(timeIntervalSince1970: 1_779_235_200)
        let early = try timeliness(try quarter(), asOf: may20)
        #expect(counts(early.total) == figures(onTime: 1, late: 1, yearlyOverdue: 1, unplanned: ["hospital": 1]))
        #expect(early.total.oldestOverdue?.daysOverdue == 57)
        // A time after the period's end counts as its end.
        let later = try timeliness(try quarter(), asOf: may20.addingTimeInterval(365 * 86_400))
        #expect(later == (try timeliness(try quarter())))
    }

    /// On time and late compare days on the council's calendar: signed off at 10:00 on 2 March, hal's review is due on
    /// 27 April and done at 11:00 that day, an hour after the sign-off's time: on time. Ida's, done the next day at
    /// 10:00, is late.
    @Test func aReviewDoneOnItsDueDayIsOnTimeWhateverTheHour() throws {
        let yaml = scenario(
            "Review timeliness by the day",
            [
                toSignOff("hal", contactOn: "2026-02-24", signOffOn: "2026-03-02"),
                review("hal", at: "2026-04-27", "{ type: first-formal }"),
                toSignOff("ida", contactOn: "2026-02-24", signOffOn: "2026-03-02"),
                [TimedStep("2026-04-28T09:00:00Z", "ida", "event: start-review, data: { type: first-formal }")],
                [TimedStep("2026-04-28T09:30:00Z", "ida", "event: review-completed, data: { outcome: no-change }")],
                [TimedStep(advanceTo: "2026-07-01T00:00:00Z")],
            ])
        var figures = ReviewTimeliness(period: try quarter(), calendar: try shippedCalendar())
        for history in try histories(yaml) { figures.add(history) }
        #expect(counts(figures.total) == self.figures(onTime: 1, late: 1))
    }
}
