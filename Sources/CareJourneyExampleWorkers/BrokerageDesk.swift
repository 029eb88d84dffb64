import CareJourneyCore
import CareJourneyWire
import CareJourneyWorker

/// Brokerage: finds a provider for council-managed support from a sample list (the first that offers every
/// service asked for within the weekly budget, else the cheapest that offers them), arranges interim support,
/// and stops services when a case closes.
public struct BrokerageDesk: ExampleWorker {
    /// A provider in the sample list.
    public struct Provider: Sendable, Equatable {
        public let name: String
        /// The services it offers: a service asked for matches when it contains one of these words.
        public let offers: Set<String>
        /// Its weekly charge, in pounds.
        public let weeklyRate: Double
    }

    /// The sample list of providers.
    public static let providers = [
        Provider(name: "Sunrise Home Care", offers: ["home care", "personal care", "meals"], weeklyRate: 215.5),
        Provider(
            name: "Peak District Support", offers: ["home care", "day activities", "personal care"], weeklyRate: 260),
        Provider(name: "Derwent Live-in Care", offers: ["live-in care", "home care"], weeklyRate: 980),
        Provider(name: "Rapid Response Care", offers: ["interim support", "home care"], weeklyRate: 310),
    ]

    public let service = "brokerage"

    /// Creates the brokerage worker.
    public init() {}

    /// The provider for these services and budget.
    public static func match(services: [String], budget: Double?) -> Provider {
        let wanted = Set(services.map { $0.lowercased() })
        let able = providers.filter { provider in
            wanted.allSatisfy { need in provider.offers.contains { need.contains($0) } }
        }
        let candidates = able.isEmpty ? providers : able
        if let budget, let affordable = candidates.first(where: { $0.weeklyRate <= budget }) { return affordable }
        return candidates.min { $0.weeklyRate < $1.weeklyRate }!
    }

    public func answer(_ task: TaskRequest, progress: @Sendable (String) -> Void) -> TaskOutcome {
        switch task.kind {
        case TaskKind.findProvider.rawValue, TaskKind.arrangeInterimSupport.rawValue:
            progress(
                "matching \(task.brief["services"].map { "\($0)" } ?? "services") against \(Self.providers.count) providers"
            )
            let services = task.brief["services"]?.arrayOfStrings ?? []
            let provider = Self.match(services: services, budget: task.brief["weeklyBudget"]?.number)
            return .done(["provider": .string(provider.name), "weeklyCost": .number(provider.weeklyRate)])
        case TaskKind.endServices.rawValue:
            return .done([:])
        default:
            return notMine(task)
        }
    }
}
