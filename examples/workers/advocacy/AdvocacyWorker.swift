import CareJourneyExampleWorkers
import CareJourneyWorker

/// Advocacy: allocates an independent advocate, taking turns through the advocacy service's rota (the answers are
/// `AdvocacyRota`'s).
///
///     swift run advocacy-worker [--broker tcp://127.0.0.1:5555]
@main
struct AdvocacyWorker {
    static func main() async {
        let rota = AdvocacyRota()
        await WorkerCommandLine.run(defaultService: rota.service) { task, progress in
            rota.answer(task, progress: progress)
        }
    }
}
