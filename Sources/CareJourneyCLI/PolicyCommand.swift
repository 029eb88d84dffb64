import ArgumentParser
import CareJourneyCore
import CareJourneyKit

/// `carejourney policy check FILE`.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Work with council policy files.", subcommands: [Check.self])

    /// Validates policy files and prints a summary of each.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate policy files: exit 0 when all are valid, 1 with file:line and a hint when not.")

        @Argument(help: "Policy files to check.")
        var files: [String]

        func run() throws {
            var failed = false
            for file in files {
                do {
                    let policy = try PolicyFile.load(file)
                    let explored = JourneyExplorer(policy: policy, maxDepth: 10).explore()
                    guard explored.violations.isEmpty else {
                        failed = true
                        printError("\(file): the journey breaks a promise under this policy:")
                        for violation in explored.violations.prefix(5) { printError("  \(violation)") }
                        continue
                    }
                    let reviews = policy.reviews
                    print(
                        "\(file): ok — \(policy.council): reablement \(policy.reablement.maximum) checked every "
                            + "\(policy.reablement.checkEvery); reviews \(reviews.informalAfter) / "
                            + "\(reviews.firstFormalOpens)–\(reviews.firstFormalDue) / \(reviews.plannedInterval); "
                            + "DP audit every \(policy.directPayments.auditEvery); high cost above "
                            + "\(policy.highCost.weeklyThreshold) a week; \(Set(policy.queues.values).count) queues")
                } catch {
                    failed = true
                    printError(error.description)
                }
            }
            if failed { throw ExitCode.failure }
        }
    }
}
