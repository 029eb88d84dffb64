import CareJourneyCore
import CareJourneyWire

/// Direct-payment monitoring: signs the agreement when a direct payment is set up, and audits the account once a
/// year; about one audit in four finds money unspent (which the council reclaims, and which triggers a review).
public struct DirectPaymentMonitor: ExampleWorker {
    public let service = "dp-monitoring"

    /// Creates the direct-payment monitoring worker.
    public init() {}

    public func answer(_ task: TaskRequest, progress: @Sendable (String) -> Void) -> TaskOutcome {
        switch task.kind {
        case TaskKind.setUpDirectPayment.rawValue:
            return .done([:])
        case TaskKind.dpAudit.rawValue:
            progress("reconciling the account")
            // A stable pick per task: the same audit finds the same thing on every attempt.
            let finding = task.task.utf8.reduce(0) { ($0 &* 31 &+ Int($1)) & 0xffff }
            let amount = task.brief["amount"]?.number ?? 100
            let unspent = finding % 4 == 0 ? (amount * 4).rounded() : 0
            return .done(["unspent": .number(unspent)])
        default:
            return notMine(task)
        }
    }
}
