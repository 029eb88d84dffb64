import Foundation
import Synchronization
import Testing

@testable import CareJourneyServer

/// The Plan page's forecast runs off the cooperative pool, and stops when its task is cancelled (a graceful
/// shutdown) instead of outliving the service.
@Suite struct PlanForecastServiceTests {
    @Test(.timeLimit(.minutes(1))) func workOffThePoolIsToldToStopWhenItsTaskIsCancelled() async {
        let started = Mutex(false)
        let running = Task {
            await PlanForecastService.offThePool { stop -> Int in
                started.withLock { $0 = true }
                var turns = 0
                // Work that would run for ever unless told to stop.
                while !stop() {
                    turns += 1
                    usleep(1000)
                }
                return turns
            }
        }
        while !started.withLock({ $0 }) { await Task.yield() }
        running.cancel()
        #expect(await running.value >= 0, "it returned once told to stop")
    }

    @Test func workOffThePoolRunsToItsEndWhenNothingIsCancelled() async {
        let asked = await PlanForecastService.offThePool { stop -> [Bool] in (0..<3).map { _ in stop() } }
        #expect(asked == [false, false, false])
    }
}
