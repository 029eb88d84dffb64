import ArgumentParser

/// The options of the benchmarks over a large population of open cases (`million`, `reports`): how many, where the
/// store is kept, the policy, and the progress line.
struct PopulationOptions: ParsableArguments {
    @Option(help: "How many open cases.")
    var cases = 1_000_000

    @Option(help: "Keep the store here (default: a scratch folder).")
    var dataDir: String?

    @Option(help: "The policy file.")
    var policy = benchmarkPolicyPath()

    @OptionGroup var progress: ProgressOption
}
