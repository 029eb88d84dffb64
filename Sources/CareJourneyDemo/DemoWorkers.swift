import CareJourneyExampleWorkers
import CareJourneyWorker
import CareJourneySamples
import Foundation
import Synchronization

/// The example workers as the demo runs them: in-process, each taking a moment of wall time over a task, and now
/// and then failing without a retry (seeded), so that the operations team has failed tasks to retry or cancel.
struct DemoWorkers: Sendable {
    let seed: UInt64
    /// Seconds of wall time a worker takes over a task, at least and at most.
    let pace: ClosedRange<Double>
    /// The share of replies that fail.
    let failureRate: Double
    /// Where review reminders are written.
    let reminderOutbox: String

    /// The brokerage (two at once), advocacy, direct-payment and review-reminder workers.
    var workers: [InProcessWorker] {
        let examples: [(worker: any ExampleWorker, slots: Int, failure: String)] = [
            (BrokerageDesk(), 2, "no provider in the directory answered in time"),
            (AdvocacyRota(), 1, "the advocacy service's rota could not be reached"),
            (DirectPaymentMonitor(), 1, "the bank's statement feed timed out"),
            (ReviewReminderOutbox(path: reminderOutbox), 1, "the letter service refused the address"),
        ]
        let (pace, failureRate) = (pace, failureRate)
        return examples.enumerated().map { index, example in
            let dice = Dice(seed: seed &+ UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15)
            let (worker, failure) = (example.worker, example.failure)
            return InProcessWorker(service: worker.service, slots: example.slots) { task, progress in
                let (pause, fails) = dice.roll(pace: pace, failureRate: failureRate)
                if pause > 0 { try? await Task.sleep(for: .seconds(pause)) }
                if fails { return .failed("\(failure) (a demo failure: retry or cancel the task)", retry: false) }
                return worker.answer(task, progress: progress)
            }
        }
    }
}

/// A worker's seeded dice: how long a task takes, and whether it fails.
private final class Dice: Sendable {
    private let generator: Mutex<SplitMix64>

    init(seed: UInt64) { generator = Mutex(SplitMix64(seed: seed)) }

    func roll(pace: ClosedRange<Double>, failureRate: Double) -> (pause: Double, fails: Bool) {
        generator.withLock { generator in
            let pause =
                pace.lowerBound + Double.random(in: 0...1, using: &generator) * (pace.upperBound - pace.lowerBound)
            return (pause, Double.random(in: 0..<1, using: &generator) < failureRate)
        }
    }
}
