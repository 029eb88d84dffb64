import CareJourneyCore
import CareJourneyWorker

/// Brokerage: finds a provider for council-managed support from a sample list (the first that offers every
/// service asked for within the weekly budget, else the cheapest that offers them), arranges interim support,
/// and stops services when a case closes.
///
///     swift run brokerage-worker [--broker tcp://127.0.0.1:5555]
@main
struct BrokerageWorker {
    struct Provider {
        let name: String
        let offers: Set<String>
        let weeklyRate: Double
    }

    static let providers = [
        Provider(name: "Sunrise Home Care", offers: ["home care", "personal care", "meals"], weeklyRate: 215.5),
        Provider(
            name: "Peak District Support", offers: ["home care", "day activities", "personal care"], weeklyRate: 260),
        Provider(name: "Derwent Live-in Care", offers: ["live-in care", "home care"], weeklyRate: 980),
        Provider(name: "Rapid Response Care", offers: ["interim support", "home care"], weeklyRate: 310),
    ]

    /// The provider for these services and budget.
    static func match(services: [String], budget: Double?) -> Provider {
        let wanted = Set(services.map { $0.lowercased() })
        let able = providers.filter { provider in
            wanted.allSatisfy { need in provider.offers.contains { need.contains($0) } }
        }
        let candidates = able.isEmpty ? providers : able
        if let budget, let affordable = candidates.first(where: { $0.weeklyRate <= budget }) { return affordable }
        return candidates.min { $0.weeklyRate < $1.weeklyRate }!
    }

    static func main() async {
        await WorkerCommandLine.run(defaultService: "brokerage") { task, progress in
            switch task.kind {
            case "find-provider", "arrange-interim-support":
                progress(
                    "matching \(task.brief["services"].map { "\($0)" } ?? "services") against \(providers.count) providers"
                )
                let services = task.brief["services"]?.arrayOfStrings ?? []
                let provider = match(services: services, budget: task.brief["weeklyBudget"]?.number)
                return .done(["provider": .string(provider.name), "weeklyCost": .number(provider.weeklyRate)])
            case "end-services":
                return .done([:])
            default:
                return .failed("brokerage does not handle '\(task.kind)' tasks", retry: false)
            }
        }
    }
}

extension JSONValue {
    var number: Double? { if case .number(let value) = self { value } else { nil } }
    var arrayOfStrings: [String]? {
        guard case .array(let items) = self else { return nil }
        return items.compactMap { if case .string(let text) = $0 { text } else { nil } }
    }
}
