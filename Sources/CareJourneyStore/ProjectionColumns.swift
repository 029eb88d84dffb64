import CareJourneyCore
import GRDB

/// The columns of the `cases` table that are worked out from the state, for listing and filtering.
///
/// One list serves every use: the writer inserts them all for a new case and updates only those that changed
/// for a known one (an unchanged indexed column then costs no index write); `store verify` compares them with
/// the history's.
package struct ProjectionColumns: Equatable, Sendable, CustomStringConvertible {
    /// The column names, in the order of `values`.
    package static let names = [
        "stage", "name", "client_type", "opened_at", "overdue", "next_due", "next_timer", "team", "worker",
    ]

    /// Each column's value, in the order of `names`, as any store holds it.
    package let values: [StoreValue]

    /// The `name` column's value (what the name search indexes).
    package var name: StoreValue { values[1] }

    /// The `team` column's value (which open tasks carry too, for a team's worklist).
    package var team: StoreValue { values[7] }

    package init(_ state: CaseState) {
        let next = state.timers.min { ($0.value, $0.key) < ($1.value, $1.key) }
        values = [
            .text(state.stage.rawValue),
            .text(state.person?.name ?? ""),
            state.person.map { .text($0.clientType.rawValue) } ?? .null,
            state.openedAt.map { .real($0.timeIntervalSince1970) } ?? .null,
            .integer(Self.isOverdue(state) ? 1 : 0),
            next.map { .real($0.value.timeIntervalSince1970) } ?? .null,
            next.map { .text($0.key.rawValue) } ?? .null,
            state.allocation?.team.map { .text($0) } ?? .null,
            state.allocation?.worker.map { .text($0) } ?? .null,
        ]
    }

    /// Whether a case is flagged overdue: a review overdue, or reablement past its maximum.
    package static func isOverdue(_ state: CaseState) -> Bool {
        state.reviews.overdue != nil || (state.stage == .reablement && state.reablement?.overran == true)
    }

    /// The columns as another store read them: `values` in the order of `names`.
    package init(values: [StoreValue]) {
        self.values = values
    }

    /// The columns as stored in a row of `cases`.
    init(row: Row) {
        values = Self.names.map { name in StoreValue(row[name] as DatabaseValue) }
    }

    /// The columns whose values differ from `other`'s: one bit per column, in the order of `names`.
    package func changes(since other: ProjectionColumns) -> Int {
        var mask = 0
        for index in values.indices where values[index] != other.values[index] { mask |= 1 << index }
        return mask
    }

    /// The mask of every column.
    package static let every = (1 << names.count) - 1

    /// Binds the values of the columns in `mask`, in order, to the next parameters of a statement.
    func bind(_ mask: Int, to parameters: inout Statement.Parameters) {
        for index in values.indices where mask & (1 << index) != 0 { parameters.bind(values[index]) }
    }

    /// For each mask of changed columns, the statement that sets a case's version, update time and those columns.
    static let updates: [String] = (0..<(1 << names.count)).map { mask in
        "UPDATE cases SET version = ?, updated_at = ?"
            + names.indices.filter { mask & (1 << $0) != 0 }.map { ", \(names[$0]) = ?" }.joined() + " WHERE id = ?"
    }

    package static func == (lhs: ProjectionColumns, rhs: ProjectionColumns) -> Bool { lhs.values == rhs.values }

    package var description: String {
        "(" + zip(Self.names, values).map { "\($0) \($1.databaseValue)" }.joined(separator: ", ") + ")"
    }
}

extension CaseState {
    /// The `cases` table's projection columns (for listing and filtering) with this state's values, as the writer
    /// stores them: for tools that write stores directly, such as benchmarks.
    public var storedColumns: [(name: String, value: StoreValue)] {
        zip(ProjectionColumns.names, ProjectionColumns(self).values).map { (name: $0, value: $1) }
    }
}
