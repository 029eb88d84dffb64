import CareJourneyCore
import CareJourneyServer
import CareJourneySamples
import Foundation

/// A seeded store-sized population for the search benchmark: cases spread over the journey's stages as a
/// council's are (most delivered or closed), with names, teams, practitioners, overdue reviews and open tasks on
/// every kind of queue. The same seed gives the same cases.
struct SearchPopulation {
    let count: Int
    let seed: UInt64

    /// Written to the store's meta table, so that a data folder filled once is known again.
    var label: String { "search population 2: \(count) cases, seed \(seed)" }

    static let teams = [
        "north-east", "north-west", "south", "east", "west", "central", "hospital-discharge", "learning-disability",
        "mental-health", "transitions", "sensory", "high-peak",
    ]
    static let workersPerTeam = 30

    /// A team's practitioners' sign-in names.
    static func workers(of team: String) -> [String] { (1...workersPerTeam).map { "\(team).worker\($0)" } }

    /// How a case's journey ends, by share of the population (in thousandths).
    static let journeys: [(share: Int, steps: [CasePopulation.Step])] = {
        let path = EventCatalog.pathToDelivery.map { CasePopulation.Step.event($0.name, $0.data) }
        let delivered = path + [.event(.providerFound, ["provider": "Sunrise Home Care", "weeklyCost": 215.5])]
        return [
            (30, []),
            (5, [.event(.startInterimSupport, [:])]),
            (40, [.event(.offerReablement, [:])]),
            (35, Array(path.prefix(1))),
            (5, [.event(.startAssessment, ["substantialDifficulty": true, "appropriatePerson": false])]),
            (10, Array(path.prefix(2))),
            (8, Array(path.prefix(3))),
            (20, Array(path.prefix(4))),
            (40, path),
            (305, delivered),
            (25, delivered + [.timersUntilOverdue]),
            (25, delivered + [.event(.startReview, ["type": "unplanned", "reason": "change-of-circumstances"])]),
            (10, delivered + [.event(.safeguardingConcern, ["note": "bruising seen by the carer"])]),
            (2, delivered + [.event(.movedToAnotherCouncil, ["council": "Nottinghamshire County Council"])]),
            (300, [.event(.giveInformationAndAdvice, ["note": "signposted to the lunch club"])]),
            // Closed after support, the services mostly stopped already (brokerage's `end-services` task done).
            (125, delivered + [.event(.closeCase, ["reason": "deceased"]), .event(.servicesEnded, [:])]),
            (15, delivered + [.event(.closeCase, ["reason": "deceased"])]),
        ]
    }()

    /// Templates for every journey and allocation, opened on `starts` days spread over the five years to `now`.
    static func templates(policy: Policy, now: Date, starts: Int = 40) throws -> [[[CasePopulation.Template]]] {
        try journeys.map { journey in
            try [CasePopulation.Allocation.nobody, .team, .teamAndWorker].map { allocation in
                try (0..<starts).map { start in
                    try CasePopulation.Template(
                        steps: journey.steps, allocation: allocation,
                        at: now.addingTimeInterval(-Double(100 + start * 1800 / starts) * 86_400), policy: policy)
                }
            }
        }
    }

    /// Case `number`'s copy: its journey, allocation, name, team and practitioner, from the seed.
    func copy(_ number: Int, of templates: [[[CasePopulation.Template]]]) -> CasePopulation.Copy {
        var random = SplitMix64(seed: seed ^ (UInt64(number) &* 0x9E37_79B9_7F4A_7C15))
        var share = Int(random.next() % 1000)
        let journey =
            Self.journeys.firstIndex { step in
                share -= step.share
                return share < 0
            } ?? 0
        let roll = random.next() % 100
        let allocation = journey == 0 ? (roll < 50 ? 0 : 1) : (roll < 8 ? 1 : 2)
        let byStart = templates[journey][allocation]
        let team = Self.teams[Int(random.next() % UInt64(Self.teams.count))]
        return CasePopulation.Copy(
            template: byStart[Int(random.next() % UInt64(byStart.count))], name: NameGenerator.name(using: &random),
            team: team, worker: Self.workers(of: team)[Int(random.next() % UInt64(Self.workersPerTeam))])
    }
}

/// Seeded names as a council's records hold them: common names often, rare ones seldom, some with a middle name
/// or a double-barrelled surname, accents and apostrophes.
enum NameGenerator {
    static let firstNames = [
        "Margaret", "John", "Mary", "David", "Patricia", "Michael", "Susan", "Peter", "Jean", "Robert", "Barbara",
        "William", "Christine", "James", "Linda", "Brian", "Elizabeth", "Thomas", "Janet", "George", "Sandra",
        "Richard", "Pauline", "Kenneth", "Dorothy", "Anthony", "Joan", "Stephen", "Carol", "Alan", "Sheila", "Paul",
        "Brenda", "Ronald", "Maureen", "Derek", "Eileen", "Keith", "Doreen", "Raymond", "Irene", "Colin", "Joyce",
        "Graham", "Kathleen", "Trevor", "Valerie", "Roy", "Hilda", "Dennis", "Olive", "Frank", "Ivy", "Harold",
        "Gwen", "Arthur", "Edna", "Stanley", "Vera", "Albert", "Mavis", "Ernest", "Phyllis", "Leslie", "Beryl",
        "Norman", "Gladys", "Cyril", "Muriel", "Wilfred", "Agnes", "Olivia", "Amelia", "Noah", "Oliver", "Isla",
        "Ava", "Muhammad", "Aisha", "Fatima", "Priya", "Aarav", "Ravi", "Anjali", "Mohammed", "Zainab", "Kwame",
        "Chidi", "Ngozi", "Siân", "Seán", "Niamh", "Aoife", "Zoë", "Chloé", "Renée", "José", "Ana", "Łucja",
        "Piotr", "Agnieszka", "Bogdan", "Dorota", "Jürgen", "Søren", "Björn", "Mirela", "Elif", "Mehmet",
    ]
    static let surnames = [
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
        "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Patel",
        "Khan", "Lewis", "James", "Phillips", "Mason", "Mitchell", "Rose", "Davis", "Rodriguez", "Cox", "Alexander",
        "Morris", "Cooper", "Ward", "Turner", "King", "Hill", "Baker", "Harris", "Martin", "Moore", "Allen",
        "Young", "Scott", "Edwards", "Hughes", "Lee", "Watson", "Parker", "Price", "Bennett", "Griffiths",
        "Kelly", "Shaw", "Holmes", "Lloyd", "Ellis", "Richardson", "Fox", "Gray", "Mills", "Marshall", "Owen",
        "Hunt", "Wells", "Butler", "Chapman", "Webb", "Stevens", "Simpson", "Palmer", "Hamilton", "Graham",
        "Pearson", "Cole", "Barker", "Harrison", "Foster", "Lawrence", "Dixon", "Gibson", "Reid", "Murray",
        "Hussain", "Begum", "Ali", "Ahmed", "Rahman", "Akhtar", "Singh", "Kaur", "Sharma", "Chowdhury", "Mistry",
        "Okafor", "Adeyemi", "Mensah", "Boateng", "Nowak", "Kowalski", "Wiśniewski", "Müller", "Schäfer",
        "O'Brien", "O'Connor", "O'Neill", "McCarthy", "MacDonald", "Ó Súilleabháin", "Brontë", "Núñez", "García",
        "Fernández", "Öztürk", "Yılmaz", "D'Souza", "Da Silva", "Van der Berg", "Le Roux", "St John", "Fitzgerald",
        "Ashworth", "Bagshaw", "Cresswell", "Dunmore", "Eccleston", "Fairbrother", "Greenhalgh", "Hargreaves",
        "Illingworth", "Jagger", "Kershaw", "Lomax", "Mellor", "Nuttall", "Ormerod", "Pickles", "Quarmby",
        "Ramsbottom", "Sutcliffe", "Thwaite", "Uttley", "Varley", "Whitworth", "Yates", "Zebedee",
    ]

    /// A name: often a common one (the lists run from common to rare).
    static func name(using random: inout SplitMix64) -> String {
        var name = pick(firstNames, &random)
        if random.next() % 100 < 8 { name += " " + pick(firstNames, &random) }
        name += " " + pick(surnames, &random)
        if random.next() % 100 < 4 { name += "-" + pick(surnames, &random) }
        return name
    }

    /// An element, earlier ones more often (the square of a uniform draw).
    private static func pick(_ names: [String], _ random: inout SplitMix64) -> String {
        let uniform = Double(random.next() % 1_000_000) / 1_000_000
        return names[Int(uniform * uniform * Double(names.count))]
    }
}
