import Foundation
import Synchronization
import Testing

@testable import CareJourneyServer

/// The Plan page's forecast runs off the cooperative pool, and stops when its task is cancelled (a graceful
/// shutdown) instead of outliving the service.
@Suite struct PlanForecastServiceTests {
    @Test func workOffThePoolIsToldToStopWhenItsTaskIsCancelled() async {
        let started = Mutex(false)
        let running = Task {
            await PlanForecastService.offThePool { stop -> Bool in
                started.withLock { $0 = true }
                // Work that runs for up to 30 s unless told to stop: it says whether it was.
                for _ in 0..<30_000 {
                    if stop() { return true }
                    usleep(1000)
                }
                return false
            }
        }
        while !started.withLock({ $0 }) { await Task.yield() }
        running.cancel()
        #expect(await running.value, "the work was told to stop when its task was cancelled")
    }

    @Test func workOffThePoolRunsToItsEndWhenNothingIsCancelled() async {
        let asked = await PlanForecastService.offThePool { stop -> [Bool] in (0..<3).map { _ in stop() } }
        #expect(asked == [false, false, false])
    }
}
