import CareJourneyServer
import CareJourneyCore
import CareJourneyDemo
import CareJourneySamples
import Foundation

/// What `carejourney demo` prints once it is running: what was seeded, where to look, how to sign in, how to stop.
struct DemoBanner {
    let running: CareJourneyDemo.Running
    let options: CareJourneyDemo.Options

    var text: String {
        let base = "http://\(options.host):\(running.listening.httpPort)"
        let day = 86_400 / options.timeScale
        let oneIn = options.failureRate > 0 ? Int((1 / options.failureRate).rounded()) : 0
        let failures =
            oneIn > 0
            ? "about 1 reply in \(oneIn) fails, for you to retry or cancel at \(base)/queues" : "none on purpose"
        return """
            \(seeding)
              dashboard: \(base)/
              the API:   \(base)/api/cases (described at \(base)/openapi.yaml)
              workers:   MDP on \(running.listening.mdp ?? "(broker not running)"); in this process: brokerage, advocacy, dp-monitoring, review-reminders
              failures:  \(failures)
              events:    \(running.listening.events ?? "not published")
              clock:     \(Int(options.timeScale).grouped)× the wall clock: a day every \(Self.seconds(day)), so 72-hour informal reviews come due in \(Self.seconds(3 * day))
              data:      \(options.dataDirectory) (kept for next time; --fresh starts over)
              \(signIn)
            Stop with Ctrl-C: the workers finish the task in hand and every accepted command is committed first.

            """
    }

    /// `48 s`, `2 min`, `3 h`.
    static func seconds(_ seconds: Double) -> String {
        if seconds < 90 { return "\(Int(seconds.rounded())) s" }
        if seconds < 90 * 60 { return "\(Int((seconds / 60).rounded())) min" }
        return "\(Int((seconds / 3600).rounded())) h"
    }

    private var seeding: String {
        switch running.folder.contents {
        case .fresh:
            guard let report = running.listening.seeded else { return "CareJourney demo is running" }
            let rate = Double(report.events) / max(report.seconds, 0.001)
            return "CareJourney demo: \(report.cases.grouped) cases with a year of history (\(report.events.grouped) "
                + "events seeded in \(String(format: "%.1f", report.seconds)) s, \(Int(rate).grouped) events/s)"
        case .earlierDemo(let seeded):
            return "CareJourney demo, carried on from \(options.dataDirectory) (\(seeded))"
        }
    }

    private var signIn: String {
        running.folder.access.people.map { person in
            "sign in:   as \(person.name) (\(person.role.rawValue)) at /sign-in with the token \(person.token)"
        }.joined(separator: "\n  ")
    }
}
