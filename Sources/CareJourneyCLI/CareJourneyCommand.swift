import ArgumentParser

/// `carejourney`: runs an English council's adult social care journey as typed, durable state machines.
@main
struct CareJourneyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "carejourney",
        abstract: "Runs an English council's adult social care journey as typed state machines.",
        subcommands: [
            DemoCommand.self, ServeCommand.self, ScenarioCommand.self, SimulateCommand.self, PolicyCommand.self, StoreCommand.self,
            ReportCommand.self, AuditCommand.self, DiagramCommand.self, KeysCommand.self, TokensCommand.self,
            CalendarCommand.self,
        ])
}
