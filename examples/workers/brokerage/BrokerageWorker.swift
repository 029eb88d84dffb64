import CareJourneyExampleWorkers
import CareJourneyWorker

/// Brokerage: finds a provider for council-managed support, arranges interim support, and stops services when a
/// case closes (the answers are `BrokerageDesk`'s).
///
///     swift run brokerage-worker [--broker tcp://127.0.0.1:5555]
@main
struct BrokerageWorker {
    static func main() async {
        let desk = BrokerageDesk()
        await WorkerCommandLine.run(defaultService: desk.service) { task, progress in
            desk.answer(task, progress: progress)
        }
    }
}
