import CareJourneyCore

/// What each person adds to the ASCOF measures, gathered one person at a time.
///
/// A measure needs all of a person's events together, but then keeps only a figure or two of each person (an
/// episode's age and what followed it, an admission's age group, a client's setting): the tally keeps those, not the
/// events, so a fold over a million cases holds a few figures a person instead of every person's rows (the
/// dashboard's refresh rose to 629 MB, peaks of 913 MB, holding the rows).
///
/// Each person's figures are kept with a number for who they are (`owner`), so that a person's figures can be left out
/// and counted again from all their events, when they turn up in a second case (`ASCOFReport`).
struct ASCOFTally: Sendable {
    /// The twelve months measured.
    let period: ReportPeriod
    private let first: CalendarDay
    private let last: CalendarDay
    private var episodes: [Owned<ASCOFMeasures.Episode>] = []
    private var admissions: [Owned<String>] = []
    private var discharges: [Owned<ASCOFMeasures.Discharge>] = []
    private var clients: [Owned<ASCOFMeasures.Client>] = []
    private var learningDisabilityClients: [Owned<ASCOFMeasures.Client>] = []
    private var settings: [Owned<ASCOFMeasures.Setting>] = []

    /// A person's figure, with who they are.
    private struct Owned<Figure: Sendable>: Sendable {
        let owner: Int32
        let figure: Figure
    }

    /// The owner of figures never left out.
    static let anyone: Int32 = -1

    /// A tally of `period`.
    init(period: ReportPeriod) {
        self.period = period
        first = CLDDate.calendarDay(of: period.start, in: period.calendar)
        last = CLDDate.calendarDay(of: period.end, in: period.calendar).adding(days: -1)
    }

    /// Adds one person's figures: `events` are all their events; `owner` says who they are, if their figures may be
    /// left out later.
    mutating func add(person events: [ASCOFEvent], owner: Int32 = anyone) {
        for episode in ASCOFMeasures.shortTermEpisodes(of: events, first, last) {
            episodes.append(Owned(owner: owner, figure: episode))
        }
        if let band = ASCOFMeasures.admission(of: events, first, last) {
            admissions.append(Owned(owner: owner, figure: band))
        }
        for discharge in ASCOFMeasures.discharges(of: events, first.addingMonths(-3), last.addingMonths(-3)) {
            discharges.append(Owned(owner: owner, figure: discharge))
        }
        if let client = ASCOFMeasures.ownHomeClient(of: events, first, last, learningDisability: false) {
            clients.append(Owned(owner: owner, figure: client))
        }
        if let client = ASCOFMeasures.ownHomeClient(of: events, first, last, learningDisability: true) {
            learningDisabilityClients.append(Owned(owner: owner, figure: client))
        }
        if let setting = ASCOFMeasures.selfDirectedClient(of: events, last) {
            settings.append(Owned(owner: owner, figure: setting))
        }
    }

    /// The measures from every person's figures but those of `leftOut`, with the populations 2B and 2C need if given.
    func measures(population18to64: Int?, population65: Int?, leavingOut leftOut: Set<Int32> = []) -> ASCOFMeasures {
        func kept<Figure>(_ figures: [Owned<Figure>]) -> [Figure] {
            figures.compactMap { leftOut.contains($0.owner) ? nil : $0.figure }
        }
        var measures: [ASCOFMeasure] = []
        measures += ASCOFMeasures.shortTermSupport(kept(episodes))
        measures += ASCOFMeasures.admissions(kept(admissions), population: (population18to64, population65))
        measures += ASCOFMeasures.hospitalDischarge(kept(discharges))
        measures += ASCOFMeasures.ownHome(kept(clients), learningDisability: false)
        measures += ASCOFMeasures.ownHome(kept(learningDisabilityClients), learningDisability: true)
        measures += ASCOFMeasures.selfDirectedSupport(kept(settings))
        return ASCOFMeasures(period: period, measures: measures)
    }
}
