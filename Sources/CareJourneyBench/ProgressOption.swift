import ArgumentParser
import CareJourneyKit

/// `--quiet`: no progress line while a benchmark fills its store or runs its load. The line is shown only on a
/// terminal anyway (`ProgressLine`), so figures piped to a file never hold it.
struct ProgressOption: ParsableArguments {
    @Flag(help: "Show no progress line (it is shown only on a terminal anyway).")
    var quiet = false

    /// A progress line for `title`, counting `unit`, unless `--quiet` or not on a terminal.
    func line(_ title: String, counting unit: String) -> ProgressLine? {
        ProgressLine(title, counting: unit, quiet: quiet)
    }
}
