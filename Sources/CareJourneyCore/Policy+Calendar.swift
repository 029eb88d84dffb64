import Foundation

extension Policy {
    /// How the council's calendar decides its deadlines: the calendar itself, which timers count in local days,
    /// and where reminders and escalations go when they would fall on a day the council does not work.
    ///
    /// A timer counted in local days is worked out as a day on the council's calendar, then an instant: a deadline
    /// (`*.due`, `reablement.end`, `transfer.funding-ends`) passes at the end of its day, every other timer (a window
    /// opening, a reminder, a check, an escalation, an audit) fires at the start of its day. A timer counts from the
    /// local day of the event it follows; a reminder counts back, and an escalation forward, from the last day of
    /// the deadline it belongs to.
    public struct CalendarRules: Hashable, Codable, Sendable {
        /// The time zone, bank holidays and closure days.
        public var calendar: CouncilCalendar
        /// The timers counted in local days. Timers whose duration is in working days, and reminders and
        /// escalations that `reminders` or `escalations` move, count in local days too.
        public var localDays: [TimerName]
        /// Where a reminder that would fall on a non-working day goes.
        public var reminders: NonWorkingDay
        /// Where an escalation that would fall on a non-working day goes.
        public var escalations: NonWorkingDay
        /// Whether people's tasks are due by the end of the local day their `task-due:` count reaches, counted on
        /// this calendar (`task-due: local-days`). `nil` (the default, `exact`): at the instant the count ends, as
        /// policies written before the key meant — so that histories recorded under such a policy replay as they
        /// were recorded (`store verify`), a change of meaning comes only with a policy that says so.
        public var tasksDueInLocalDays: Bool?

        /// Creates the rules.
        public init(
            calendar: CouncilCalendar, localDays: [TimerName] = [], reminders: NonWorkingDay = .keep,
            escalations: NonWorkingDay = .keep, tasksDueInLocalDays: Bool? = nil
        ) {
            self.calendar = calendar
            self.localDays = localDays
            self.reminders = reminders
            self.escalations = escalations
            self.tasksDueInLocalDays = tasksDueInLocalDays
        }

        /// Whether `timer`, given `duration`, is counted in local days.
        public func countsInLocalDays(_ timer: TimerName, _ duration: PolicyDuration) -> Bool {
            localDays.contains(timer) || duration.workingDays != 0 || move(for: timer) != .keep
        }

        /// The rule for a timer on a non-working day: reminders' and escalations' as the policy says, none for
        /// the rest.
        public func move(for timer: TimerName) -> NonWorkingDay {
            if timer.isReminder { return reminders }
            return timer == .reviewEscalation ? escalations : .keep
        }

        /// The instant `timer` fires when it falls on `day`: moved off a non-working day as its rule says, then at
        /// the end of the day for a deadline and at its start for everything else.
        public func instant(of timer: TimerName, on day: LocalDate) -> Date {
            let moved =
                switch move(for: timer) {
                case .keep: day
                case .workingDayBefore: calendar.workingDay(onOrBefore: day)
                case .workingDayAfter: calendar.workingDay(onOrAfter: day)
                }
            return timer.isDeadline ? calendar.end(of: moved) : calendar.start(of: moved)
        }
    }

    /// Where a timer that would fall on a day the council does not work goes.
    public enum NonWorkingDay: String, Choice {
        /// It stays on its day.
        case keep
        /// To the working day before (reminders).
        case workingDayBefore = "working-day-before"
        /// To the working day after (escalations).
        case workingDayAfter = "working-day-after"
    }

    /// The council's calendar: the policy's, or Europe/London without bank holidays for a policy without
    /// `calendar:` (whose deadlines are exact instants; the calendar then only shows dates to people).
    ///
    /// The shell checks that the zone loads before it runs a policy (`serve` refuses to start otherwise).
    public var councilCalendar: CouncilCalendar {
        calendar?.calendar ?? Self.london
    }

    /// Europe/London without bank holidays; GMT only where the system has no time zone database, which the shell
    /// refuses before running.
    private static let london = CouncilCalendar(
        timeZone: TimeZone(identifier: defaultTimeZone) ?? .gmt, bankHolidays: .none)

    /// The time zone a policy names when it names none.
    public static let defaultTimeZone = "Europe/London"
}

extension TimerName {
    /// Whether the timer is a deadline (it passes at the end of its local day) rather than a moment to act.
    public var isDeadline: Bool {
        switch self {
        case .reviewFirstFormalDue, .reviewPlannedDue, .reablementEnd, .transferFundingEnds, .chargingReassessmentDue:
            true
        case .reablementCheck, .reviewInformal, .reviewFirstFormalOpens, .reviewFirstFormalReminder,
            .reviewPlannedReminder, .reviewEscalation, .dpAudit, .chargingReassessmentReminder:
            false
        }
    }

    /// Whether the timer is a reminder before a deadline.
    public var isReminder: Bool {
        [.reviewFirstFormalReminder, .reviewPlannedReminder, .chargingReassessmentReminder].contains(self)
    }
}
