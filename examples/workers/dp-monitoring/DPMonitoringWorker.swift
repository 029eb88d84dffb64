import CareJourneyCore
import CareJourneyWorker

/// Direct-payment monitoring: signs the agreement when a direct payment is set up, and audits the account once a
/// year; about one audit in four finds money unspent (which the council reclaims, and which triggers a review).
///
///     swift run dp-monitoring-worker [--broker tcp://127.0.0.1:5555]
@main
struct DPMonitoringWorker {
    static func main() async {
        await WorkerCommandLine.run(defaultService: "dp-monitoring") { task, progress in
            switch task.kind {
            case "set-up-direct-payment":
                return .done([:])
            case "dp-audit":
                progress("reconciling the account")
                // A stable pick per task: the same audit finds the same thing on every attempt.
                let finding = task.task.utf8.reduce(0) { ($0 &* 31 &+ Int($1)) & 0xffff }
                let amount = { if case .number(let value) = task.brief["amount"] { value } else { 100.0 } }()
                let unspent = finding % 4 == 0 ? (amount * 4).rounded() : 0
                return .done(["unspent": .number(unspent)])
            default:
                return .failed("dp-monitoring does not handle '\(task.kind)' tasks", retry: false)
            }
        }
    }
}
