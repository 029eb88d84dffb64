import CareJourneyCore

/// The buttons of a task on a people's queue: "Answer", a link to the reply form of a task people answer (its reply
/// event's form, with the task filled in), and take, hand back or allocate, each a small form posting the event to
/// `/work/tasks/…` (with the page's CSRF token) and returning to the page it was posted from; each shown only to
/// those whose role may send its event.
enum TaskButtons {
    static func render(
        _ task: String, kind: TaskKind?, heldBy: String?, viewer: Viewer, policy: Policy, back: String
    ) -> HTML {
        var forms: [HTML] = []
        if let reply = kind?.replyEvent, let id = TaskID(task), viewer.may(reply, under: policy) {
            forms.append(
                """
                <a class="button" href="/cases/\(id.caseID.rawValue)/events/\(reply.rawValue)?task=\(FormData.encode(task))" \
                data-answer="\(task)">Answer<span class="visually-hidden"> \(task)</span></a>
                """)
        }
        if heldBy == nil, viewer.may(.takeTask, under: policy) {
            forms.append(form(.takeTask, task, button: "Take", back: back, viewer: viewer))
        }
        if heldBy == viewer.name, viewer.may(.handBackTask, under: policy) {
            forms.append(form(.handBackTask, task, button: "Hand back", back: back, viewer: viewer, style: "secondary"))
        }
        if viewer.may(.allocateTask, under: policy) {
            let field: HTML = """
                <label class="visually-hidden" for="\(allocateFieldID(task))">Allocate \(task) to (sign-in name)</label>\
                <input type="text" id="\(allocateFieldID(task))" name="to" placeholder="sign-in name" required size="10">
                """
            forms.append(form(.allocateTask, task, button: "Allocate", back: back, viewer: viewer, field: field, style: "secondary"))
        }
        return HTML(joining: forms)
    }

    /// The id of the field naming whom task `task` is allocated to.
    static func allocateFieldID(_ task: String) -> String { "allocate-\(task)" }

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
