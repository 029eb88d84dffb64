import CareJourneyCore
import CareJourneyWorker

/// Advocacy: allocates an independent advocate, taking turns through the advocacy service's rota.
///
///     swift run advocacy-worker [--broker tcp://127.0.0.1:5555]
@main
struct AdvocacyWorker {
    static let rota = ["Derbyshire Advocacy Partners", "Peak Advocacy Service", "Independent Voices"]

    static func main() async {
        await WorkerCommandLine.run(defaultService: "advocacy") { task, _ in
            guard task.kind == "refer-advocacy" else {
                return .failed("advocacy does not handle '\(task.kind)' tasks", retry: false)
            }
            // The same task always gets the same advocate, whichever attempt this is.
            let turn = task.task.utf8.reduce(0) { ($0 &+ Int($1)) } % rota.count
            return .done(["advocate": .string(rota[turn])])
        }
    }
}
