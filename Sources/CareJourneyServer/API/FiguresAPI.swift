import CareJourneyCore
import CareJourneyStore
import Foundation
import Hummingbird

/// The JSON the dashboard's pages are made from, for scripts and other dashboards: the overview's figures, review
/// timeliness, the ASCOF measures, and the bulk actions on a queue's failed tasks (described in openapi.yaml).
struct FiguresAPI: Sendable {
    let overview: OverviewReader
    let reviews: ReviewTimelinessService
    let commands: CaseCommands

    /// How long a request for figures read in the background waits for the first after start: under a second,
    /// then it is told to come back (the first read of a large store's histories takes about a minute a million
    /// cases).
    static let patience = Duration.milliseconds(800)
    static let notReady =
        "they are read from the case histories in the background after start (about a minute for a million "
        + "cases); try again shortly"

    /// The largest body of a bulk action.
    static let maxBody = 64 * 1024

    func add(to router: Router<AppRequestContext>) {
        router.get("/api/stats") { _, _ in
            // The engine's running counts; until it has counted the store after start (seconds at a million cases),
            // those of the overview's last summary, kept from before; only a store's first start counts them here.
            if let counts = await overview.counts(waitingUpTo: Self.patience) { return Response.json(StoreStats(counts)) }
            do throws(StoreError) {
                return .json(try await overview.engine.store.stats())
            } catch {
                throw Problem(error)
            }
        }
        router.get("/api/overview") { _, _ in
            guard let figures = await overview.figures() else { throw Problem.storeUnreadable }
            return Response.json(figures)
        }
        router.get("/api/reports/reviews") { _, _ in
            guard let figures = await reviews.figures(waitingUpTo: Self.patience) else {
                throw Problem(503, "not-ready", "Review timeliness is still being read", Self.notReady)
            }
            return Response.json(figures)
        }
        router.get("/api/reports/ascof") { _, _ in
            guard let measures = await reviews.ascof(waitingUpTo: Self.patience) else {
                throw Problem(503, "not-ready", "The ASCOF measures are still being read", Self.notReady)
            }
            return Response.json(measures)
        }
        router.post("/api/bulk/tasks") { request, context in
            try await bulk(request, by: try context.require(.manager))
        }
    }

    private struct BulkRequest: Decodable {
        let queue: String
        let action: String
        let reason: String
        let expected: Int?
    }

    /// `POST /api/bulk/tasks`: the same as the queues page's bulk action. Without `expected` (or with a count that
    /// no longer matches) nothing is done and the answer says how many tasks it would affect.
    private func bulk(_ request: Request, by principal: Principal) async throws -> Response {
        var request = request
        guard let body = try? await request.collectBody(upTo: Self.maxBody),
            let input = try? JSONDecoder().decode(BulkRequest.self, from: Data(buffer: body))
        else {
            throw Problem.badRequest(
                "the body is {\"queue\": …, \"action\": \"retry\" or \"cancel\", \"reason\": …, \"expected\": N}")
        }
        guard input.action == "retry" || input.action == "cancel" else {
            throw Problem.badRequest("action is retry or cancel", field: "action")
        }
        guard !input.reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Problem.badRequest("say why: the reason is recorded on every case", field: "reason")
        }
        guard let tasks = try? await commands.failedTasks(on: input.queue) else { throw Problem.storeUnreadable }
        guard input.expected == tasks.count else {
            var problem = Problem(
                409, "confirm-count", "Confirm the number of tasks",
                "\(tasks.count) failed tasks on '\(input.queue)' would be affected; send \"expected\": \(tasks.count) "
                    + "to go ahead",
                field: "expected")
            problem.count = tasks.count
            throw problem
        }
        let outcome = await commands.bulk(
            input.action == "retry" ? .retryTask : .cancelTask, on: tasks, reason: input.reason, by: principal)
        return .json(outcome)
    }
}
