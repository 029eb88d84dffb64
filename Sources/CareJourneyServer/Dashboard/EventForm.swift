import CareJourneyCore
import Foundation

/// The form for one event on one case, generated from the event's fields as its typed payload asks for them
/// (`EventCatalog.formFields(of:)`): text, days (day, month and year, as GOV.UK asks for dates), numbers, money,
/// yes or no, choices and lists, required ones marked, with hints; what was entered is kept, and a refusal is shown
/// in an error summary linking to the field it names and beside that field.
///
/// Field names are the data's paths (`councilManaged.weeklyCost`, `needsMetByCouncil.0.need`, a day's parts
/// `dateOfBirth.day`), so `EventFormData` reads the post back into the event's data with no list of fields of its
/// own.
struct EventForm: Sendable {
    let event: EventName
    let caseID: CaseID
    /// The fields shown (all of the event's, or a part of the plan's).
    var fields: [EventField]
    /// The task the form answers, when opened from one: sent as the data's `task`, not asked for.
    var task: String? = nil
    /// What was entered, shown again after a refusal.
    var entered = FormData("")
    /// Refusals by the path of the field they name (`""`: the whole form).
    var errors: [String: String] = [:]
    /// The path the form posts to, where it is not the event's own.
    var action: String? = nil
    /// Hidden fields posted with it (the part of the plan it edits).
    var hidden: [String: String] = [:]

    init(_ event: EventName, on caseID: CaseID, fields: [EventField]? = nil) {
        self.event = event
        self.caseID = caseID
        self.fields = fields ?? EventCatalog.formFields(of: event)
    }

    /// Whether the form asks which task it answers: only an event that answers a task (not sign-off, say, whose
    /// data shares the same type), and only when it was not opened from the task.
    private var asksForTask: Bool { task == nil && TaskKind.allCases.contains { $0.replyEvent == event } }

    /// The path the form posts to.
    var path: String { action ?? "/cases/\(caseID.rawValue)/events/\(event.rawValue)" }

    /// The form, with its error summary when something was refused.
    func render(viewer: Viewer, submit: String) -> HTML {
        let inputs = HTML(joining: fields.filter { $0.kind != .task || asksForTask }.map { input($0, prefix: []) })
        let taskField: HTML? = task.map { "<input type=\"hidden\" name=\"task\" value=\"\($0)\">" }
        let hiddenFields = HTML(
            joining: hidden.sorted { $0.key < $1.key }.map { "<input type=\"hidden\" name=\"\($0.key)\" value=\"\($0.value)\">" })
        return """
            \(summary)
            <form method="post" action="\(path)" novalidate class="event-form" data-event="\(event.rawValue)">\(viewer.csrfField)\(taskField)\(hiddenFields)
            \(inputs)
            <div class="field"><label for="f-reason">Why (optional)<span class="hint">Recorded on the case's timeline \
            with your name.</span></label><textarea id="f-reason" name="reason" rows="2">\(entered.fields["reason"] ?? "")</textarea></div>
            <button type="submit">\(submit)</button>
            </form>
            """
    }

    /// GOV.UK's error summary: each refusal, linked to the field it names — on this form, or, for a field of the
    /// plan this form does not show (sign-off naming what the plan lacks), on its part of the plan's editor.
    var summary: HTML? {
        guard !errors.isEmpty else { return nil }
        let items = HTML(
            joining: errors.sorted { $0.key < $1.key }.map { path, message in
                let message = PageLayout.sentence(message)
                guard let target = target(of: path) else { return "<li>\(message)</li>" }
                return "<li><a href=\"\(target)\">\(message)</a></li>"
            })
        return """
            <div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">\
            <h2 id="error-summary-title">There is a problem</h2><ul>\(items)</ul></div>
            """
    }

    /// Where the error summary sends someone to put right the field at `path`: its anchor on this form, its part of
    /// the plan, or nowhere (`nil`) for the form as a whole or a field no form shows.
    private func target(of path: String) -> String? {
        guard !path.isEmpty else { return nil }
        let top = String(path.prefix { $0 != "." })
        if fields.contains(where: { $0.name == top }) { return "#\(Self.id(path))" }
        return event == .planUpdated || event == .signOff ? PlanPart.link(to: path, on: caseID) : nil
    }

    /// The element id of the field at `path`.
    static func id(_ path: String) -> String {
        "f-" + path.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
    }

    private func input(_ field: EventField, prefix: [String]) -> HTML {
        let path = (prefix + [field.name]).joined(separator: ".")
        let id = Self.id(path)
        let label = Self.label(field.name)
        let required: HTML? = field.required ? nil : " <span class=\"optional\">(optional)</span>"
        let error: HTML? = errors[path].map {
            "<p class=\"error-message\" id=\"\(id)-error\"><span class=\"visually-hidden\">Error:</span> \(PageLayout.sentence($0))</p>"
        }
        let described: HTML = error == nil ? "aria-describedby=\"\(id)-hint\"" : "aria-describedby=\"\(id)-hint \(id)-error\""
        let invalid: HTML? = error == nil ? nil : " aria-invalid=\"true\""
        let value = entered.fields[path] ?? ""
        let hint: HTML = "<span class=\"hint\" id=\"\(id)-hint\">\(Self.hint(for: field))</span>"
        let errorClass: HTML? = error == nil ? nil : " field-error"
        switch field.kind {
        case .text, .task:
            return """
                <div class="field\(errorClass)"><label for="\(id)">\(label)\(required)</label>\(hint)\(error)\
                <input type="text" id="\(id)" name="\(path)" value="\(value)" \(described)\(invalid)></div>
                """
        case .wholeNumber, .number, .money:
            let mode = field.kind == .wholeNumber ? "numeric" : "decimal"
            let pound: HTML? = field.kind == .money ? "<span class=\"prefix\" aria-hidden=\"true\">£</span>" : nil
            return """
                <div class="field\(errorClass)"><label for="\(id)">\(label)\(required)</label>\(hint)\(error)\
                \(pound)<input type="text" inputmode="\(mode)" id="\(id)" name="\(path)" value="\(value)" class="short" \
                \(described)\(invalid)></div>
                """
        case .date:
            func part(_ name: String, _ title: String, _ width: String) -> HTML {
                """
                <div class="date-part"><label for="\(id)-\(name)">\(title)</label>\
                <input type="text" inputmode="numeric" id="\(id)-\(name)" name="\(path).\(name)" \
                value="\(entered.fields["\(path).\(name)"] ?? "")" class="\(width)"\(invalid)></div>
                """
            }
            return """
                <fieldset class="field\(errorClass)" role="group" id="\(id)" \(described)><legend>\(label)\(required)</legend>\
                \(hint)\(error)<div class="date-input">\(part("day", "Day", "w2"))\(part("month", "Month", "w2"))\
                \(part("year", "Year", "w4"))</div></fieldset>
                """
        case .yesNo:
            return radios(field, path: path, id: id, label: label, required: required, hint: hint, error: error,
                          options: [("true", "Yes"), ("false", "No")], errorClass: errorClass)
        case .choice(let words):
            if words.count <= 6 {
                return radios(field, path: path, id: id, label: label, required: required, hint: hint, error: error,
                              options: words.map { ($0, $0) }, errorClass: errorClass)
            }
            let options = HTML(
                joining: [("", "Choose…")] .map { HTML("<option value=\"\($0.0)\">\($0.1)</option>") }
                    + words.map { word -> HTML in
                        let chosen: HTML? = value == word ? " selected" : nil
                        return "<option value=\"\(word)\"\(chosen)>\(word)</option>"
                    })
            return """
                <div class="field\(errorClass)"><label for="\(id)">\(label)\(required)</label>\(hint)\(error)\
                <select id="\(id)" name="\(path)" \(described)\(invalid)>\(options)</select></div>
                """
        case .list(.choice(let words)):
            let chosen = Set(entered.all(path))
            let boxes = HTML(
                joining: words.enumerated().map { index, word -> HTML in
                    let checked: HTML? = chosen.contains(word) ? " checked" : nil
                    return """
                        <div class="choice"><input type="checkbox" id="\(id)-\(index)" name="\(path)" value="\(word)"\(checked)> \
                        <label for="\(id)-\(index)" class="inline">\(word)</label></div>
                        """
                })
            return """
                <fieldset class="field\(errorClass)" id="\(id)" \(described)><legend>\(label)\(required)</legend>\(hint)\(error)\(boxes)</fieldset>
                """
        case .list:
            return """
                <div class="field\(errorClass)"><label for="\(id)">\(label)\(required)</label>\(hint)\(error)\
                <textarea id="\(id)" name="\(path)" rows="3" \(described)\(invalid)>\(value)</textarea></div>
                """
        case .group(let children):
            let groupHint: HTML? = field.description.map { "<span class=\"hint\">\($0)</span>" }
            return """
                <fieldset class="group\(errorClass)" id="\(id)"><legend>\(label)\(required)</legend>\
                \(groupHint)\(error)\
                \(HTML(joining: children.map { input($0, prefix: prefix + [field.name]) }))</fieldset>
                """
        case .groups(let children):
            let rows = max(3, (0..<50).last { index in entered.fields.keys.contains { $0.hasPrefix("\(path).\(index).") } }.map { $0 + 2 } ?? 0)
            let items = HTML(
                joining: (0..<rows).map { index in
                    """
                    <fieldset class="group-item"><legend>\(label) \(index + 1)</legend>\
                    \(HTML(joining: children.map { input($0, prefix: prefix + [field.name, String(index)]) }))</fieldset>
                    """
                })
            return """
                <fieldset class="group\(errorClass)" id="\(id)"><legend>\(label)\(required)</legend>\
                <span class="hint">\(Self.hint(for: field))</span>\(error)\(items)</fieldset>
                """
        }
    }

    private func radios(
        _ field: EventField, path: String, id: String, label: String, required: HTML?, hint: HTML, error: HTML?,
        options: [(value: String, label: String)], errorClass: HTML?
    ) -> HTML {
        let value = entered.fields[path]
        let items = HTML(
            joining: options.enumerated().map { index, option -> HTML in
                let checked: HTML? = value == option.value ? " checked" : nil
                return """
                    <div class="choice"><input type="radio" id="\(id)-\(index)" name="\(path)" value="\(option.value)"\(checked)> \
                    <label for="\(id)-\(index)" class="inline">\(option.label)</label></div>
                    """
            })
        return """
            <fieldset class="field\(errorClass)" id="\(id)"><legend>\(label)\(required)</legend>\(hint)\(error)\(items)</fieldset>
            """
    }

    /// `weeklyCost` as `Weekly cost`.
    static func label(_ name: String) -> String {
        let words = phrase(name)
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    /// `weeklyCost` as `weekly cost`, for a sentence ("Enter weekly cost"); `nhsNumber` as `NHS number`.
    static func phrase(_ name: String) -> String {
        // A word starts at a capital that follows a small letter (`cqcLocationID` is cqc, Location, ID).
        var words: [String] = []
        var previous: Character?
        for character in name {
            if words.isEmpty || character.isUppercase && previous?.isUppercase == false {
                words.append(String(character))
            } else {
                words[words.count - 1].append(character)
            }
            previous = character
        }
        return words.map { word in
            let small = word.lowercased()
            return acronyms[small] ?? (word.count > 1 && word == word.uppercased() ? word : small)
        }.joined(separator: " ")
    }

    /// Words the catalog's field names hold that are written in capitals.
    private static let acronyms = [
        "nhs": "NHS", "gp": "GP", "cqc": "CQC", "id": "ID", "ids": "IDs", "chc": "CHC", "dp": "DP", "ras": "RAS",
    ]

    /// A field's hint: the catalog's description of what to enter, then how a value of its kind is written.
    static func hint(for field: EventField) -> String {
        [field.description ?? "", hint(field.kind)].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// What a value of `kind` is written as.
    private static func hint(_ kind: EventField.Kind) -> String {
        switch kind {
        case .groups: "Fill in as many as apply; leave the rest blank."
        case .text: ""
        case .task: "The task's id, like C-12#3."
        case .date: "For example, 27 3 2007."
        case .wholeNumber: "A whole number."
        case .number: "A number."
        case .money: "Pounds and pence, like 412.50."
        case .yesNo, .choice, .group: ""
        case .list(.choice): "Tick all that apply."
        case .list: "One on each line."
        }
    }
}
