import Foundation
import Testing

@testable import CareJourneyCore

/// Event data is typed strictly, and recorded histories replay to the same state.
@Suite struct EventCodingTests {
    @Test func unknownEventsAndBadDataAreClearErrors() {
        func error(_ name: String, _ data: JSONValue) -> TransitionError? {
            do { _ = try Event(name: name, data: data); return nil } catch { return error }
        }
        #expect(error("sign-of", [:])?.code == .unknownEvent)
        #expect(
            error("contact", ["name": "Ada", "clientType": "adult"])?.message
                == "the data of 'contact' is missing the field 'route'")
        #expect(
            error("ras-completed", ["points": "many", "informalSupport": "none"])?.message
                == "the data of 'ras-completed' has 'points' of the wrong type: expected a whole number")
        #expect(
            error("contact", ["name": "Ada", "clientType": "adult", "route": "gp", "religion": "1"])?.message
                == "the data of 'contact' has a field 'religion' it does not know; its fields are: accommodationStatus, "
                + "adultsCaredFor, autism, birthMonth, caredFor, caredForIDs, clientFundingStatus, clientType, "
                + "dateOfBirth, dateOfDeath, dementia, employmentStatus, ethnicity, gender, gpPracticeCode, "
                + "gpPracticeName, hasUnpaidCarer, hearingImpairment, name, nhsNumber, postcode, primarySupportReason, "
                + "route, summary, visualImpairment"
        )
        // Of several unknown fields, the first by name is named (a null one counts as absent).
        #expect(
            error("contact", ["name": "Ada", "clientType": "adult", "route": "gp", "zodiac": "leo", "bloodGroup": "O", "aura": .null])?
                .field == "bloodGroup")
        #expect(
            error("contact", ["name": "Ada", "clientType": "child", "route": "gp"])?.message.contains(
                "'child' is not one of: adult, carer") == true)
        #expect(error("sign-off", "now")?.code == .invalidData)
    }

    @Test func everySampleRoundTripsThroughJSON() throws {
        for name in EventName.allCases {
            for sample in EventCatalog.samples(of: name) {
                let event = try Event(name: name.rawValue, data: sample)
                let json = try JSONEncoder().encode(event)
                #expect(try JSONDecoder().decode(Event.self, from: json) == event, "\(name.rawValue)")
            }
        }
    }

    @Test func aRecordedHistoryReplaysToTheSameState() throws {
        var ada = Driver()
        var history: [(Date, Event)] = []
        func record(_ driver: inout Driver, _ name: String, _ data: JSONValue = [:], after: TimeInterval = 0) {
            driver.send(name, data, after: after)
            history.append((driver.now, event(name, data)))
        }
        record(&ada, "contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        record(&ada, "start-assessment", after: hours(1))
        record(&ada, "assessment-completed", ["needs": ["care"], "outcomes": ["home"]], after: days(3))
        record(&ada, "eligibility-decided", ["eligible": true], after: days(1))
        record(&ada, "ras-completed", ["points": 30, "informalSupport": "none"], after: days(1))
        record(&ada, "plan-updated", Driver.fullPlan)
        record(&ada, "sign-off", after: days(1))
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let recorded = try history.map {
            String(decoding: try encoder.encode(HistoryLine(at: $0.0, event: $0.1)), as: UTF8.self)
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        var replayed = CaseState(id: "ada")
        for line in recorded {
            let entry = try decoder.decode(HistoryLine.self, from: Data(line.utf8))
            replayed = try Journey.apply(entry.event, to: replayed, at: entry.at, by: "test", policy: testPolicy).state
        }
        #expect(replayed == ada.state)
    }

    struct HistoryLine: Codable {
        let at: Date
        let event: Event
    }
}
