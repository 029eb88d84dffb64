import CareJourneyCore
import CareJourneyKit
import Foundation
import Testing
import CareJourneyTestSupport

@testable import CareJourneyServer

/// Decisions over HTTP, signed in as different people: each event's minimum role, and four eyes on money and
/// safeguarding.
@Suite struct DecisionAccessTests {
    @Test func eachDecisionNeedsItsMinimumRole() async throws {
        let people = try People()
        try await LiveServer.with(tokens: people.file) { server in
            let jones = server.signedIn(as: people["sw.jones"])
            let manager = server.signedIn(as: people["m.patel"])
            _ = try await jones.post("/api/cases", ["data": ["name": "Ada", "clientType": "adult", "route": "gp"]])
            _ = try await jones.post("/api/cases/C-1/events", ["name": "safeguarding-concern"])
            let decided = try await jones.post(
                "/api/cases/C-1/events", ["name": "s42-decision", "data": ["enquiry": true]])
            #expect(decided.status == 403)
            #expect(decided["type"]?.string == "/problems/role-too-low")
            #expect(
                decided["detail"]?.string?.hasPrefix(
                    "'s42-decision' needs the manager role (docs/events.md); you are signed in as sw.jones (practitioner)"
                ) == true)
            #expect(
                try await manager.post("/api/cases/C-1/events", ["name": "s42-decision", "data": ["enquiry": true]])
                    .status == 200)
            // Closing: a practitioner may for most reasons, not for a death (services stop for good).
            let death = try await jones.post(
                "/api/cases/C-1/events", ["name": "close-case", "data": ["reason": "deceased"]])
            #expect(death.status == 403)
            #expect(death["detail"]?.string?.hasPrefix("'close-case' for the reason 'deceased' needs the manager") == true)
            let declined = try await jones.post(
                "/api/cases/C-1/events", ["name": "close-case", "data": ["reason": "support-declined"]])
            #expect(declined.status == 200)
        }
    }

    @Test func fourEyesNeedsTwoPeopleForAHighCostApprovalAndASafeguardingConclusion() async throws {
        let people = try People()
        try await LiveServer.with(tokens: people.file) { server in
            let patel = server.signedIn(as: people["m.patel"])
            let admin = server.signedIn(as: people["a.dmin"])
            _ = try await patel.post("/api/cases", ["data": ["name": "Ada", "clientType": "adult", "route": "gp"]])
            for (name, data) in EventCatalog.pathToDelivery.prefix(4) {
                let done = try await patel.post("/api/cases/C-1/events", ["name": .string(name.rawValue), "data": data])
                #expect(done.status == 200, "\(name): \(done.text)")
            }
            let plan: JSONValue = [
                "needs": ["personal care"], "outcomes": ["home"], "metByNetwork": ["family"], "personalBudget": 1500,
                "councilManaged": ["services": ["live-in care"], "weeklyCost": 1450], "riskManagement": "pendant",
                "contingencyPlan": "agency cover",
            ]
            #expect(try await patel.post("/api/cases/C-1/events", ["name": "plan-updated", "data": plan]).status == 200)
            // Kent's checklist (the shipped policies ask for it) needs a CHC checklist recorded on the case.
            let screened = try await patel.post(
                "/api/cases/C-1/events", ["name": "chc-checklist-completed", "data": ["positive": false]])
            #expect(screened.status == 200)
            let checklist = EventCatalog.samples(of: .requestHighCostApproval)[0]
            let asked = try await patel.post(
                "/api/cases/C-1/events", ["name": "request-high-cost-approval", "data": checklist])
            #expect(asked.status == 200)
            let own = try await patel.post(
                "/api/cases/C-1/events", ["name": "high-cost-decided", "data": ["approved": true]])
            #expect(own.status == 409)
            #expect(own["type"]?.string == "/problems/guard-failed")
            #expect(own["missing"]?.array == ["m.patel asked for this approval", "m.patel wrote the plan"])
            let other = try await admin.post(
                "/api/cases/C-1/events", ["name": "high-cost-decided", "data": ["approved": true]])
            #expect(other.status == 200)

            _ = try await patel.post("/api/cases/C-1/events", ["name": "safeguarding-concern"])
            _ = try await patel.post("/api/cases/C-1/events", ["name": "s42-decision", "data": ["enquiry": true]])
            let alone = try await patel.post(
                "/api/cases/C-1/events", ["name": "safeguarding-concluded", "data": ["outcome": "risk-removed"]])
            #expect(alone.status == 409)
            #expect(alone["detail"]?.string?.contains("four eyes") == true)
            let concluded = try await admin.post(
                "/api/cases/C-1/events", ["name": "safeguarding-concluded", "data": ["outcome": "risk-removed"]])
            #expect(concluded.status == 200)
            let history = try await admin.get("/api/cases/C-1")["history"]?.array ?? []
            #expect(history.last?["actor"]?.string == "a.dmin")
        }
    }

    @Test func aNegativeAmountIsRefusedNamingItsField() async throws {
        try await LiveServer.with { server in
            _ = try await server.post("/api/cases", ["data": ["name": "Ada", "clientType": "adult", "route": "gp"]])
            for (name, data) in EventCatalog.pathToDelivery.prefix(4) {
                _ = try await server.post("/api/cases/C-1/events", ["name": .string(name.rawValue), "data": data])
            }
            let refused = try await server.post(
                "/api/cases/C-1/events",
                [
                    "name": "plan-updated",
                    "data": [
                        "personalBudget": 900, "councilManaged": ["services": ["live-in care"], "weeklyCost": 1450],
                        "directPayment": ["amount": -600, "frequency": "weekly", "purchases": ["personal-assistant"]],
                    ],
                ])
            #expect(refused.status == 422)
            #expect(refused["field"]?.string == "data.directPayment.amount")
            #expect(refused["detail"]?.string?.contains("below zero") == true)
        }
    }
}
