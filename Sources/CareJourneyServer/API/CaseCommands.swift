import CareJourneyClock
import CareJourneyCore
import CareJourneyStore
import Foundation

/// Carrying out people's commands on cases for the dashboard's forms and the bulk actions: each checked by
/// `PersonCommand` (the event's minimum role), applied through the engine, and told back in a sentence.
struct CaseCommands: Sendable {
    let engine: Engine
    let clock: any CareClock
    /// Who the service's people are (a task is allocated only to one of them).
    let access: AccessControl

    /// Failed tasks one bulk action takes at most.
    static let bulkLimit = 10_000

    /// Applies `event` to case `id` for `principal`, with `reason`; `nil` when it was done, else why not.
    func carryOut(_ event: Event, on id: CaseID, reason: String?, by principal: Principal) async -> String? {
        await attempt(event, on: id, reason: reason, by: principal)?.message
    }

    /// Why a command was not carried out: a sentence, and the field of the event's data it names, if any
    /// (`councilManaged.weeklyCost`).
    struct Refusal: Error, Sendable, Equatable {
        let message: String
        let field: String?
        /// What a rule not met found missing, each in the words the refusal uses.
        var missing: [String] = []
    }

    /// Applies `event` to case `id` for `principal`, with `reason`; `nil` when it was done, else the refusal.
    func attempt(_ event: Event, on id: CaseID, reason: String?, by principal: Principal) async -> Refusal? {
        if case .failure(let refusal) = await apply(event, on: id, reason: reason, by: principal) { return refusal }
        return nil
    }

    /// Opens a new case with `contact` for `principal`: its id, or the refusal.
    func open(_ contact: Event, reason: String?, by principal: Principal) async -> Result<CaseID, Refusal> {
        await apply(contact, on: nil, reason: reason, by: principal)
    }

    /// Applies `event` to case `id` (a new case when `nil`): the case's id, or the refusal.
    private func apply(_ event: Event, on id: CaseID?, reason: String?, by principal: Principal) async
        -> Result<CaseID, Refusal>
    {
        let command: Command
        do {
            command = try PersonCommand.make(
                event, on: id, by: principal, actor: principal.name, reason: reason, at: clock.now(),
                policy: engine.policy, access: access)
        } catch {
            return .failure(Refusal(message: error.detail, field: Self.dataField(error.field)))
        }
        do {
            switch try await engine.apply(command) {
            case .applied(let committed): return .success(committed.state.id)
            case .rejected(let error, _):
                return .failure(Refusal(message: error.message, field: error.field, missing: error.missing))
            case .notFound(let id): return .failure(Refusal(message: "There is no case \(id.rawValue).", field: nil))
            }
        } catch {
            return .failure(Refusal(message: error.message, field: nil))
        }
    }

    /// The field of the event's data a problem names (`data.to` is `to`); `nil` for one outside the data (the
    /// event's name, say).
    private static func dataField(_ field: String?) -> String? {
        guard let field, field.hasPrefix("data.") else { return nil }
        return String(field.dropFirst("data.".count))
    }

    /// What a bulk action did: how many tasks, and why the others were not.
    struct BulkOutcome: Encodable, Sendable {
        let applied: Int
        let refused: [String]
    }

    /// Retries or cancels each task as an event on its case (many at once, through the engine's group commit).
    func bulk(_ name: EventName, on tasks: [TaskListing], reason: String, by principal: Principal) async
        -> BulkOutcome
    {
        let refusals = await withTaskGroup(of: String?.self) { group in
            for task in tasks {
                group.addTask {
                    guard let event = try? Event(name: name.rawValue, data: ["task": .string(task.id)]) else {
                        return "\(task.id): not a task id"
                    }
                    return await carryOut(event, on: task.caseID, reason: reason, by: principal).map {
                        "\(task.id): \($0)"
                    }
                }
            }
            return await group.reduce(into: [String]()) { if let refusal = $1 { $0.append(refusal) } }
        }
        return BulkOutcome(applied: tasks.count - refusals.count, refused: refusals.sorted())
    }

    /// The failed tasks of `queue` a bulk action would take.
    func failedTasks(on queue: String) async throws(StoreError) -> [TaskListing] {
        try await engine.store.tasks(on: queue, status: "failed", limit: Self.bulkLimit)
    }
}
