import ArgumentParser
import CareJourneyCore
import CareJourneyKit
import CareJourneyStore
import Foundation

/// Disposal beside a working engine: how long a run over many closed cases takes, and how long a command waits
/// meanwhile, with the run in one step (as before issue 21) and in steps of `--batch` cases.
struct DisposalBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispose",
        abstract: "A disposal run beside a working engine: its time, and the wait of a command sent meanwhile.")

    @Option(help: "Closed cases past their retention period.")
    var cases = 2_000

    @Option(help: "Cases a step removes (the store's own: CaseStore.disposalBatch).")
    var batch = CaseStore.disposalBatch

    @Option(help: "The policy file.")
    var policy = benchmarkPolicyPath()

    @OptionGroup var progress: ProgressOption

    func run() async throws {
        let rules = try PolicyFile.load(policy)
        guard let schedule = rules.retention else { throw ValidationError("\(policy) has no retention schedule") }
        print("carejourney-bench dispose: \(cases) closed cases past their period, one client sending contacts")
        for (name, batch) in [("one step (before issue 21)", cases), ("in steps of \(batch)", batch)] {
            let directory = scratchDirectory("dispose")
            let now = Date()
            // Closed after support eleven years ago: past every period of the schedule but the safeguarding one.
            let path = EventCatalog.pathToDelivery.map { CasePopulation.Step.event($0.name, $0.data) }
            let closed = try CasePopulation.Template(
                steps: path + [.event(.closeCase, ["reason": "deceased"]), .event(.servicesEnded, [:])],
                allocation: .nobody, at: now.addingTimeInterval(-11 * 365 * 86_400), policy: rules)
            try CasePopulation.write(
                count: cases, into: directory, policy: rules, progress: progress.line("populate", counting: "cases")
            ) { number in CasePopulation.Copy(template: closed, name: "Person \(number)") }
            let store = try CaseStore(directory: directory)
            let engine = try await Engine(store: store, policy: rules)
            let contact = try Event(
                name: "contact", data: ["name": "Bench Person", "clientType": "adult", "route": "gp"])
            let (seconds, waits, disposed) = try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await engine.run() }
                let plan = try await store.planDisposal(asOf: now, under: schedule, policy: rules.id)
                let client = Task {
                    var waits = SearchMix.Timings()
                    while !Task.isCancelled {
                        let sent = ContinuousClock.now
                        _ = try await engine.apply(Command(caseID: nil, event: contact, actor: "bench", at: now))
                        waits.add(elapsed(since: sent) * 1000, to: "contact")
                    }
                    return waits
                }
                let started = ContinuousClock.now
                let report = try await engine.dispose(plan, by: "bench", at: now, batch: batch)
                let seconds = elapsed(since: started)
                client.cancel()
                let waits = try await client.value
                engine.stopAccepting()
                try await group.waitForAll()
                return (seconds, waits, report.count(.disposed))
            }
            print(
                String(
                    format:
                        "  %@: %d disposed in %.2f s; %d contacts answered meanwhile, wait p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                    name, disposed, seconds, waits.byShape["contact"]?.count ?? 0, waits.percentile(0.5),
                    waits.percentile(0.99), waits.percentile(1)))
        }
    }
}
