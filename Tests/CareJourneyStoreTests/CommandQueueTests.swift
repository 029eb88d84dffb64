import Foundation
import Synchronization
import Testing

@testable import CareJourneyStore

/// The writer's queue: a lone item is taken at once; items found waiting (a steady stream) are gathered into a
/// fuller batch, for at most the gathering's time.
@Suite struct CommandQueueTests {
    /// `take` on a thread of its own (as the writer's), its batch and how long it took, once it returns; `started`
    /// is signalled as the thread calls it.
    private static func take(
        from queue: CommandQueue<Int>, gathering: CommandQueue<Int>.Gathering,
        started: DispatchSemaphore = DispatchSemaphore(value: 0)
    ) async -> (batch: [Int]?, waited: Duration) {
        await withCheckedContinuation { continuation in
            Thread {
                let start = ContinuousClock.now
                started.signal()
                let batch = queue.take(upTo: 100, gathering: gathering)
                continuation.resume(returning: (batch, ContinuousClock.now - start))
            }.start()
        }
    }

    @Test func aLoneItemIsTakenAtOnceWhateverTheGathering() async throws {
        let queue = CommandQueue<Int>()
        let started = DispatchSemaphore(value: 0)
        let taking = Task {
            await Self.take(from: queue, gathering: .init(atLeast: 256, within: .seconds(30)), started: started)
        }
        // The writer waits on an empty queue (the item must not come before it does: then it was waiting, and
        // gathered).
        await withCheckedContinuation { continuation in
            Thread {
                started.wait()
                continuation.resume()
            }.start()
        }
        try await Task.sleep(for: .seconds(1))  // time enough for the thread to reach its wait, however busy the machine
        #expect(queue.add(1))
        let (batch, waited) = await taking.value
        #expect(batch == [1])
        #expect(waited < .seconds(10), "taken as it came, not after the gathering's 30 s")
    }

    @Test func itemsFoundWaitingAreGatheredUntilThereAreEnough() async throws {
        let queue = CommandQueue<Int>()
        for item in 1...3 { #expect(queue.add(item)) }
        let taking = Task { await Self.take(from: queue, gathering: .init(atLeast: 5, within: .seconds(30))) }
        try await Task.sleep(for: .milliseconds(200))
        #expect(queue.add(4))
        #expect(queue.add(5))
        let (batch, waited) = await taking.value
        #expect(batch == [1, 2, 3, 4, 5], "the batch waited for the fifth, then went at once")
        #expect(waited < .seconds(10))
    }

    @Test func aGatheringWaitsNoLongerThanItsTimeAndACloseEndsItAtOnce() async throws {
        let queue = CommandQueue<Int>()
        for item in 1...3 { #expect(queue.add(item)) }
        let (batch, waited) = await Self.take(from: queue, gathering: .init(atLeast: 5, within: .milliseconds(300)))
        #expect(batch == [1, 2, 3])
        #expect(waited >= .milliseconds(300), "it gathered for its time")

        for item in 4...5 { #expect(queue.add(item)) }
        let taking = Task { await Self.take(from: queue, gathering: .init(atLeast: 100, within: .seconds(30))) }
        try await Task.sleep(for: .milliseconds(200))
        queue.close()
        let (rest, closing) = await taking.value
        #expect(rest == [4, 5], "what was added before the close is still taken")
        #expect(closing < .seconds(10))
        #expect(await Self.take(from: queue, gathering: .writer).batch == nil)
    }

    @Test func fewerThanTheGatheringsFirstCountGoAtOnce() async throws {
        let queue = CommandQueue<Int>()
        for item in 1...2 { #expect(queue.add(item)) }  // a command and its task's note: no stream
        let (batch, waited) = await Self.take(from: queue, gathering: .init(from: 3, atLeast: 100, within: .seconds(30)))
        #expect(batch == [1, 2])
        #expect(waited < .seconds(10), "taken at once, not after the gathering's 30 s")
    }
}
