import CareJourneyCore

/// The buttons that take, hand back or allocate a task on a people's queue: each a small form posting the event
/// to `/work/tasks/…` (with the page's CSRF token), shown only to those whose role may send it, and returning to
/// the page it was posted from.
enum TaskButtons {
    static func render(_ task: String, heldBy: String?, viewer: Viewer, policy: Policy, back: String) -> HTML {
        var forms: [HTML] = []
        if heldBy == nil, viewer.may(.takeTask, under: policy) {
            forms.append(form(.takeTask, task, button: "Take", back: back, viewer: viewer))
        }
        if heldBy == viewer.name, viewer.may(.handBackTask, under: policy) {
            forms.append(form(.handBackTask, task, button: "Hand back", back: back, viewer: viewer, style: "secondary"))
        }
        if viewer.may(.allocateTask, under: policy) {
            let field: HTML = """
                <label class="visually-hidden" for="allocate-\(task)">Allocate \(task) to (sign-in name)</label>\
                <input type="text" id="allocate-\(task)" name="to" placeholder="sign-in name" required size="10">
                """
            forms.append(form(.allocateTask, task, button: "Allocate", back: back, viewer: viewer, field: field, style: "secondary"))
        }
        return HTML(joining: forms)
    }

    private static func form(
        _ event: EventName, _ task: String, button: String, back: String, viewer: Viewer, field: HTML? = nil,
        style: String? = nil
    ) -> HTML {
        let buttonClass: HTML? = style.map { " class=\"\($0)\"" }
        return """
            <form class="inline-form" method="post" action="/work/tasks/\(event.rawValue)">\(viewer.csrfField)\
            <input type="hidden" name="task" value="\(task)"><input type="hidden" name="back" value="\(back)">\
            \(field)<button type="submit"\(buttonClass)>\(button)<span class="visually-hidden"> \(task)</span></button></form>
            """
    }
}
