import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Processor time taken at one moment, to be subtracted from a later sample: this process's, the PostgreSQL
/// server's (the postmaster given and its children, the connections' backends among them) and the machine's, from
/// /proc (zero where there is none).
struct ProcessorSample {
    /// This process's user and system time, in seconds.
    let process: Double
    /// The PostgreSQL server's, in seconds, when its postmaster's PID was given.
    let postgres: Double?
    /// The machine's busy and total time over all processors (/proc/stat), in seconds.
    let machineBusy: Double
    let machineTotal: Double

    /// Takes a sample now; `postmaster` is the PostgreSQL server's PID, when known.
    init(postmaster: Int32?) {
        process = processorSeconds()
        postgres = postmaster.map(Self.server)
        (machineBusy, machineTotal) = Self.machine()
    }

    /// What happened between `earlier` and this sample, over `seconds` of wall time: "the bench process 1.2 cores,
    /// PostgreSQL 0.6, the machine busy 97% (every process on it)".
    func since(_ earlier: ProcessorSample, seconds: Double) -> String {
        var parts = [String(format: "this process %.2f cores", (process - earlier.process) / seconds)]
        if let postgres, let before = earlier.postgres {
            parts.append(String(format: "PostgreSQL %.2f cores", (postgres - before) / seconds))
        }
        let total = machineTotal - earlier.machineTotal
        if total > 0 {
            parts.append(
                String(
                    format: "the machine busy %.0f%% (every process on it)",
                    (machineBusy - earlier.machineBusy) / total * 100))
        }
        return parts.joined(separator: ", ")
    }

    /// Seconds this process used between `earlier` and this sample.
    func processSeconds(since earlier: ProcessorSample) -> Double { process - earlier.process }

    private static let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// The postmaster's time (with its children that ended) and its living children's, in seconds.
    private static func server(_ postmaster: Int32) -> Double {
        guard let pids = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return 0 }
        var total = 0.0
        for pid in pids where pid.allSatisfy(\.isNumber) {
            guard let fields = stat(of: pid) else { continue }
            // After the command's closing parenthesis: state (0), ppid (1), …, utime (11), stime (12), cutime (13),
            // cstime (14).
            if pid == String(postmaster) {
                total += fields[11...14].compactMap { Double($0) }.reduce(0, +)
            } else if fields[1] == String(postmaster) {
                total += fields[11...12].compactMap { Double($0) }.reduce(0, +)
            }
        }
        return total / ticks
    }

    /// The fields of /proc/PID/stat after the command's name, or nil.
    private static func stat(of pid: String) -> [String]? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ").map(String.init)
        return fields.count > 14 ? fields : nil
    }

    /// The machine's busy and total processor time from /proc/stat's first line, in seconds.
    private static func machine() -> (busy: Double, total: Double) {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = text.split(separator: "\n").first, line.hasPrefix("cpu ")
        else { return (0, 0) }
        let values = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard values.count >= 5 else { return (0, 0) }
        // user nice system idle iowait irq softirq steal …: idle and iowait are not busy; guest is within user.
        let counted = Array(values.prefix(8))
        let total = counted.reduce(0, +)
        return ((total - counted[3] - counted[4]) / ticks, total / ticks)
    }
}
