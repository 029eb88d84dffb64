import ArgumentParser
import CareJourneyCore
import CareJourneyKit
import CareJourneyStore
import Foundation

/// The population the search and pages benchmarks run over (`--cases`, `--seed`, `--data-dir`, `--policy`), and the
/// store filled with it once: a later run of either benchmark on the same `--data-dir` reuses it.
struct SearchPopulationOptions: ParsableArguments {
    @Option(help: "How many cases.")
    var cases = 1_000_000

    @Option(help: "The seed of the population (and of the search benchmark's mix).")
    var seed: UInt64 = 2026

    @Option(help: "Keep the store here and fill it once: a later run of the search or pages benchmark reuses it.")
    var dataDir: String?

    @Option(help: "The policy file.")
    var policy = benchmarkPolicyPath()

    /// What a benchmark runs over: the store's folder, its policy and the population in it.
    struct Populated {
        let directory: String
        let policy: Policy
        let population: SearchPopulation
    }

    /// Reads the policy and fills the store in `--data-dir` (else a scratch folder named for `benchmark`), unless a
    /// run with the same population already did; prints which, under the benchmark's title line.
    func populated(for benchmark: String, progress: ProgressOption) async throws -> Populated {
        let rules = try PolicyFile.load(policy)
        let directory = dataDir ?? scratchDirectory(benchmark)
        let population = SearchPopulation(count: cases, seed: seed)
        print("carejourney-bench \(benchmark): \(cases) cases in \(directory)")
        let store = try CaseStore(directory: directory)
        let key = "bench.search.population"
        if let label = try store.meta(key) {
            guard label == population.label else {
                throw ValidationError(
                    "\(directory) holds another \(label); give an empty folder, or --cases and --seed")
            }
            print("  reusing the population in \(directory)")
            return Populated(directory: directory, policy: rules, population: population)
        }
        guard try await store.isEmpty() else {
            throw ValidationError("\(directory) holds a store; give an empty folder")
        }
        let start = ContinuousClock.now
        let templates = try SearchPopulation.templates(policy: rules, now: Date())
        try CasePopulation.write(
            count: population.count, into: directory, policy: rules,
            progress: progress.line("populate", counting: "cases")
        ) { number in
            population.copy(number, of: templates)
        }
        try store.setMeta(key, population.label)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: store.path)[.size] as? Int) ?? 0
        print(
            String(
                format: "  populated in %.0f s (bulk load, once per --data-dir): %.1f GiB", elapsed(since: start),
                Double(bytes) / Double(1 << 30)))
        return Populated(directory: directory, policy: rules, population: population)
    }
}
