import CareJourneyClock
import CareJourneyCore
import Foundation
import Testing
import CareJourneyTestSupport

/// Worklists over a live server: "My work", a team's work and people's queues; taking, handing back and allocating a
/// task from the pages, each an event on the case's timeline with who did it.
@Suite(.serialized) struct WorklistTests {
    @Test func aTaskIsTakenHandedBackAndAllocatedFromTheWorklists() async throws {
        let people = try People([("tm.ali", .manager), ("sw.jones", .practitioner), ("sw.patel", .practitioner)])
        try await LiveServer.with(tokens: people.file) { unsigned in
            let manager = unsigned.signedIn(as: people["tm.ali"])
            let jones = unsigned.signedIn(as: people["sw.jones"])
            let patel = unsigned.signedIn(as: people["sw.patel"])
            let contact: JSONValue = ["data": ["name": "Ada Example", "clientType": "adult", "route": "gp"]]
            #expect(try await manager.post("/api/cases", contact).status == 201)
            #expect(try await manager.post("/api/cases/C-1/events", ["name": "reassign", "data": ["team": "north", "worker": "sw.jones"]]).status == 200)

            // The practice queue lists the screening task, due in the policy's three days, held by nobody.
            let queue = try await jones.get("/work/queues/practice")
            #expect(queue.status == 200)
            #expect(queue.text.contains("<tr data-task=\"C-1#1\""))
            #expect(queue.text.contains("<span class=\"hint\">nobody</span>"))
            #expect(queue.text.contains("action=\"/work/tasks/take-task\""))
            #expect(!queue.text.contains("action=\"/work/tasks/allocate-task\""), "a practitioner may not allocate")
            // My work lists the case allocated to me, and no task yet.
            let mine = try await jones.get("/work")
            #expect(mine.text.contains("<a href=\"/cases/C-1\">C-1</a></td><td>Ada Example</td>"))
            #expect(mine.text.contains("No tasks here"))

            let taken = try await jones.postForm("/work/tasks/take-task", ["task": "C-1#1", "back": "/work/queues/practice"])
            #expect(taken.status == 303)
            #expect(taken.headers["location"] == "/work/queues/practice?notice=You%20hold%20task%20C-1%231%20now.")
            #expect(try await jones.get("/work").text.contains("<tr data-task=\"C-1#1\""))
            // Another practitioner sees who has it, and is refused it with the holder named.
            #expect(try await patel.get("/work/queues/practice").text.contains("<td data-column=\"held-by\">sw.jones</td>"))
            let refused = try await patel.postForm("/work/tasks/take-task", ["task": "C-1#1", "back": "/cases/C-1"])
            #expect(refused.headers["location"]?.hasPrefix("/cases/C-1?error=") == true)
            #expect(refused.headers["location"]?.contains("sw.jones%20holds%20it") == true)
            // Only the holder hands back; a manager allocates to anyone.
            let back = try await jones.postForm("/work/tasks/hand-back-task", ["task": "C-1#1", "back": "/work"])
            #expect(back.headers["location"] == "/work?notice=Task%20C-1%231%20is%20back%20on%20its%20queue%20for%20anyone%20to%20take.")
            #expect(try await patel.postForm("/work/tasks/allocate-task", ["task": "C-1#1", "to": "sw.patel"]).headers["location"]?.contains("error=") == true)
            let allocated = try await manager.postForm(
                "/work/tasks/allocate-task", ["task": "C-1#1", "to": "sw.patel", "back": "https://evil.example/"])
            #expect(allocated.headers["location"] == "/work?notice=Task%20C-1%231%20is%20allocated%20to%20sw.patel.")
            #expect(try await patel.get("/work").text.contains("<tr data-task=\"C-1#1\""))
            // The team's list shows it, filtered to tasks held by nobody it does not.
            #expect(try await manager.get("/work/team?team=north").text.contains("<tr data-task=\"C-1#1\""))
            #expect(!(try await manager.get("/work/team?team=north&held=nobody").text.contains("<tr data-task=\"C-1#1\"")))
            #expect(try await manager.get("/work/queues/brokerage").status == 404)

            // Each is an event on the case, with who did it.
            let history = try #require(try await manager.get("/api/cases/C-1")["history"]?.array)
            let holding = history.filter { ["take-task", "hand-back-task", "allocate-task"].contains($0["name"]?.string ?? "") }
            #expect(holding.map { $0["name"]?.string } == ["take-task", "hand-back-task", "allocate-task"])
            #expect(holding.map { $0["actor"]?.string } == ["sw.jones", "sw.jones", "tm.ali"])
            // The case page shows who holds the task and when it is due.
            let page = try await manager.get("/cases/C-1").text
            #expect(page.contains("<span data-column=\"held-by\">held by sw.patel</span><br>due <time"))
        }
    }

    @Test func worklistsSortFilterAndPageAndOverdueTasksStandOut() async throws {
        let start = Date(timeIntervalSince1970: 1_767_603_600)
        let clock = ManualClock(start)
        let people = try People([("tm.ali", .manager)])
        try await LiveServer.with(tokens: people.file, clock: clock) { unsigned in
            let manager = unsigned.signedIn(as: people["tm.ali"])
            for number in 1...30 {
                let contact: JSONValue = ["data": ["name": .string("Person \(number)"), "clientType": "adult", "route": "gp"]]
                #expect(try await manager.post("/api/cases", contact).status == 201)
                clock.advance(by: 3600)
            }
            // Screenings are due by the end of the third day after the day they opened (the council's calendar): at
            // 01:00 on 9 January those opened on 5 January (C-1 to C-15) are overdue, those of the 6th are not.
            clock.advance(by: 3 * 86_400 + 16 * 3600 - 30 * 3600)
            let first = try await manager.get("/work/queues/practice").text
            #expect(first.contains("Queue: practice: 30 tasks, page 1 of 2"))
            #expect(first.contains("<tr data-task=\"C-1#1\" class=\"overdue\">"))
            #expect(first.contains("rel=\"next\""))
            #expect(first.range(of: "C-1#1")!.lowerBound < first.range(of: "C-2#1")!.lowerBound, "soonest due first")
            let second = try await manager.get("/work/queues/practice?page=2").text
            #expect(second.contains("<tr data-task=\"C-30#1\""))
            #expect(!second.contains("<tr data-task=\"C-1#1\""))
            let overdue = try await manager.get("/work/queues/practice?overdue=true").text
            #expect(overdue.contains("<tr data-task=\"C-1#1\""))
            #expect(!overdue.contains("<tr data-task=\"C-30#1\""))
            let ofKind = try await manager.get("/work/queues/practice?kind=assess-needs").text
            #expect(ofKind.contains("No tasks here with these filters."))
        }
    }

    @Test func aTaskIsAllocatedOnlyToSomeoneTheServiceKnows() async throws {
        let people = try People([("tm.ali", .manager), ("sw.jones", .practitioner)])
        try await LiveServer.with(tokens: people.file) { unsigned in
            let manager = unsigned.signedIn(as: people["tm.ali"])
            let contact: JSONValue = ["data": ["name": "Ada Example", "clientType": "adult", "route": "gp"]]
            #expect(try await manager.post("/api/cases", contact).status == 201)

            // Through the API: a problem naming the field and who the service knows.
            let refused = try await manager.post(
                "/api/cases/C-1/events", ["name": "allocate-task", "data": ["task": "C-1#1", "to": "sw.nobody"]])
            #expect(refused.status == 422)
            #expect(refused["type"]?.string == "/problems/unknown-person")
            #expect(refused["field"]?.string == "data.to")
            #expect(refused["detail"]?.string?.contains("'sw.nobody' is not in the service's token file") == true)

            // From a worklist: the page says why, linked to the allocate field of that task.
            let posted = try await manager.postForm(
                "/work/tasks/allocate-task", ["task": "C-1#1", "to": "sw.nobody", "back": "/work/queues/practice"])
            let location = try #require(posted.headers["location"])
            #expect(location.hasPrefix("/work/queues/practice?error="))
            #expect(location.hasSuffix("&field=allocate-C-1%231"))
            let page = try await manager.get(location).text
            #expect(page.contains("<li><a href=\"#allocate-C-1#1\">"))
            #expect(page.contains("sw.nobody") && page.contains("is not in the service"))
            #expect(page.contains("id=\"allocate-C-1#1\""))

            // Nothing was recorded; someone in the token file is allocated the task.
            let history = try #require(try await manager.get("/api/cases/C-1")["history"]?.array)
            #expect(!history.contains { $0["name"]?.string == "allocate-task" })
            let allocated = try await manager.postForm(
                "/work/tasks/allocate-task", ["task": "C-1#1", "to": "sw.jones", "back": "/work/queues/practice"])
            #expect(allocated.headers["location"]?.contains("notice=") == true)
        }
    }

    @Test func aTaskPeopleAnswerHasAnAnswerLinkToItsReplyForm() async throws {
        let people = try People([("tm.ali", .manager), ("sw.jones", .practitioner)])
        try await LiveServer.with(tokens: people.file) { unsigned in
            let manager = unsigned.signedIn(as: people["tm.ali"])
            let jones = unsigned.signedIn(as: people["sw.jones"])
            let contact: JSONValue = ["data": ["name": "Ada Example", "clientType": "adult", "route": "gp"]]
            #expect(try await manager.post("/api/cases", contact).status == 201)
            #expect(try await jones.post("/api/cases/C-1/events", ["name": "safeguarding-concern"]).status == 200)
            let answer = "href=\"/cases/C-1/events/s42-decision?task=C-1%232\" data-answer=\"C-1#2\""
            // The manager, who may decide, sees "Answer" on the safeguarding queue and on the case page…
            #expect(try await manager.get("/work/queues/safeguarding").text.contains(answer))
            #expect(try await manager.get("/cases/C-1").text.contains(answer))
            // …a practitioner, who may not, does not; and the screening task, which no reply answers, has none.
            #expect(!(try await jones.get("/work/queues/safeguarding").text.contains("data-answer=")))
            #expect(!(try await manager.get("/work/queues/practice").text.contains("data-answer=")))
            // The link opens the reply form with the task filled in, and posting it answers the task.
            let form = try await manager.get("/cases/C-1/events/s42-decision?task=C-1%232").text
            #expect(form.contains("<input type=\"hidden\" name=\"task\" value=\"C-1#2\">"))
            let posted = try await manager.postForm(
                "/cases/C-1/events/s42-decision",
                ["csrf": LiveServer.csrf(in: form) ?? "", "task": "C-1#2", "enquiry": "false", "reason": "no risk"])
            #expect(posted.status == 303)
            let history = try #require(try await manager.get("/api/cases/C-1")["history"]?.array)
            #expect(history.last?["name"]?.string == "s42-decision")
            #expect(history.last?["data"]?["task"]?.string == "C-1#2")
        }
    }
}
