import Testing

@testable import CareJourneyCore

/// The catalog says what to enter in every field of every event people send, and no description outlives the field
/// it was written for.
@Suite struct EventFieldDescriptionTests {
    /// Every field path of every event people send, by event.
    static let paths = EventCatalog.eventsPeopleSend.map { name in
        (name, EventCatalog.formFields(of: name).flatMap(\.paths))
    }

    @Test func theEventsPeopleSendAreEveryEventButTheServicesOwn() {
        #expect(Set(EventCatalog.eventsPeopleSend) == Set(EventName.allCases).subtracting(Event.systemEvents))
        #expect(Self.paths.reduce(0) { $0 + $1.1.count } > 200)
    }

    @Test func everyFieldOfEveryEventPeopleSendHasADescription() {
        for (name, paths) in Self.paths {
            for path in paths {
                let description = EventCatalog.description(of: path, in: name)
                #expect(description?.isEmpty == false, "'\(name.rawValue)' has no description for '\(path)'")
                #expect(
                    description?.last == "." || description?.last == "?", "'\(name.rawValue)' \(path): not a sentence")
            }
        }
    }

    @Test func theFormsFieldsCarryTheirDescriptionsNestedOnesToo() throws {
        let plan = EventCatalog.formFields(of: .planUpdated)
        let managed = try #require(plan.first { $0.name == "councilManaged" })
        #expect(managed.description == EventCatalog.eventFieldDescriptions[.planUpdated]?["councilManaged"])
        guard case .group(let parts) = managed.kind, let cost = parts.first(where: { $0.name == "weeklyCost" }) else {
            Issue.record("councilManaged has no weeklyCost")
            return
        }
        #expect(cost.description?.hasPrefix("Pounds a week") == true)
        #expect(cost.description != EventCatalog.sharedFieldDescriptions["weeklyCost"])
        guard case .groups(let needs) = plan.first(where: { $0.name == "needsMetByCouncil" })?.kind else {
            Issue.record("needsMetByCouncil is not a list of groups")
            return
        }
        let how = EventCatalog.description(of: "needsMetByCouncil[].how", in: .planUpdated)
        #expect(how != nil && needs.first { $0.name == "how" }?.description == how)
        // A shared description: the same words wherever the name means the same.
        let found = EventCatalog.formFields(of: .providerFound).first { $0.name == "weeklyCost" }
        #expect(found?.description == EventCatalog.sharedFieldDescriptions["weeklyCost"])
        #expect(EventCatalog.formFields(of: .contact).first { $0.name == "postcode" }?.description
            == EventCatalog.formFields(of: .recordPersonDetails).first { $0.name == "postcode" }?.description)
    }

    @Test func noEventsDescriptionNamesAFieldThatNoLongerExists() {
        let byEvent = Dictionary(uniqueKeysWithValues: Self.paths.map { ($0.0, Set($0.1)) })
        for (name, descriptions) in EventCatalog.eventFieldDescriptions {
            let paths = byEvent[name] ?? []
            #expect(!paths.isEmpty, "descriptions for '\(name.rawValue)', which people do not send")
            for path in descriptions.keys {
                #expect(paths.contains(path), "'\(name.rawValue)' has no field '\(path)' now: remove its description")
            }
        }
    }

    @Test func everySharedDescriptionIsTheDescriptionOfSomeField() {
        // A shared description that every event overrides, or whose name no event has, is stale.
        var used = Set<String>()
        for (name, paths) in Self.paths {
            for path in paths where EventCatalog.eventFieldDescriptions[name]?[path] == nil {
                used.insert(EventField.name(atEndOf: path))
            }
        }
        for name in EventCatalog.sharedFieldDescriptions.keys {
            #expect(used.contains(name), "no field takes the shared description of '\(name)': remove it")
        }
    }

    @Test func aPathsOwnNameIsItsLastPart() {
        #expect(EventField.name(atEndOf: "councilManaged.weeklyCost") == "weeklyCost")
        #expect(EventField.name(atEndOf: "needsMetByCouncil[].need") == "need")
        #expect(EventField.name(atEndOf: "needsMetByCouncil") == "needsMetByCouncil")
    }
}
