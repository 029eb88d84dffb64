import CareJourneyCore
import Foundation
import Synchronization

/// How far a long command has come, on one line of a terminal rewritten in place: done of total, the rate, and the
/// time left (`verify: 120,000 of 1,000,000 cases (12 %), 9,800/s, 1 min 30 s left`).
///
/// It writes to standard error, and only when both standard output and standard error are terminals: a command's
/// output piped to a file or another program (or its `--json`) never holds it. The line is cleared when the work is
/// done, so the command's own output follows on a clean line. Updates may come from any thread; at most four a
/// second are drawn. Every long command of `carejourney` and `carejourney-bench` shows its progress through it.
///
/// ```swift
/// let progress = ProgressLine("verify", counting: "cases", quiet: quiet || json)
/// defer { progress?.finish() }
/// for (done, item) in items.enumerated() {
///     check(item)
///     progress?.update(done: done + 1, total: items.count)
/// }
/// ```
public final class ProgressLine: Sendable {
    private let title: String
    private let unit: String
    private let started = ContinuousClock.now
    private let lastDrawn = Mutex<ContinuousClock.Instant?>(nil)
    private let counted = Mutex(0)

    /// A progress line, or `nil` when it must not be shown: `quiet`, or output that is not a terminal.
    ///
    /// - Parameters:
    ///   - title: what is being done (`verify`, `backup`), first on the line.
    ///   - unit: what is counted, plural (`cases`, `weeks`).
    ///   - quiet: show nothing (`--quiet`, or `--json` output).
    public init?(_ title: String, counting unit: String, quiet: Bool) {
        guard !quiet, isatty(STDOUT_FILENO) == 1, isatty(STDERR_FILENO) == 1 else { return nil }
        self.title = title
        self.unit = unit
        draw("\(title): starting")
    }

    /// Shows `done` of `total`, unless a line was drawn less than a quarter of a second ago.
    public func update(done: Int, total: Int) {
        let now = ContinuousClock.now
        let due = lastDrawn.withLock { last in
            guard last.map({ now - $0 >= .milliseconds(250) }) ?? true else { return false }
            last = now
            return true
        }
        if due { draw(Self.describe(title, done: done, total: total, unit: unit, elapsed: now - started)) }
    }

    /// Counts one more done of `total` and shows it, as `update` does: for work handed over one item at a time.
    public func advance(of total: Int) {
        update(
            done: counted.withLock { done in
                done += 1
                return done
            }, total: total)
    }

    /// Shows a step that has no count (`backup: encrypting`), at once; a count that follows is shown at once too.
    public func say(_ step: String) {
        lastDrawn.withLock { $0 = nil }
        draw("\(title): \(step)")
    }

    /// Clears the line.
    public func finish() { draw("") }

    private func draw(_ text: String) {
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
    }

    /// `verify: 120,000 of 1,000,000 cases (12 %), 9,800/s, 1 min 30 s left`.
    public static func describe(_ title: String, done: Int, total: Int, unit: String, elapsed: Duration) -> String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(done) / seconds : 0
        var text = "\(title): \(done.grouped) of \(total.grouped) \(unit)"
        if total > 0 { text += " (\(done * 100 / total) %)" }
        if rate > 0 {
            text += ", \(Int(rate).grouped)/s"
            if done < total { text += ", \(span(Double(total - done) / rate)) left" }
        }
        return text
    }

    /// `1 min 30 s`, `45 s`, `2 h 5 min`.
    public static func span(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        return "\(whole / 3600) h \(whole % 3600 / 60) min"
    }
}
