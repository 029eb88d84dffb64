import ArgumentParser

/// `carejourney`: runs an English council's adult social care journey as typed, durable state machines.
@main
struct CareJourneyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "carejourney",
        abstract: "Runs an English council's adult social care journey as typed state machines.",
        subcommands: [ScenarioCommand.self, PolicyCommand.self, DiagramCommand.self])
}
