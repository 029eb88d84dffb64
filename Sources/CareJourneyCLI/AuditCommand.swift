import ArgumentParser
import CareJourneyClock
import CareJourneyCore
import CareJourneyReports
import CareJourneyStore
import Foundation

/// `carejourney audit reads`: who has read people's records — for a subject access request ("who looked at my
/// record?") or an investigation ("what did this person look at?").
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Answer who read whose record, when, how and why.",
        subcommands: [Reads.self])

    struct Reads: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List reads of personal data: of a person's cases, of a case, or by someone, in a period.",
            discussion: """
                Reads are every case page and API read, every search or list that showed a case, and every export \
                (docs/governance.md#reads-recorded). The store is read beside a running service; the audit itself \
                is recorded too.
                """)

        @Option(help: "A person: their NHS number, or their name as the case search matches it.")
        var person: String?

        @Option(name: .customLong("case"), help: "A case id, like C-12.")
        var caseID: String?

        @Option(help: "Someone who read: a sign-in name (sw.jones), `local`, or `unix:NAME` for the command line.")
        var actor: String?

        @Option(help: "The first day, YYYY-MM-DD (days in the policy's time zone; default: the first read).")
        var from: String?

        @Option(help: "The last day, YYYY-MM-DD, included (default: today).")
        var to: String?

        @Option(help: "List at most this many reads, newest first.")
        var limit = 10_000

        @Flag(help: "Print the cases and reads as JSON.")
        var json = false

        @OptionGroup var store: StoreOption

        func validate() throws {
            guard [person, caseID, actor].contains(where: { $0 != nil }) else {
                throw ValidationError("say whose reads to list: --person, --case or --actor")
            }
            if limit < 1 { throw ValidationError("--limit must be at least 1") }
        }

        func run() async throws {
            do {
                let (person, caseID, actor, from, to, limit) = (person, caseID, actor, from, to, limit)
                let (calendar, cases, ids, reads) = try await store.reading("audit") { store in
                    // Days and times are the council's, on its policy's clocks.
                    let calendar =
                        try await store.currentPolicy()?.councilCalendar
                        ?? CouncilCalendar(timeZone: ReportPeriod.england, bankHolidays: .none)
                    let period = try Self.period(from: from, to: to, on: calendar)
                    var cases: [CaseSummary] = []
                    if let person {
                        cases = try await store.cases(ofPerson: person)
                        if cases.count > 200 {
                            printError(
                                "carejourney audit reads: more than 200 cases match '\(person)'; give the full name or "
                                    + "the NHS number")
                            throw ExitCode.failure
                        }
                    }
                    var ids = cases.map(\.id)
                    if let caseID { ids.append(CaseID(caseID)) }
                    let query = AccessQuery(
                        cases: person == nil && caseID == nil ? nil : ids, actor: actor, from: period.from,
                        to: period.to, limit: limit)
                    return (calendar, cases, ids, try await store.accessLog(matching: query))
                }
                let asked = [
                    person.map { "person=\($0)" }, caseID.map { "case=\($0)" }, actor.map { "actor=\($0)" },
                    from.map { "from=\($0)" }, to.map { "to=\($0)" },
                ].compactMap { $0 }.joined(separator: " ")
                try await store.record(
                    AccessRecord(
                        actor: SystemUser.current, at: WallClock().now(), channel: .audit, cases: ids, query: asked,
                        detail: "\(reads.count) reads listed"),
                    by: "audit")
                print(
                    json
                        ? try ReportCommand.json(Listing(cases: cases, reads: reads))
                        : text(cases, reads, asked, on: calendar))
            } catch let error as StoreError {
                printError("carejourney audit reads: \(error)")
                throw ExitCode.failure
            }
        }

        /// The first and last instants asked for, as days on `calendar`; or the error printed and exit 1.
        private static func period(
            from: String?, to: String?, on calendar: CouncilCalendar
        ) throws -> (from: Date?, to: Date?) {
            do {
                let today = calendar.day(of: WallClock().now()).description
                let whole = try ReportPeriod(from: from ?? "1970-01-01", to: to ?? today, in: calendar.timeZone)
                return (from == nil ? nil : whole.start, whole.end)
            } catch {
                printError("carejourney audit reads: \(error.message)")
                throw ExitCode.failure
            }
        }

        /// The JSON form: the person's cases found, and the reads.
        struct Listing: Encodable {
            let cases: [CaseSummary]
            let reads: [AccessRecord]
        }

        private func text(
            _ cases: [CaseSummary], _ reads: [AccessRecord], _ asked: String, on calendar: CouncilCalendar
        ) -> String {
            var lines: [String] = []
            if person != nil {
                lines.append(
                    cases.isEmpty
                        ? "no case matches '\(person ?? "")'"
                        : "cases: " + cases.map { "\($0.id) (\($0.name))" }.joined(separator: ", "))
            }
            lines.append("\(reads.count) read(s) of personal data, newest first (\(asked)):")
            for read in reads {
                var line = "  \(AuditCommand.time(read.at, on: calendar))  \(read.actor)  \(read.channel.rawValue)"
                if read.channel == .search || read.channel == .list {
                    line += " (\(read.cases.count) cases: \(read.cases.prefix(5).map(\.rawValue).joined(separator: ", "))"
                        + (read.cases.count > 5 ? ", …)" : ")")
                } else if !read.cases.isEmpty {
                    line += " " + read.cases.map(\.rawValue).joined(separator: ", ")
                }
                if let query = read.query { line += "  query: \(query)" }
                if let detail = read.detail { line += "  \(detail)" }
                if let reason = read.reason { line += "  REASON: \(reason)" }
                lines.append(line)
            }
            return lines.joined(separator: "\n")
        }
    }

    /// `2026-12-04 14:05:09 GMT`: on the council's clocks, with the zone's name (or offset), which tells apart the
    /// two 01:30s of the night the clocks go back.
    static func time(_ date: Date, on calendar: CouncilCalendar) -> String {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = calendar.timeZone
        let parts = gregorian.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
            parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0) + " " + calendar.zoneName(at: date)
    }
}
