import CareJourneyCore
import CareJourneyKit
import CareJourneyWorker
import Foundation
import Logging
import Testing
import CareJourneyTestSupport

/// The dashboard's pages and actions over a live server, as the operations team uses them (the browser tests in
/// Tests/browser drive the same pages in Chromium).
@Suite(.serialized) struct DashboardTests {
    @Test func failedTasksAreRetriedInBulkAfterACountAndAConfirmation() async throws {
        let people = try People([("tm.ali", .manager), ("sw.jones", .practitioner)])
        try await LiveServer.with(sample: 30, tokens: people.file, broker: true) { unsigned in
            let manager = unsigned.signedIn(as: people["tm.ali"])
            let endpoint = try #require(unsigned.mdp)
            // A brokerage worker that cannot find anyone: every task it takes fails for the team.
            let open = try await openBrokerageTasks(manager)
            try #require(!open.isEmpty, "the sample has brokerage tasks")
            let failing = TaskWorker(
                options: WorkerOptions(brokers: [endpoint], service: "brokerage"), logger: quiet,
                answer: { _, _ in .failed("no provider has capacity", retry: false) })
            try await withRunning(failing) { () async throws in
                #expect(try await eventually { try await failedOnBrokerage(manager) == open.count })
            }

            // A practitioner may not act in bulk; a manager is first told how many tasks it affects.
            let practitioner = unsigned.signedIn(as: people["sw.jones"])
            let form = ["queue": "brokerage", "action": "retry", "reason": "new provider list"]
            #expect(try await practitioner.postForm("/bulk/tasks", form).status == 403)
            let confirm = try await manager.postForm("/bulk/tasks", form)
            #expect(confirm.status == 200)
            #expect(confirm.text.contains("This will retry <strong>\(open.count)</strong> failed"))
            // A stale count (another manager acted meanwhile) asks again rather than acting.
            let stale = try await manager.postForm(
                "/bulk/tasks", form.merging(["confirmed": "yes", "expected": "\(open.count + 1)"]) { $1 })
            #expect(stale.text.contains("This will retry"))
            #expect(try await failedOnBrokerage(manager) == open.count)

            let done = try await manager.postForm(
                "/bulk/tasks", form.merging(["confirmed": "yes", "expected": "\(open.count)"]) { $1 })
            #expect(done.text.contains("\(open.count) tasks on brokerage: retry done."), "\(done.text)")
            // The overview's figures are refreshed in the background: they follow.
            #expect(try await eventually(15) { try await failedOnBrokerage(manager) == 0 })

            // Each case's timeline says who retried its task, and why; a working worker then completes them.
            let (caseID, task) = try #require(open.first)
            let history = try #require(
                try await manager.get("/api/cases/\(caseID)?reason=checking%20the%20retry")["history"]?.array)
            let retried = try #require(history.last)
            #expect(retried["name"]?.string == "retry-task")
            #expect(retried["actor"]?.string == "tm.ali")
            #expect(retried["reason"]?.string == "new provider list")
            #expect(retried["data"]?["task"]?.string == task)
            let working = TaskWorker(
                options: WorkerOptions(brokers: [endpoint], service: "brokerage"), logger: quiet,
                answer: { _, _ in .done(["provider": "Sunrise Home Care", "weeklyCost": 215.5]) })
            try await withRunning(working) { () async throws in
                #expect(try await eventually { try await openBrokerageTasks(manager).isEmpty })
            }
        }
    }

    /// An open page hears of each commit (`/live`): a `case` message naming the case, its event and its stage, never
    /// the person's name.
    @Test func anOpenLivePageHearsOfACommitWithoutThePersonsName() async throws {
        let people = try People([("sw.jones", .practitioner)])
        try await LiveServer.with(tokens: people.file) { server in
            let connection = try RawConnection(port: try #require(server.base.port))
            try connection.send(
                "GET /live HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(people["sw.jones"])\r\n\r\n")
            #expect(await connection.read(until: "retry: 3000", upTo: .seconds(30)).hasPrefix("HTTP/1.1 200"))
            let reply = try await server.signedIn(as: people["sw.jones"]).post(
                "/api/cases", ["data": ["name": "Ada Lovelace", "clientType": "adult", "route": "gp"]])
            #expect(reply.status == 201)
            let id = try #require(reply["id"]?.string)
            let heard = await connection.read(until: "\"case\":\"\(id)\"", upTo: .seconds(30))
            #expect(heard.contains("event: case"), "\(heard)")
            #expect(heard.contains("\"case\":\"\(id)\"") && heard.contains("\"event\":\"contact\""), "\(heard)")
            #expect(!heard.contains("Lovelace"))
        }
    }

    @Test func theOverviewAPIAndPageAgreeWithTheStore() async throws {
        try await LiveServer.with(sample: 25) { server in
            let figures = try await server.get("/api/overview")
            let stats = try await server.get("/api/stats")
            let stages = try #require(figures["stages"]?.array)
            let open = stages.compactMap { $0["cases"]?.number }.reduce(0, +)
            #expect(open == stats["openCases"]?.number)
            let page = try await server.get("/").text
            #expect(page.contains("data-figure=\"open-cases\">\(Int(open))</span>"))
            #expect(page.contains("<html lang=\"en-GB\">"))
            let first = try #require(stages.first)
            let stage = try #require(first["stage"]?.string)
            #expect(page.contains("data-stage=\"\(stage)\">\(Int(first["cases"]?.number ?? -1))</td>"))
        }
    }

    @Test func theOverviewsCountsAreCurrentAndItsSummaryIsReadInTheBackground() async throws {
        try await LiveServer.with(sample: 25) { server in
            // The summary (waits, oldest tasks, reviews due) is read at start, then every 15 seconds.
            #expect(try await eventually { try await server.get("/api/overview")["summaryAt"]?.string != nil })
            let before = try await server.get("/api/overview")
            let summaryAt = try #require(before["summaryAt"]?.string)
            func open(_ figures: LiveServer.Reply) -> Int {
                Int((figures["stages"]?.array ?? []).compactMap { $0["cases"]?.number }.reduce(0, +))
            }
            #expect(try #require(before["stages"]?.array).allSatisfy { $0["averageWait"]?.number != nil })
            #expect(before["reviews"]?["dueThisWeek"] != nil)
            // A new case is counted at once, from the engine's own counts, while the summary stays as it was read.
            let contact: JSONValue = ["data": ["name": "Ada", "clientType": "adult", "route": "gp"]]
            #expect(try await server.post("/api/cases", contact).status == 201)
            let after = try await server.get("/api/overview")
            #expect(open(after) == open(before) + 1)
            #expect(after["summaryAt"]?.string == summaryAt, "the summary is not read again per request")
            let page = try await server.get("/").text
            #expect(page.contains("data-figure=\"open-cases\">\(open(after))</span>"))
            #expect(page.contains("waits, oldest tasks and reviews due as read at"))
        }
    }

    @Test func theASCOFMeasuresFromTheCLDRowsAreOnTheOverview() async throws {
        try await LiveServer.with(sample: 120) { server in
            // Read in the background after the review figures: the section says so until they are ready (which, with
            // the other suites computing beside it on two cores, can take half a minute).
            #expect(
                try await eventually(60) { try await server.get("/").text.contains("data-ascof=\"2A Total\"") })
            let page = try await server.get("/").text
            #expect(page.contains("<h2>ASCOF measures</h2>"))
            for id in ["2A", "2B", "2C", "2D", "2E", "2E LD", "3D 1a", "3D 2a"] {
                #expect(page.contains("<tr><th scope=\"row\">\(id)</th><td>"), "\(id)")
            }
            #expect(page.contains("Short-term support to maximise independence"))
            // The same measures as JSON.
            let json = try await server.get("/api/reports/ascof")
            #expect(json.status == 200)
            #expect(json["measures"]?.array?.count == 19)
        }
    }

    @Test func reviewTimelinessFromTheHistoriesIsChartedOnTheOverview() async throws {
        try await LiveServer.with(sample: 120) { server in
            // Read in the background at start: not ready is a 503 that says so, then the figures.
            #expect(try await eventually { try await server.get("/api/reports/reviews").status == 200 })
            let figures = try await server.get("/api/reports/reviews")
            let total = try #require(figures["total"])
            let (onTime, late, missing) = (
                Int(total["firstOnTime"]?.number ?? -1), Int(total["firstLate"]?.number ?? -1),
                Int(total["firstMissing"]?.number ?? -1)
            )
            // The sample has first reviews done on time and late over the last year.
            #expect(onTime > 0 && late > 0)
            guard case .object(let teams) = figures["byTeam"] else {
                Issue.record("no figures by team")
                return
            }
            let byTeam = teams.values.compactMap { $0["firstOnTime"]?.number }.reduce(0, +)
            #expect(Int(byTeam) == onTime)

            let page = try await server.get("/").text
            #expect(page.components(separatedBy: "<svg class=\"chart\"").count == 4)
            #expect(page.contains("aria-label=\"6–8-week reviews due \(figures["period"]?["from"]?.string ?? "?") to "))
            let due = onTime + late + missing
            let overdue = Int(total["yearlyOverdue"]?.number ?? -1)
            #expect(
                page.contains(
                    "<tr data-team=\"All teams\"><th scope=\"row\">All teams</th><td class=\"num\">\(due)</td>"
                        + "<td class=\"num\">\(onTime)</td><td class=\"num\">\(late)</td>"
                        + "<td class=\"num\">\(missing)</td><td class=\"num\">\(overdue)</td>"))
            #expect(page.contains("\(onTime) on time, \(late) late, \(missing) missing"))
        }
    }

    @Test func aCasePageNamesThePersonsDetailsAndThoseNotYetRecorded() async throws {
        try await LiveServer.with { server in
            let contact: JSONValue = [
                "data": [
                    "name": "Ada", "clientType": "adult", "route": "gp", "nhsNumber": "943 476 5919",
                    "postcode": "de1 2ab",
                ]
            ]
            #expect(try await server.post("/api/cases", contact).status == 201)
            let first = try await server.get("/cases/C-1").text
            #expect(
                first.contains(
                    "<dd data-field=\"details\">NHS number 9434765919, postcode DE1 2AB; not recorded: date of birth, "
                        + "gender, ethnicity, primary support reason, accommodation, unpaid carer, funding</dd>"))
            // A wrong NHS number is refused naming the field; the page still shows what was recorded.
            let wrong = try await server.post(
                "/api/cases/C-1/events", ["name": "record-person-details", "data": ["nhsNumber": "9434765918"]])
            #expect(wrong.status == 422)
            #expect(wrong.text.contains("nhsNumber"))
            let put = try await server.post(
                "/api/cases/C-1/events",
                [
                    "name": "record-person-details",
                    "data": [
                        "birthMonth": "1941-03", "gender": "female", "ethnicity": "not-stated",
                        "accommodationStatus": "owner-occupier", "hasUnpaidCarer": "no",
                    ],
                ])
            #expect(put.status == 200)
            let page = try await server.get("/cases/C-1").text
            #expect(
                page.contains(
                    "NHS number 9434765919, birth month 1941-03, gender female, ethnicity not-stated, postcode DE1 2AB, "
                        + "accommodation owner-occupier, unpaid carer no; not recorded: date of birth, primary support "
                        + "reason, funding</dd>"))
        }
    }

    @Test func aCasePageShowsChargingAndKentsChecklistAndLinksThePersonsCopyOfThePlan() async throws {
        try await LiveServer.with { server in
            #expect(
                try await server.post("/api/cases", ["data": ["name": "Ada", "clientType": "adult", "route": "gp"]])
                    .status == 201)
            #expect(try await server.get("/cases/C-1/plan").status == 404)
            for (name, data) in EventCatalog.pathToDelivery {
                let done = try await server.post("/api/cases/C-1/events", ["name": .string(name.rawValue), "data": data])
                #expect(done.status == 200, "\(name): \(done.text)")
            }
            let page = try await server.get("/cases/C-1").text
            #expect(page.contains("<dd data-field=\"charging\">assessed: £40.00 a week (assessed); re-assessment due "))
            #expect(
                page.contains("<dd data-field=\"budget-split\">£320.00 a week: council £280.00, the person £40.00</dd>"))
            #expect(page.contains("<a href=\"/cases/C-1/plan\">The person's copy of the plan</a>"))
            let plan = try await server.get("/cases/C-1/plan")
            #expect(plan.status == 200)
            #expect(plan.headers["content-type"]?.hasPrefix("text/html") == true)
            #expect(plan.text.contains("<h1>Care and support plan for Ada</h1>"))
            #expect(plan.text.contains("<link rel=\"stylesheet\" href=\"/assets/plan.css\">"))
            let css = try await server.get("/assets/plan.css")
            #expect(css.status == 200)
            #expect(css.text.contains("@media print"))
        }
    }

    private var quiet: Logger {
        var logger = Logger(label: "test.worker")
        logger.logLevel = .critical
        return logger
    }

    /// Open tasks on the brokerage queue, by case (from the cases with one).
    private func openBrokerageTasks(_ server: LiveServer) async throws -> [(CaseID, String)] {
        var found: [(CaseID, String)] = []
        for summary in try await server.get("/api/cases?queue=brokerage&limit=500").cases {
            guard let id = summary["id"]?.string else { continue }
            let tasks = try await server.get("/api/cases/\(id)?reason=retrying%20the%20queue")["tasks"]?.array ?? []
            for task in tasks
            where task["queue"]?.string == "brokerage" && task["status"]?.string != "completed"
                && task["status"]?.string != "withdrawn"
            {
                if let taskID = task["id"]?.string { found.append((CaseID(id), taskID)) }
            }
        }
        return found
    }

    private func failedOnBrokerage(_ server: LiveServer) async throws -> Int {
        let queues = try await server.get("/api/overview")["queues"]?.array ?? []
        return Int(queues.first { $0["queue"]?.string == "brokerage" }?["failed"]?.number ?? 0)
    }
}
