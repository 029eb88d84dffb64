import CareJourneyCore
import Foundation
import Testing
import CareJourneyTestSupport

@testable import CareJourneyKit

/// `served-by:`: each queue is served by people or by workers, and the policy file says which for every queue.
@Suite struct ServedByPolicyFileTests {
    let files = PolicyFileTests()

    @Test func theShippedCouncilsSayWhoServesEachQueue() throws {
        for name in ["derbyshire", "wiltshire"] {
            let policy = try PolicyFile.load(Repository.path("workflows/\(name).yaml"))
            for queue in Set(policy.queues.values) { #expect(policy.servedBy?[queue] != nil, "\(name): \(queue)") }
            #expect(policy.server(of: "practice") == .people)
            #expect(policy.server(of: "safeguarding") == .people)
            #expect(policy.server(of: "brokerage") == .workers)
            #expect(policy.server(of: "review-reminders") == .workers)
            #expect(policy.peopleQueues.contains("team-manager"))
            #expect(!policy.peopleQueues.contains("advocacy"))
        }
    }

    @Test func aQueueNoListNamesIsAnErrorNamingItAndItsTasks() throws {
        let error = try #require(
            try files.policyError(replacing: ", review-reminders]", with: "]"))
        #expect(error.code == .missingKey)
        #expect(error.key == "served-by")
        #expect(
            error.message
                == "the queue 'review-reminders' (for charging-reminder, review-reminder) is not said to be served by people or by workers")
        #expect(error.hint?.contains("add 'review-reminders' to `people:`") == true)
        #expect(error.line == (try files.line(of: "  people: [")))
    }

    @Test func aQueueListedTwiceOrUnderBothIsAnError() throws {
        let both = try #require(
            try files.policyError(replacing: "workers: [brokerage,", with: "workers: [practice, brokerage,"))
        #expect(both.code == .inconsistent)
        #expect(both.message == "the queue 'practice' is listed under both people and workers")
        #expect(both.key == "served-by.workers[0]")
        let twice = try #require(
            try files.policyError(replacing: "workers: [brokerage,", with: "workers: [brokerage, brokerage,"))
        #expect(twice.message == "the queue 'brokerage' is listed twice")
    }

    @Test func theSectionIsRequiredAndItsKeysAreKnown() throws {
        let text = try String(contentsOfFile: Repository.path("workflows/derbyshire.yaml"), encoding: .utf8)
        let without = text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("served-by:") && !$0.hasPrefix("  people:") && !$0.hasPrefix("  workers:") }
            .joined(separator: "\n")
        do {
            _ = try PolicyFile.parse(without, file: "council.yaml")
            Issue.record("a policy without served-by was taken")
        } catch {
            #expect(error.code == .missingKey)
            #expect(error.message == "the key 'served-by' is missing")
        }
        let unknown = try #require(try files.policyError(replacing: "  workers: [", with: "  robots: ["))
        #expect(unknown.code == .unknownKey)
        #expect(unknown.hint?.hasPrefix("did you mean") == true || unknown.hint?.contains("people, workers") == true)
    }
}
