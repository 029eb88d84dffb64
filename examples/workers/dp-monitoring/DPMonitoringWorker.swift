import CareJourneyExampleWorkers
import CareJourneyWorker

/// Direct-payment monitoring: signs the agreement when a direct payment is set up, and audits the account once a
/// year, sometimes finding money unspent (the answers are `DirectPaymentMonitor`'s).
///
///     swift run dp-monitoring-worker [--broker tcp://127.0.0.1:5555]
@main
struct DPMonitoringWorker {
    static func main() async {
        let monitor = DirectPaymentMonitor()
        await WorkerCommandLine.run(defaultService: monitor.service) { task, progress in
            monitor.answer(task, progress: progress)
        }
    }
}
