import CareJourneyCore
import CareJourneyStore
import Foundation

/// A small, seeded population of cases spread over the journey, so a new service has something to show.
///
/// Each case follows one of a few journeys and stops at a seeded point along it. The same seed gives the same
/// cases.
public struct SamplePopulation: Sendable {
    /// How many cases.
    public let count: Int
    /// The seed.
    public let seed: UInt64

    /// Creates a population of `count` cases from `seed`.
    public init(count: Int, seed: UInt64 = 2026) {
        self.count = count
        self.seed = seed
    }

    private static let firstNames = [
        "Ada", "Bert", "Cara", "Dev", "Edna", "Femi", "Gus", "Hana", "Ivor", "Jas", "Kit", "Lena",
    ]
    private static let surnames = [
        "Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fisher", "Green", "Hughes", "Iqbal", "Jones",
    ]

    private static let plan: JSONValue = [
        "metByNetwork": ["family help with shopping"], "personalBudget": 320,
        "councilManaged": ["services": ["home care, 8 hours a week"], "weeklyCost": 220],
        "directPayment": ["amount": 100, "frequency": "weekly", "purchases": ["personal-assistant"]],
        "riskManagement": "falls pendant", "contingencyPlan": "agency cover through brokerage",
    ]

    /// The journeys sample cases follow, as (event, data) steps after contact.
    private static let journeys: [[(String, JSONValue)]] = [
        [
            ("start-assessment", [:]),
            ("assessment-completed", ["needs": ["personal care", "meals"], "outcomes": ["stay at home"]]),
            ("eligibility-decided", ["eligible": true]), ("ras-completed", ["points": 45, "informalSupport": "some"]),
            ("plan-updated", plan), ("plan-updated", ["personalBudget": 320]), ("sign-off", [:]),
            ("provider-found", ["provider": "Sunrise Home Care", "weeklyCost": 218.5]), ("dp-agreement-signed", [:]),
        ],
        [("offer-reablement", [:])],
        [("give-information-and-advice", ["note": "signposted to the community lunch club"])],
        [
            ("start-assessment", ["substantialDifficulty": true, "appropriatePerson": false]),
            ("advocate-allocated", ["advocate": "Advocacy Partners"]),
        ],
        [
            ("start-interim-support", [:]),
            ("interim-support-arranged", ["provider": "Rapid Response", "weeklyCost": 300]),
        ],
    ]

    /// Opens the cases through the engine at the clock's time.
    @discardableResult
    public func seed(into engine: Engine, at now: Date) async throws(StoreError) -> [CaseID] {
        var random = SplitMix64(seed: seed)
        var opened: [CaseID] = []
        for n in 0..<count {
            let name =
                "\(Self.firstNames[Int(random.next() % UInt64(Self.firstNames.count))]) "
                + "\(Self.surnames[Int(random.next() % UInt64(Self.surnames.count))])"
            let carer = n % 7 == 6
            let contact: JSONValue = [
                "name": .string(name), "clientType": carer ? "carer" : "adult",
                "route": .string(["gp", "self-referral", "hospital-discharge", "family-or-friend"][n % 4]),
            ]
            guard case .done(.applied(let created), _) = try await submit("contact", contact, to: nil, engine, now)
            else {
                continue
            }
            let id = created.state.id
            opened.append(id)
            // Weighted towards the full journey, which has the most to see.
            let journey = Self.journeys[random.next() % 3 == 0 ? Int(random.next() % UInt64(Self.journeys.count)) : 0]
            let steps = 1 + Int(random.next() % UInt64(journey.count))
            for (eventName, data) in journey.prefix(steps) {
                _ = try await submit(eventName, data, to: id, engine, now)
            }
        }
        return opened
    }

    private func submit(
        _ name: String, _ data: JSONValue, to id: CaseID?, _ engine: Engine, _ now: Date
    ) async throws(StoreError) -> CommandResult {
        guard let event = try? Event(name: name, data: data) else { return .keyReused }
        return try await engine.submit(
            Command(caseID: id, event: event, actor: "sample", reason: "sample population", at: now))
    }
}

/// A small, fast, seeded random number generator (SplitMix64), so samples are the same on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
