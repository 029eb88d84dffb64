import CareJourneyCore
import CareJourneyWire

/// Advocacy: allocates an independent advocate, taking turns through the advocacy service's rota.
public struct AdvocacyRota: ExampleWorker {
    /// The advocacy services on the rota, in turn.
    public static let rota = ["Derbyshire Advocacy Partners", "Peak Advocacy Service", "Independent Voices"]

    public let service = "advocacy"

    /// Creates the advocacy worker.
    public init() {}

    public func answer(_ task: TaskRequest, progress: @Sendable (String) -> Void) -> TaskOutcome {
        guard task.kind == TaskKind.referAdvocacy.rawValue else { return notMine(task) }
        // The same task always gets the same advocate, whichever attempt this is.
        let turn = task.task.utf8.reduce(0) { ($0 &+ Int($1)) } % Self.rota.count
        return .done(["advocate": .string(Self.rota[turn])])
    }
}
