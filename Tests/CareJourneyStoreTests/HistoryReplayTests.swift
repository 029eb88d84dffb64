import CareJourneyCore
import Foundation
import Testing
import CareJourneyTestSupport

@testable import CareJourneyStore

/// Reports read the stored histories: every case that may have something in the period, each replayed to the
/// state the engine holds.
@Suite struct HistoryReplayTests {
    /// A fold in chunks beside the writer checkpoints the WAL between its chunks, so the writer's next commits start
    /// the WAL again from its beginning: it stays the size it was instead of growing with every commit. (Too few
    /// commits here for SQLite's automatic checkpoint, at 10,000 pages, to do it.)
    @Test func aFoldInChunksLetsTheWriterStartTheWALAgain() async throws {
        let directory = temporaryDirectory()
        let store = try CaseStore(directory: directory)
        let wal = URL(fileURLWithPath: directory).appendingPathComponent(CaseStore.fileName + "-wal").path
        let walSize: @Sendable () -> Int = {
            ((try? FileManager.default.attributesOfItem(atPath: wal))?[.size] as? Int) ?? 0
        }
        let (before, after, folded) = try await withEngine(store, policy: try shippedPolicy()) { engine in
            for n in 0..<4 { _ = try await engine.caseInDelivery(at: start, name: "Person \(n)") }
            let before = walSize()
            let folded = try await store.reduceHistories(activeFrom: start, into: 0, inChunksOf: 2) { count, _ in
                count += 1
            }
            for n in 4..<8 { _ = try await engine.caseInDelivery(at: start, name: "Person \(n)") }
            return (before, walSize(), folded)
        }
        #expect(folded == 4)
        #expect(before > 0)
        #expect(after <= before, "the WAL grew from \(before) to \(after) bytes after the fold")
    }

    /// The cases a report reads again: each named case once, in order of id, whatever the order and repeats asked,
    /// chunk after chunk; a case the store does not hold is passed over.
    @Test func theCasesReadAgainAreFoldedOnceEachInOrderOfIdChunkByChunk() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        let ids = try await withEngine(store, policy: try shippedPolicy()) { engine in
            var ids: [CaseID] = []
            for n in 0..<5 { ids.append(try await engine.caseInDelivery(at: start, name: "Person \(n)")) }
            return ids
        }
        let asked = [ids[4], ids[1], ids[3], ids[1], CaseID("C-999999")]
        let folded = try await store.reduceHistories(of: asked, into: [CaseHistory](), inChunksOf: 2) { $0.append($1) }
        #expect(folded.map(\.id) == [ids[1], ids[3], ids[4]].sorted { $0.rawValue < $1.rawValue })
        for history in folded {
            let stored = try #require(try await store.record(of: history.id))
            #expect(history.latest == stored.state)
            #expect(history.steps.map(\.version) == Array(1...stored.version))
        }
        let none = try await store.reduceHistories(of: [], into: 0) { count, _ in count += 1 }
        #expect(none == 0)
    }

    @Test func historiesReplayToTheStoredStateAndSkipCasesClosedBeforeThePeriod() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        let (open, closed) = try await withEngine(store, policy: try shippedPolicy()) { engine in
            let open = try await engine.caseInDelivery(at: start)
            let contact: JSONValue = ["name": "Bo", "clientType": "adult", "route": "self-referral"]
            let closed = try #require(try await engine.send(nil, "contact", contact, at: start)).state.id
            try await engine.send(closed, "give-information-and-advice", at: start.addingTimeInterval(3_600))
            return (open, closed)
        }
        let stored = try #require(try await store.record(of: open))

        let all = try await store.reduceHistories(activeFrom: start, into: [CaseHistory]()) { $0.append($1) }
        #expect(Set(all.map(\.id)) == [open, closed])
        let history = try #require(all.first { $0.id == open })
        #expect(history.latest == stored.state)
        #expect(history.steps.map(\.version) == Array(1...stored.version))
        #expect(history.steps.first?.event.name == .contact)
        #expect(history.steps.map(\.at).allSatisfy { $0 == start })

        // Bo's case closed an hour after it opened: nothing of it can count in a period from the next day.
        let later = try await store.reduceHistories(
            activeFrom: start.addingTimeInterval(86_400), into: [CaseID]()
        ) { $0.append($1.id) }
        #expect(later == [open])
    }

    @Test func aFoldInChunksReadsTheSameHistoriesAsOneRead() async throws {
        let store = try CaseStore(directory: temporaryDirectory())
        let closed = try await withEngine(store, policy: try shippedPolicy()) { engine in
            for number in 0..<7 { _ = try await engine.caseInDelivery(at: start, name: "Person \(number)") }
            let contact: JSONValue = ["name": "Bo", "clientType": "adult", "route": "self-referral"]
            let closed = try #require(try await engine.send(nil, "contact", contact, at: start)).state.id
            try await engine.send(closed, "give-information-and-advice", at: start.addingTimeInterval(3_600))
            return closed
        }
        for from in [start, start.addingTimeInterval(86_400)] {
            let whole = try await store.reduceHistories(activeFrom: from, into: [CaseHistory]()) { $0.append($1) }
            #expect(whole.count == (from == start ? 8 : 7))
            #expect(whole.contains { $0.id == closed } == (from == start))
            for chunk in [1, 3, 100] {
                let chunked = try await store.reduceHistories(
                    activeFrom: from, into: [CaseHistory](), inChunksOf: chunk
                ) {
                    $0.append($1)
                }
                #expect(chunked.map(\.id) == whole.map(\.id), "chunks of \(chunk)")
                #expect(chunked.map(\.latest) == whole.map(\.latest), "chunks of \(chunk)")
                #expect(chunked.map { $0.steps.count } == whole.map { $0.steps.count }, "chunks of \(chunk)")
            }
        }
    }
}
