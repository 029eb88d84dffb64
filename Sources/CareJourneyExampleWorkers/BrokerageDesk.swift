import CareJourneyCore
import CareJourneyWire

/// Brokerage: finds a provider for council-managed support from a sample list (the first that offers every
/// service asked for within the weekly budget, else the cheapest that offers them), arranges interim support,
/// and stops services when a case closes. Its reply gives the provider's price as the CLD return wants it too: the
/// unit cost, the unit, the units a week and the CQC location (docs/tasks.md, brokerage replies).
public struct BrokerageDesk: ExampleWorker {
    /// A provider in the sample list.
    public struct Provider: Sendable, Equatable {
        public let name: String
        /// The services it offers: a service asked for matches when it contains one of these words.
        public let offers: Set<String>
        /// Its price for one unit, in pounds, and what a unit is (`hourly`, `weekly`, …: a `CostUnit`).
        public let unitCost: Double
        public let unitType: String
        /// The units a week it plans for a package.
        public let unitsPerWeek: Double
        /// Its CQC location (made up, in CQC's form).
        public let cqcLocationID: String

        /// Its weekly charge, in pounds.
        public var weeklyRate: Double { (unitCost * unitsPerWeek * 100).rounded() / 100 }
    }

    /// The sample list of providers.
    public static let providers = [
        Provider(
            name: "Sunrise Home Care", offers: ["home care", "personal care", "meals"], unitCost: 21.55,
            unitType: "hourly", unitsPerWeek: 10, cqcLocationID: "1-101010101"),
        Provider(
            name: "Peak District Support", offers: ["home care", "day activities", "personal care"], unitCost: 26,
            unitType: "hourly", unitsPerWeek: 10, cqcLocationID: "1-202020202"),
        Provider(
            name: "Derwent Live-in Care", offers: ["live-in care", "home care"], unitCost: 980, unitType: "weekly",
            unitsPerWeek: 1, cqcLocationID: "1-303030303"),
        Provider(
            name: "Rapid Response Care", offers: ["interim support", "home care"], unitCost: 31, unitType: "hourly",
            unitsPerWeek: 10, cqcLocationID: "1-404040404"),
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
            return .done([
                "provider": .string(provider.name), "weeklyCost": .number(provider.weeklyRate),
                "unitCost": .number(provider.unitCost), "unitType": .string(provider.unitType),
                "plannedUnitsPerWeek": .number(provider.unitsPerWeek), "cqcLocationID": .string(provider.cqcLocationID),
            ])
        case TaskKind.endServices.rawValue:
            return .done([:])
        default:
            return notMine(task)
        }
    }
}
