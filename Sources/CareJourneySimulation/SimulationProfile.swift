import CareJourneyCore

/// A population to simulate: how many people come, what happens to them, how long each step takes, who is already
/// supported, and how many staff each team has. The format is documented in docs/simulation.md.
///
/// ```yaml
/// council: A small unitary (modelled)
/// arrivals: { per-week: 90, seasonality: [1.1, 1.05, 1, 0.95, 0.95, 0.9, 0.9, 0.9, 1, 1.05, 1.1, 1.1] }
/// routes: { information-and-advice: 0.6, reablement: 0.15, interim-support: 0.02, assessment: 0.23 }
/// caseload: { in-delivery: 1400, last-review-months-ago: { min: 0, max: 12 } }
/// teams: { practice: { staff: 30, tasks-per-week: 8 } }
/// ```
public struct SimulationProfile: Codable, Sendable, Hashable {
    /// The council's name, for the report.
    public var council: String
    /// New contacts.
    public var arrivals: Arrivals
    /// What screening decides for a new contact (shares adding up to 1).
    public var routes: Routes
    /// How journeys turn out.
    public var outcomes: Outcomes
    /// What happens to people while they are open, as rates a year.
    public var ratesPerYear: Rates
    /// The people already in delivery when the simulation starts.
    public var caseload: Caseload
    /// How long each task takes once someone starts it, by task kind (`assess-needs`, …), in days; `reablement` is
    /// the length of reablement. Kinds not named take `default-duration`.
    public var durations: [String: StepDuration]
    /// What a task not named in `durations` takes.
    public var defaultDuration: StepDuration
    /// Staff by queue (the policy's queue names): a queue not named here has no limit.
    public var teams: [String: Team]

    /// New contacts a week, with a factor for each month (January first).
    public struct Arrivals: Codable, Sendable, Hashable {
        public var perWeek: Double
        public var seasonality: [Double]?
        enum CodingKeys: String, CodingKey {
            case perWeek = "per-week"
            case seasonality
        }
        public init(perWeek: Double, seasonality: [Double]? = nil) {
            self.perWeek = perWeek
            self.seasonality = seasonality
        }
    }

    /// What screening decides.
    public struct Routes: Codable, Sendable, Hashable {
        public var informationAndAdvice: Double
        public var reablement: Double
        public var interimSupport: Double
        public var assessment: Double
        enum CodingKeys: String, CodingKey {
            case informationAndAdvice = "information-and-advice"
            case reablement
            case interimSupport = "interim-support"
            case assessment
        }
        public init(informationAndAdvice: Double, reablement: Double, interimSupport: Double, assessment: Double) {
            self.informationAndAdvice = informationAndAdvice
            self.reablement = reablement
            self.interimSupport = interimSupport
            self.assessment = assessment
        }
    }

    /// How journeys turn out (each a share from 0 to 1).
    public struct Outcomes: Codable, Sendable, Hashable {
        /// Reablement that ends with independence regained (the rest go on to an assessment).
        public var reablementIndependent: Double
        /// Assessed people found eligible.
        public var eligible: Double
        /// How eligible people's budgets are managed.
        public var funding: FundingMix
        /// Formal reviews that change the plan.
        public var reviewPlanChange: Double
        /// Formal reviews that close the case (needs met).
        public var reviewClosure: Double
        /// Safeguarding concerns that lead to a s42 enquiry.
        public var s42Enquiry: Double
        /// Direct-payment audits that find money unspent (which starts an unplanned review).
        public var auditFindsUnspent: Double
        enum CodingKeys: String, CodingKey {
            case reablementIndependent = "reablement-independent"
            case eligible, funding
            case reviewPlanChange = "review-plan-change"
            case reviewClosure = "review-closure"
            case s42Enquiry = "s42-enquiry"
            case auditFindsUnspent = "audit-finds-unspent"
        }
        public init(
            reablementIndependent: Double, eligible: Double, funding: FundingMix, reviewPlanChange: Double,
            reviewClosure: Double, s42Enquiry: Double, auditFindsUnspent: Double
        ) {
            self.reablementIndependent = reablementIndependent
            self.eligible = eligible
            self.funding = funding
            self.reviewPlanChange = reviewPlanChange
            self.reviewClosure = reviewClosure
            self.s42Enquiry = s42Enquiry
            self.auditFindsUnspent = auditFindsUnspent
        }
    }

    /// Shares of direct payments, council-managed support and both (adding up to 1).
    public struct FundingMix: Codable, Sendable, Hashable {
        public var directPayment: Double
        public var councilManaged: Double
        public var mixed: Double
        enum CodingKeys: String, CodingKey {
            case directPayment = "direct-payment"
            case councilManaged = "council-managed"
            case mixed
        }
        public init(directPayment: Double, councilManaged: Double, mixed: Double) {
            self.directPayment = directPayment
            self.councilManaged = councilManaged
            self.mixed = mixed
        }
    }

    /// Events a year for each open case (deaths and moves: for people in delivery).
    public struct Rates: Codable, Sendable, Hashable {
        public var safeguarding: Double
        public var complaint: Double
        public var move: Double
        public var death: Double
        public init(safeguarding: Double, complaint: Double, move: Double, death: Double) {
            self.safeguarding = safeguarding
            self.complaint = complaint
            self.move = move
            self.death = death
        }
    }

    /// The people already in delivery at the start, with when their last formal review was.
    public struct Caseload: Codable, Sendable, Hashable {
        public var inDelivery: Int
        /// Months since the last formal review, spread evenly between `min` and `max` (at most 12).
        public var lastReviewMonthsAgo: MonthRange
        enum CodingKeys: String, CodingKey {
            case inDelivery = "in-delivery"
            case lastReviewMonthsAgo = "last-review-months-ago"
        }
        public init(inDelivery: Int, lastReviewMonthsAgo: MonthRange) {
            self.inDelivery = inDelivery
            self.lastReviewMonthsAgo = lastReviewMonthsAgo
        }
    }

    /// A range of months.
    public struct MonthRange: Codable, Sendable, Hashable {
        public var min: Double
        public var max: Double
        public init(min: Double, max: Double) {
            self.min = min
            self.max = max
        }
    }

    /// A team serving a queue.
    public struct Team: Codable, Sendable, Hashable {
        /// People working the queue.
        public var staff: Double
        /// Tasks one person completes a week.
        public var tasksPerWeek: Double
        /// A task open longer than this many days counts as overdue (28 unless said).
        public var overdueAfterDays: Double?
        enum CodingKeys: String, CodingKey {
            case staff
            case tasksPerWeek = "tasks-per-week"
            case overdueAfterDays = "overdue-after-days"
        }
        public init(staff: Double, tasksPerWeek: Double, overdueAfterDays: Double? = nil) {
            self.staff = staff
            self.tasksPerWeek = tasksPerWeek
            self.overdueAfterDays = overdueAfterDays
        }
    }

    enum CodingKeys: String, CodingKey {
        case council, arrivals, routes, outcomes
        case ratesPerYear = "rates-per-year"
        case caseload, durations
        case defaultDuration = "default-duration"
        case teams
    }

    /// Creates a profile.
    public init(
        council: String, arrivals: Arrivals, routes: Routes, outcomes: Outcomes, ratesPerYear: Rates,
        caseload: Caseload, durations: [String: StepDuration], defaultDuration: StepDuration, teams: [String: Team]
    ) {
        self.council = council
        self.arrivals = arrivals
        self.routes = routes
        self.outcomes = outcomes
        self.ratesPerYear = ratesPerYear
        self.caseload = caseload
        self.durations = durations
        self.defaultDuration = defaultDuration
        self.teams = teams
    }

    /// What `durations` may name besides task kinds: the length of reablement.
    public static let reablementKey = "reablement"

    /// Checks that the numbers add up.
    ///
    /// - Throws: `SimulationError` (`invalidProfile`) naming every problem, by key, and what is allowed.
    public func validate() throws(SimulationError) {
        var problems: [String] = []
        func share(_ value: Double, _ key: String) {
            if !(value >= 0 && value <= 1) { problems.append("\(key): a share from 0 to 1 (found \(value))") }
        }
        func rate(_ value: Double, _ key: String) {
            if !(value >= 0 && value <= 1000) { problems.append("\(key): a rate from 0 to 1000 (found \(value))") }
        }
        func sums(_ values: [Double], _ key: String) {
            let total = values.reduce(0, +)
            if abs(total - 1) > 0.001 {
                problems.append("\(key): the shares must add up to 1 (they add up to \(total))")
            }
        }
        if !(arrivals.perWeek >= 0 && arrivals.perWeek <= 1_000_000) {
            problems.append("arrivals.per-week: from 0 to 1,000,000 (found \(arrivals.perWeek))")
        }
        if let season = arrivals.seasonality,
            season.count != 12 || season.contains(where: { !($0 >= 0 && $0 <= 10) })
        {
            problems.append("arrivals.seasonality: 12 factors from 0 to 10, January first (found \(season.count))")
        }
        let r = routes
        [
            (r.informationAndAdvice, "information-and-advice"), (r.reablement, "reablement"),
            (r.interimSupport, "interim-support"), (r.assessment, "assessment"),
        ].forEach { share($0.0, "routes.\($0.1)") }
        sums([r.informationAndAdvice, r.reablement, r.interimSupport, r.assessment], "routes")
        let o = outcomes
        [
            (o.reablementIndependent, "reablement-independent"), (o.eligible, "eligible"),
            (o.reviewPlanChange, "review-plan-change"), (o.reviewClosure, "review-closure"),
            (o.s42Enquiry, "s42-enquiry"), (o.auditFindsUnspent, "audit-finds-unspent"),
        ].forEach {
            share($0.0, "outcomes.\($0.1)")
        }
        if o.reviewPlanChange + o.reviewClosure > 1 {
            problems.append("outcomes: review-plan-change and review-closure together must be at most 1")
        }
        let f = o.funding
        [(f.directPayment, "direct-payment"), (f.councilManaged, "council-managed"), (f.mixed, "mixed")].forEach {
            share($0.0, "outcomes.funding.\($0.1)")
        }
        sums([f.directPayment, f.councilManaged, f.mixed], "outcomes.funding")
        let y = ratesPerYear
        [(y.safeguarding, "safeguarding"), (y.complaint, "complaint"), (y.move, "move"), (y.death, "death")].forEach {
            rate($0.0, "rates-per-year.\($0.1)")
        }
        if !(caseload.inDelivery >= 0 && caseload.inDelivery <= 5_000_000) {
            problems.append("caseload.in-delivery: from 0 to 5,000,000 (found \(caseload.inDelivery))")
        }
        let months = caseload.lastReviewMonthsAgo
        if !(months.min >= 0 && months.min <= months.max && months.max <= 12) {
            problems.append(
                "caseload.last-review-months-ago: 0 ≤ min ≤ max ≤ 12 (found \(months.min)…\(months.max)); a review "
                    + "more than 12 months ago would already be overdue under a 12-month policy")
        }
        for (key, duration) in durations.sorted(by: { $0.key < $1.key }) {
            if key != Self.reablementKey && TaskKind(rawValue: key) == nil {
                problems.append(
                    "durations.\(key): not a task kind; use one of \(Self.reablementKey), "
                        + TaskKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            if let problem = duration.problem("durations.\(key)") { problems.append(problem) }
        }
        if let problem = defaultDuration.problem("default-duration") { problems.append(problem) }
        for (queue, team) in teams.sorted(by: { $0.key < $1.key }) {
            if !(team.staff >= 0 && team.staff <= 1_000_000) {
                problems.append("teams.\(queue).staff: from 0 to 1,000,000 (found \(team.staff))")
            }
            if !(team.tasksPerWeek > 0 && team.tasksPerWeek <= 10_000) {
                problems.append(
                    "teams.\(queue).tasks-per-week: more than 0, at most 10,000 (found \(team.tasksPerWeek))")
            }
            if let days = team.overdueAfterDays, !(days > 0 && days <= 3650) {
                problems.append("teams.\(queue).overdue-after-days: more than 0, at most 3650 (found \(days))")
            }
        }
        if !problems.isEmpty {
            throw SimulationError(
                .invalidProfile, "the profile does not add up:\n  - " + problems.joined(separator: "\n  - "))
        }
    }
}

extension SimulationProfile {
    /// The profile for a forecast from a live caseload: the store's open cases are the starting population (so
    /// the profile's own caseload is dropped) and new contacts come at the store's rate of the last 12 months.
    ///
    /// - Parameter contactsPerWeek: the store's contacts a week over the last year.
    public func startingFromLiveCases(contactsPerWeek: Double) -> SimulationProfile {
        var profile = self
        profile.arrivals.perWeek = contactsPerWeek
        profile.caseload.inDelivery = 0
        return profile
    }

    /// The profile for a sample of `fraction` of the council: new contacts and every team's staff in proportion, so
    /// that the sample's work queues behind the same capacity per case (`WeeklyFigures.scaled(by:)` brings the
    /// figures back to the whole council's).
    public func sampled(_ fraction: Double) -> SimulationProfile {
        var profile = self
        profile.arrivals.perWeek *= fraction
        profile.caseload.inDelivery = Int((Double(profile.caseload.inDelivery) * fraction).rounded())
        profile.teams = profile.teams.mapValues { team in
            var scaled = team
            scaled.staff *= fraction
            return scaled
        }
        return profile
    }
}
