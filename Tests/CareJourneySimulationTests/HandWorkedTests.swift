import CareJourneyCore
import CareJourneySimulation
import CareJourneyTestSupport
import Foundation
import Testing

/// A profile small enough to work out by hand: 10 contacts a week, all given information and advice, screened by a
/// team that starts 5 tasks a week, each taking exactly one day. No randomness reaches the figures.
@Suite struct HandWorkedTests {
    static let monday = Date(timeIntervalSince1970: 1_798_416_000)  // 2026-12-28T00:00:00Z, a Monday

    static func profile(staff: Double = 1) -> SimulationProfile {
        SimulationProfile(
            council: "Hand-worked", arrivals: .init(perWeek: 10),
            routes: .init(informationAndAdvice: 1, reablement: 0, interimSupport: 0, assessment: 0),
            outcomes: .init(
                reablementIndependent: 0, eligible: 1,
                funding: .init(directPayment: 0, councilManaged: 1, mixed: 0), reviewPlanChange: 0,
                reviewClosure: 0, s42Enquiry: 0, auditFindsUnspent: 0),
            ratesPerYear: .init(safeguarding: 0, complaint: 0, move: 0, death: 0),
            caseload: .init(inDelivery: 0, lastReviewMonthsAgo: .init(min: 0, max: 12)),
            durations: ["screen-contact": .fixed(1)], defaultDuration: .fixed(1),
            teams: ["practice": .init(staff: staff, tasksPerWeek: 5, overdueAfterDays: 28)])
    }

    /// Contact k (from 0) comes at (k + ½) tenths of a week; the team starts one every fifth of a week, so task k
    /// starts at 0.05 + 0.2k weeks and is done a day later. Week w (from 0):
    /// - created 10, done 5 (tasks 5w … 5w+4 finish in it);
    /// - waiting at its end 5(w+1): 10(w+1) arrived, 5(w+1) started;
    /// - overdue (open over 28 days) at its end max(0, 5w − 35): tasks 5w+5 … 10(w−3)−1;
    /// - in contact at its end 5(w+1), closed in it 5.
    @Test func weeklyFiguresMatchTheHandWorkedOnes() throws {
        let figures = try Simulation(
            policy: try shippedPolicy(), profile: Self.profile(), start: Self.monday, weeks: 12, seed: 7
        ).run()
        let practice = try #require(figures.queues["practice"])
        let weeks = Array(0..<12)
        #expect(figures.arrivals == weeks.map { _ in 10 })
        #expect(practice.created == weeks.map { _ in 10 })
        #expect(practice.done == weeks.map { _ in 5 })
        #expect(practice.waiting == weeks.map { 5 * ($0 + 1) })
        #expect(practice.overdue == weeks.map { max(0, 5 * $0 - 35) })
        #expect(figures.stages["contact"] == weeks.map { 5 * ($0 + 1) })
        #expect(figures.closures == weeks.map { _ in 5 })
        #expect(figures.reviews.due == weeks.map { _ in 0 })
        #expect(figures.refusals == 0)
        // Every other queue saw nothing.
        for (name, queue) in figures.queues where name != "practice" { #expect(queue.created.allSatisfy { $0 == 0 }) }
    }

    /// With twice the staff the team keeps up: nothing waits at a week's end and nothing goes overdue.
    @Test func enoughStaffMeansNoBacklog() throws {
        let figures = try Simulation(
            policy: try shippedPolicy(), profile: Self.profile(staff: 2), start: Self.monday, weeks: 8, seed: 7
        ).run()
        let practice = try #require(figures.queues["practice"])
        #expect(practice.waiting == Array(repeating: 0, count: 8))
        #expect(practice.overdue == Array(repeating: 0, count: 8))
        // Task k starts on arrival, at (k + ½)/10 week, and is done a day (1/7 week) later: 10 a week, but 9 in
        // week 0 (contact 9, at 0.95, finishes in week 1), so one contact is always open at a week's end.
        #expect(practice.done == [9] + Array(repeating: 10, count: 7))
        #expect(figures.stages["contact"] == Array(repeating: 1, count: 8))
    }
}
