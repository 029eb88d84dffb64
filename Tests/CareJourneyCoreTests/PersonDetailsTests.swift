import CareJourneyCore
import Foundation
import Testing

/// The person's details the CLD Release 2 return needs: each refused naming its field when it cannot be right, kept
/// across events, and read from `contact` as from `record-person-details`.
@Suite struct PersonDetailsTests {
    @Test func eachNewDetailIsRefusedNamingItsFieldWhenItCannotBeRight() {
        var ada = Driver()
        ada.send("contact", ["name": "Ada Lovelace", "clientType": "adult", "route": "gp"])
        let cases: [(JSONValue, String)] = [
            (["dateOfBirth": "1941-02-30"], "dateOfBirth"),
            (["dateOfBirth": "14/03/1941"], "dateOfBirth"),
            (["dateOfDeath": "2026-13-01"], "dateOfDeath"),
            (["accommodationStatus": "own-home"], "accommodationStatus"),
            (["employmentStatus": "retired"], "employmentStatus"),
            (["hasUnpaidCarer": "maybe"], "hasUnpaidCarer"),
            (["clientFundingStatus": "council"], "clientFundingStatus"),
            (["gpPracticeCode": "C8100"], "gpPracticeCode"),
            (["gpPracticeName": "  "], "gpPracticeName"),
            (["visualImpairment": "blind"], "visualImpairment"),
            (["adultsCaredFor": 0], "adultsCaredFor"),
            (["caredForIDs": ["C-1", "C-2", "C-3", "C-4"]], "caredForIDs"),
            (["dateOfBirth": "1941-03-14", "birthMonth": "1941-04"], "birthMonth"),
            (["dateOfBirth": "1941-03-14", "dateOfDeath": "1940-01-01"], "dateOfDeath"),
        ]
        for (data, field) in cases {
            let error = ada.refused("record-person-details", data)
            #expect(error?.code == .invalidData, "\(data)")
            #expect(error?.field == field, "\(data): \(error?.message ?? "accepted")")
        }
        #expect(
            ada.refused("record-person-details", ["dateOfBirth": "1941-02-30"])?.message
                == "the data of 'record-person-details' has a bad value for 'dateOfBirth': '1941-02-30' is not a day "
                + "written YYYY-MM-DD (from 1900 to 2100), like 1941-03-14")
        #expect(ada.state.person?.details == nil, "nothing refused was kept")
    }

    @Test func detailsAreKeptNormalisedAndAFullDateOfBirthSetsTheMonth() throws {
        var ada = Driver()
        ada.send(
            "contact",
            [
                "name": "Ada Lovelace", "clientType": "adult", "route": "gp", "dateOfBirth": "1941-03-14",
                "accommodationStatus": "owner-occupier", "hasUnpaidCarer": true, "gpPracticeCode": "c81001",
            ])
        var known = PersonDetails(
            birthMonth: "1941-03", dateOfBirth: CalendarDay("1941-03-14"), accommodationStatus: .ownerOccupier,
            hasUnpaidCarer: .yes, gpPracticeCode: GPPracticeCode("C81001"))
        #expect(ada.state.person?.details == known)

        ada.send(
            "record-person-details",
            ["clientFundingStatus": "jointly-funded", "employmentStatus": "paid-under-16-hours", "dementia": "no"])
        known.clientFundingStatus = .jointlyFunded
        known.employmentStatus = .paidUnder16Hours
        known.dementia = .no
        #expect(ada.state.person?.details == known)

        // A month put right on its own takes the full date of another month with it.
        ada.send("record-person-details", ["birthMonth": "1942-03"])
        #expect(ada.state.person?.details?.dateOfBirth == nil)
        #expect(ada.state.person?.details?.birthMonth == "1942-03")
        ada.send("record-person-details", ["dateOfBirth": "1942-03-09", "dateOfDeath": "2026-07-09"])
        #expect(ada.state.person?.details?.birthMonth == "1942-03")
        #expect(ada.state.person?.details?.dateOfDeath == CalendarDay("2026-07-09"))
    }

    @Test func theFieldNamesAreTheKeysTheDetailsAreWrittenWith() throws {
        let full = PersonDetails(
            nhsNumber: "9434765919", birthMonth: "1941-03", gender: .female, ethnicity: .whiteRoma, postcode: "DE1 2AB",
            primarySupportReason: .mentalHealth, dateOfBirth: CalendarDay("1941-03-14"),
            dateOfDeath: CalendarDay("2026-01-02"), accommodationStatus: .refuge, employmentStatus: .seekingWork,
            hasUnpaidCarer: .unknown, clientFundingStatus: .fullyClientFunded, gpPracticeCode: GPPracticeCode("C81001"),
            gpPracticeName: "Derwent Surgery", autism: .no, dementia: .yes, visualImpairment: .sightImpaired,
            hearingImpairment: .hardOfHearing, adultsCaredFor: 2, caredForIDs: ["C-1"])
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(full)) as? [String: Any]
        #expect(Set((object ?? [:]).keys) == Set(PersonDetails.fieldNames))
        #expect(try JSONDecoder().decode(PersonDetails.self, from: JSONEncoder().encode(full)) == full)
    }

    @Test func whoTookPartAndTheProvidersUnitsAreRead() throws {
        var ada = Driver()
        ada.toPlanning()
        #expect(
            ada.refused("provider-found", ["provider": "Sunrise", "weeklyCost": 200, "plannedUnitsPerWeek": -1])?
                .field == "plannedUnitsPerWeek")
        #expect(
            ada.refused("provider-found", ["provider": "Sunrise", "weeklyCost": 200, "cqcLocationID": "123"])?.field
                == "cqcLocationID")
        #expect(
            ada.refused("provider-found", ["provider": "Sunrise", "weeklyCost": 200, "unitType": "fortnight"])?.field
                == "unitType")
        let reply = try Event(
            name: "provider-found",
            data: [
                "provider": "Sunrise", "weeklyCost": 215.5, "unitCost": 21.55, "unitType": "hourly",
                "plannedUnitsPerWeek": 10, "cqcLocationID": "1-123456789",
            ])
        guard case .providerFound(let found) = reply else {
            Issue.record("not a provider-found")
            return
        }
        #expect(found.plannedUnitsPerWeek?.description == "10.00")
        #expect(found.unitType == .hourly && found.unitCost == Money(pounds: 21.55))
        let completed = try Event(
            name: "assessment-completed", data: ["needs": ["meals"], "outcomes": ["eat"], "participants": "carer"])
        guard case .assessmentCompleted(let result) = completed else {
            Issue.record("not an assessment-completed")
            return
        }
        #expect(result.participants == .carer)
        #expect(throws: TransitionError.self) {
            try Event(name: "review-completed", data: ["outcome": "no-change", "participants": "face-to-face"])
        }
    }

    @Test func aCarerWhoAcceptsAnAssessmentIsLinkedToThePersonTheyCareFor() {
        var ada = Driver("C-7")
        ada.send("contact", ["name": "Ada", "clientType": "adult", "route": "gp"])
        ada.send("start-assessment")
        ada.send("assessment-completed", ["needs": ["meals"], "outcomes": ["eat"], "carerReliedOn": true])
        ada.send("carer-assessment-offered", ["accepted": true, "carerName": "Carl Example"])
        let opened = ada.effects.compactMap { if case .openCase(let contact) = $0 { contact } else { nil } }
        #expect(opened.map(\.details.caredForIDs) == [["C-7"]])
        #expect(opened.map(\.clientType) == [.carer])
    }
}
