import CareJourneyClock
import CareJourneyCore
import CareJourneyReports
import CareJourneyStore
import Foundation
import Logging
import Testing
import CareJourneyTestSupport

@testable import CareJourneyServer

/// The overview's review figures are kept beside the store, so that after a restart the pages show the last ones
/// at once (as of when they were made) instead of "being read" for the minute a million cases take.
@Suite(.sqliteOnly("files kept beside a SQLite store: a node of a PostgreSQL store keeps none (`CareStore.localFolder`)"))
struct KeptFiguresTests {
    let calendar = try! shippedPolicy().councilCalendar

    func service(in folder: String, at now: Date) throws -> ReviewTimelinessService {
        ReviewTimelinessService(
            store: try CaseStore(directory: folder), clock: ManualClock(now), calendar: calendar,
            logger: Logger(label: "test"))
    }

    @Test func theLastFiguresAreKeptAndReadBackAtTheNextStart() async throws {
        let folder = temporaryDirectory()
        let first = Date(timeIntervalSince1970: 1_767_603_600)
        let before = try service(in: folder, at: first)
        #expect(before.figures == nil, "nothing kept yet")
        await before.refresh()
        let made = try #require(before.figures)
        #expect(made.asOf == first)
        let file = folder + "/figures.json"
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? Int) == 0o600, "owner-only")
        // The next start, a day later, shows them before reading anything.
        let after = try service(in: folder, at: first.addingTimeInterval(86_400))
        #expect(after.figures == made)
        #expect(after.ascof?.period == before.ascof?.period)
        #expect(after.ascof != nil)
        // Its own read replaces them, and the file with them.
        await after.refresh()
        #expect(after.figures?.asOf == first.addingTimeInterval(86_400))
        #expect(try service(in: folder, at: first).figures?.asOf == first.addingTimeInterval(86_400))
    }

    @Test func keptFiguresYoungerThanTheIntervalStandAfterAStartUntilItIsOver() async throws {
        let folder = temporaryDirectory()
        let first = Date(timeIntervalSince1970: 1_767_603_600)
        let made = try service(in: folder, at: first)
        #expect(made.keptFiguresStand == .zero, "nothing kept: read at once")
        await made.refresh()
        // The default interval is five minutes: a start a minute later leaves them four, a start an hour later none.
        #expect(try service(in: folder, at: first.addingTimeInterval(60)).keptFiguresStand == .seconds(240))
        #expect(try service(in: folder, at: first.addingTimeInterval(3_600)).keptFiguresStand == .zero)
        #expect(try service(in: folder, at: first.addingTimeInterval(-60)).keptFiguresStand == .zero)
    }

    @Test func theOverviewsSummaryIsKeptAndAnsweredAtTheNextStartBeforeTheEngineHasCounted() async throws {
        let folder = temporaryDirectory()
        let first = Date(timeIntervalSince1970: 1_767_603_600)
        let store = try CaseStore(directory: folder)
        try await withEngine(store, policy: try shippedPolicy()) { engine in
            _ = try await engine.caseInDelivery(at: first)
            let reader = OverviewReader(engine: engine, clock: ManualClock(first), workers: nil, logger: Logger(label: "t"))
            #expect(await reader.figures(waitingUpTo: .zero) == nil, "nothing counted, nothing kept")
            await reader.refresh()
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/overview.json")
        #expect((attributes[.posixPermissions] as? Int) == 0o600, "owner-only")
        // The next start, a day later: the engine has not counted the store yet, so the kept summary's counts
        // stand, as of when it was read.
        let engine = try await Engine(store: try CaseStore(directory: folder), policy: try shippedPolicy())
        let later = first.addingTimeInterval(86_400)
        let reader = OverviewReader(engine: engine, clock: ManualClock(later), workers: nil, logger: Logger(label: "t"))
        let shown = try #require(await reader.figures(waitingUpTo: .zero))
        #expect(shown.at == first)
        #expect(shown.summaryAt == first)
        #expect(shown.stages.map(\.stage) == [.delivery])
        #expect(shown.stages.first?.cases == 1)
        // Once the engine has counted, its counts are shown, as of now.
        try await engine.countFigures()
        #expect(try #require(await reader.figures(waitingUpTo: .zero)).at == later)
    }

    @Test func aDamagedFileIsReadAgainFromTheHistories() async throws {
        let folder = temporaryDirectory()
        _ = try CaseStore(directory: folder)
        try Data("{\"timeliness\": 3".utf8).write(to: URL(fileURLWithPath: folder + "/figures.json"))
        let service = try service(in: folder, at: Date(timeIntervalSince1970: 1_767_603_600))
        #expect(service.figures == nil)
        await service.refresh()
        #expect(service.figures != nil)
    }
}
