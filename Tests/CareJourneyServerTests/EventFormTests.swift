import CareJourneyCore
import Foundation
import Testing
import CareJourneyTestSupport

@testable import CareJourneyServer

/// Forms are generated from the typed event catalog: every event people send has one, every field of its data
/// appears on it, and what a form posts is read back as data the API takes.
@Suite struct EventFormTests {
    /// Every event people send from a form.
    static let formEvents = EventName.allCases.filter(Dashboard.hasForm)

    @Test func everyEventPeopleSendHasAFormWithEveryFieldOfItsData() {
        #expect(Self.formEvents.count == EventName.allCases.count - Event.systemEvents.count - Dashboard.buttonEvents.count)
        for name in Self.formEvents {
            let fields = EventCatalog.formFields(of: name)
            let paths = Set(fields.flatMap(\.paths))
            // Every field the catalog's samples use (and every person detail, for those that take them) is asked for.
            for field in EventCatalog.fields(of: name) {
                #expect(paths.contains(field), "'\(name.rawValue)' has no form field for '\(field)'")
            }
            let html = EventForm(name, on: "C-1").render(viewer: Viewer(nil), submit: "Record it").description
            for field in fields where field.kind != .task {
                #expect(html.contains("name=\"\(field.name)") || html.contains("id=\"\(EventForm.id(field.name))\""),
                        "'\(name.rawValue)': '\(field.name)' is not on the form")
            }
        }
    }

    /// A group (or a list of groups) on a form always has fields to fill in, whether or not the catalog's samples give
    /// it: one learnt by its type alone would show empty boxes.
    @Test func everyGroupHasFieldsToFillIn() {
        func check(_ fields: [EventField], of name: EventName) {
            for field in fields {
                switch field.kind {
                case .group(let children), .groups(let children):
                    #expect(!children.isEmpty, "'\(name.rawValue)': \(field.name) has no fields to fill in")
                    check(children, of: name)
                default: break
                }
            }
        }
        for name in Self.formEvents { check(EventCatalog.formFields(of: name), of: name) }
    }

    @Test func fieldsHaveTheKindsTheirTypesDecode() throws {
        let fields = Dictionary(uniqueKeysWithValues: EventCatalog.formFields(of: .planUpdated).map { ($0.name, $0) })
        #expect(fields["needs"]?.kind == .list(.text))
        #expect(fields["personalBudget"]?.kind == .money)
        #expect(fields["removeDirectPayment"]?.kind == .yesNo)
        guard case .group(let managed) = fields["councilManaged"]?.kind else {
            Issue.record("councilManaged is not a group")
            return
        }
        #expect(managed.first { $0.name == "weeklyCost" }?.kind == .money)
        #expect(managed.first { $0.name == "weeklyCost" }?.required == true)
        guard case .groups(let met) = fields["needsMetByCouncil"]?.kind else {
            Issue.record("needsMetByCouncil is not a list of groups")
            return
        }
        #expect(met.map(\.name) == ["need", "how"])
        guard case .groups(let items) = fields["supportItems"]?.kind else {
            Issue.record("supportItems is not a list of groups")
            return
        }
        #expect(items.map(\.name) == ["rate", "perWeek"])
        #expect(items.last?.kind == .number)
        let eligibility = EventCatalog.formFields(of: .eligibilityDecided)
        let eligible = eligibility.first { $0.name == "eligible" }
        #expect(eligible?.kind == .yesNo)
        #expect(eligible?.required == true)
        let contact = Dictionary(uniqueKeysWithValues: EventCatalog.formFields(of: .contact).map { ($0.name, $0) })
        #expect(contact["dateOfBirth"]?.kind == .date)
        #expect(contact["clientType"]?.kind == .choice(["adult", "carer"]))
        #expect(contact["name"]?.required == true)
        #expect(contact["summary"]?.required == false)
    }

    @Test func aPostedFormIsReadBackAsDataTheAPITakes() throws {
        let posted = FormData(
            "needs=personal+care%0D%0Ameals&personalBudget=%C2%A3320.50&councilManaged.services=home+care"
                + "&councilManaged.weeklyCost=220&needsMetByCouncil.0.need=personal+care&needsMetByCouncil.0.how=twice+a+day"
                + "&needsMetByCouncil.1.need=&removeDirectPayment=false")
        let (data, errors) = EventFormData.read(posted, fields: EventCatalog.formFields(of: .planUpdated))
        #expect(errors.isEmpty)
        #expect(data["needs"] == ["personal care", "meals"])
        #expect(data["personalBudget"] == 320.5)
        #expect(data["councilManaged"]?["weeklyCost"] == 220)
        #expect(data["needsMetByCouncil"] == [["need": "personal care", "how": "twice a day"]])
        #expect(data["removeDirectPayment"] == false)
        _ = try Event(name: "plan-updated", data: data)

        let contact = FormData("name=Ada&clientType=adult&route=gp&dateOfBirth.day=14&dateOfBirth.month=3&dateOfBirth.year=1941")
        let read = EventFormData.read(contact, fields: EventCatalog.formFields(of: .contact))
        #expect(read.data["dateOfBirth"] == "1941-03-14")
        let missing = EventFormData.read(FormData("clientType=adult&personalBudget=lots"), fields: EventCatalog.formFields(of: .contact))
        #expect(missing.errors["name"] == "Enter name")
        let money = EventFormData.read(FormData("personalBudget=lots"), fields: EventCatalog.formFields(of: .planUpdated))
        #expect(money.errors["personalBudget"] == "Enter personal budget in pounds and pence, like 412.50")
    }

    /// Every sample of every event people send, filled into its form as a person would (days in three parts, lists a
    /// line each, ticked boxes, groups by index) and posted, is read back as the very event the API decodes from the
    /// sample: every field of every sample is on the form, at every depth, and reads back to its value. A field the
    /// catalog adds that its form cannot ask for, or reads back wrongly, fails here.
    @Test func everySampleFilledIntoItsFormAndPostedIsTheEventTheAPIDecodes() throws {
        var checked = 0
        for name in Self.formEvents {
            let fields = EventCatalog.formFields(of: name)
            for sample in EventCatalog.samples(of: name) {
                let pairs = EventFormData.posted(sample, fields: fields, prefix: [])
                let body = pairs.map { "\(FormData.encode($0))=\(FormData.encode($1))" }.joined(separator: "&")
                let (data, errors) = EventFormData.read(FormData(body), fields: fields)
                #expect(errors.isEmpty, "'\(name.rawValue)': \(errors)")
                let expected = try Event(name: name.rawValue, data: sample)
                do {
                    let posted = try Event(name: name.rawValue, data: data)
                    #expect(posted == expected, "'\(name.rawValue)' posted \(body)")
                } catch {
                    Issue.record(
                        "'\(name.rawValue)': what its form posted is refused: \(error.message) (posted \(body))")
                }
                checked += 1
            }
        }
        #expect(checked >= Self.formEvents.count)
    }

    /// A field's hint is the catalog's description of what to enter, then, where it helps, how its kind is written.
    @Test func everyFieldsHintIsItsDescriptionFromTheCatalog() throws {
        for name in Self.formEvents {
            let html = EventForm(name, on: "C-1").render(viewer: Viewer(nil), submit: "Go").description
            for field in EventCatalog.formFields(of: name) where field.kind != .task {
                let description = try #require(field.description, "'\(name.rawValue)': \(field.name), no description")
                #expect(html.contains(HTML.escape(description)), "'\(name.rawValue)': \(field.name)'s hint")
            }
        }
        let contact = EventForm(.contact, on: "C-1").render(viewer: Viewer(nil), submit: "Go").description
        let birth = try #require(EventCatalog.description(of: "dateOfBirth", in: .contact))
        #expect(
            contact.contains(
                "<span class=\"hint\" id=\"f-dateOfBirth-hint\">\(HTML.escape(birth)) For example, 27 3 2007.</span>"))
        let plan = EventForm(.planUpdated, on: "C-1").render(viewer: Viewer(nil), submit: "Go").description
        let cost = try #require(EventCatalog.description(of: "councilManaged.weeklyCost", in: .planUpdated))
        #expect(
            plan.contains(
                "<span class=\"hint\" id=\"f-councilManaged-weeklyCost-hint\">\(HTML.escape(cost)) Pounds and pence, "
                    + "like 412.50.</span>"))
        let how = try #require(EventCatalog.description(of: "needsMetByCouncil[].how", in: .planUpdated))
        #expect(plan.contains("<span class=\"hint\" id=\"f-needsMetByCouncil-0-how-hint\">\(HTML.escape(how))</span>"))
    }

    @Test func labelsAreTheFieldsNamesInWordsWithAcronymsInCapitals() {
        #expect(EventForm.label("weeklyCost") == "Weekly cost")
        #expect(EventForm.label("nhsNumber") == "NHS number")
        #expect(EventForm.label("cqcLocationID") == "CQC location ID")
        #expect(EventForm.label("caredForIDs") == "Cared for IDs")
        #expect(EventForm.phrase("personalBudget") == "personal budget")
        let blank = EventFormData.read(FormData(""), fields: EventCatalog.formFields(of: .rasCompleted))
        #expect(blank.errors["points"] == "Enter points")
    }

    @Test func onlyAFormThatAnswersATaskAsksWhichTask() {
        let viewer = Viewer(nil)
        let signOff = EventForm(.signOff, on: "C-1").render(viewer: viewer, submit: "Go").description
        #expect(!signOff.contains("name=\"task\""))
        let decision = EventForm(.s42Decision, on: "C-1").render(viewer: viewer, submit: "Go").description
        #expect(decision.contains("<input type=\"text\" id=\"f-task\" name=\"task\""))
        var answering = EventForm(.s42Decision, on: "C-1")
        answering.task = "C-1#2"
        let html = answering.render(viewer: viewer, submit: "Go").description
        #expect(html.contains("<input type=\"hidden\" name=\"task\" value=\"C-1#2\">"))
        #expect(!html.contains("id=\"f-task\""))
    }

    @Test func aFormServedShowsTheCatalogsDescriptionAsItsFieldsHint() async throws {
        let people = try People([("sw.jones", .practitioner)])
        try await LiveServer.with(tokens: people.file) { unsigned in
            let jones = unsigned.signedIn(as: people["sw.jones"])
            let form = try await jones.get("/cases/new").text
            let route = try #require(EventCatalog.description(of: "route", in: .contact))
            #expect(form.contains("<span class=\"hint\" id=\"f-route-hint\">\(HTML.escape(route))</span>"))
            let birth = try #require(EventCatalog.description(of: "dateOfBirth", in: .contact))
            #expect(form.contains("id=\"f-dateOfBirth-hint\">\(HTML.escape(birth)) For example, 27 3 2007.</span>"))
        }
    }
}
