import Foundation
import GRDB
import GRDBSQLite

/// A value the writer binds straight to a parameter of an SQLite statement (`Statement.run`), as GRDB binds it:
/// numbers and blobs through GRDB's own binding, text up to its first NUL, copied by SQLite, and `nil` as NULL.
protocol StatementValue {
    /// Binds the value to parameter `index` (from 1) of `statement`; returns SQLite's result code.
    func bind(at index: CInt, of statement: SQLiteStatement) -> CInt
}

extension StatementValue where Self: StatementBinding {
    func bind(at index: CInt, of statement: SQLiteStatement) -> CInt { bind(to: statement, at: index) }
}

extension Int: StatementValue {}
extension Int64: StatementValue {}
extension Double: StatementValue {}
extension Bool: StatementValue {}
extension Data: StatementValue {}

extension String: StatementValue {
    /// As GRDB binds text, through a C string: but a short string's C string is made on the stack by `withCString`,
    /// where the pointer an argument of type `String` is turned into is made on the heap.
    func bind(at index: CInt, of statement: SQLiteStatement) -> CInt {
        withCString { sqlite3_bind_text(statement, index, $0, -1, SQLITE_TRANSIENT) }
    }
}

extension DatabaseValue: StatementValue {
    func bind(at index: CInt, of statement: SQLiteStatement) -> CInt {
        if case .string(let text) = storage { return text.bind(at: index, of: statement) }
        return bind(to: statement, at: index)
    }
}

/// A store's value (a projection column's) binds as GRDB binds the same value (`DatabaseValue`).
extension StoreValue: StatementValue {
    func bind(at index: CInt, of statement: SQLiteStatement) -> CInt {
        switch self {
        case .null: sqlite3_bind_null(statement, index)
        case .integer(let integer): integer.bind(at: index, of: statement)
        case .real(let real): real.bind(at: index, of: statement)
        case .text(let text): text.bind(at: index, of: statement)
        case .blob(let bytes): Data(bytes).bind(at: index, of: statement)
        }
    }
}

extension Optional: StatementValue where Wrapped: StatementValue {
    func bind(at index: CInt, of statement: SQLiteStatement) -> CInt {
        self?.bind(at: index, of: statement) ?? sqlite3_bind_null(statement, index)
    }
}

/// SQLite's `SQLITE_TRANSIENT`: SQLite copies the bound text before the call returns (the C macro does not reach
/// Swift).
private let SQLITE_TRANSIENT = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

extension Statement {
    /// Runs this statement (an insert, update or delete that returns no rows) with `values` bound to its parameters,
    /// in order.
    ///
    /// The writer's statements for every event run through this instead of `execute(arguments:)`: GRDB's
    /// `StatementArguments` wraps each value in an existential in an array, checks and copies it, then binds it
    /// through nested closures (~15 % of the writer's processor time in `carejourney-bench transitions`); here the
    /// values' types are known where they are bound. Strings and blobs are copied by SQLite (`SQLITE_TRANSIENT`).
    ///
    /// GRDB's bookkeeping around a statement is not needed here: the writer runs inside GRDB's transaction, with no
    /// transaction observer, and a failure throws out of the batch, which GRDB then rolls back.
    ///
    /// - Throws: `DatabaseError` with SQLite's code and message, when a value cannot be bound, the number of values
    ///   is not the number of parameters, or the statement fails.
    func run<each Value: StatementValue>(_ values: repeat each Value) throws {
        try run { parameters in
            for value in repeat each values { parameters.bind(value) }
        }
    }

    /// Runs this statement with the values `bind` binds to its parameters, in order: for a number of values known
    /// only when the statement runs (a case's changed columns).
    func run(binding bind: (inout Parameters) -> Void) throws {
        let statement = sqliteStatement
        // A reset returns the error of the statement's last run, if it failed: that error was thrown then.
        sqlite3_reset(statement)
        var parameters = Parameters(statement: statement)
        bind(&parameters)
        if parameters.code == SQLITE_OK && parameters.count != sqlite3_bind_parameter_count(statement) {
            throw DatabaseError(
                resultCode: .SQLITE_MISUSE,
                message: "\(parameters.count) values for \(sqlite3_bind_parameter_count(statement)) parameters",
                sql: sql)
        }
        var code = parameters.code
        while code == SQLITE_OK || code == SQLITE_ROW { code = sqlite3_step(statement) }
        guard code == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(statement)))
            // Left ready to run again, as GRDB would leave it for its statement cache.
            sqlite3_reset(statement)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
        }
    }

    /// The parameters of a statement being bound, in order.
    struct Parameters {
        fileprivate let statement: SQLiteStatement
        /// How many are bound.
        fileprivate(set) var count: CInt = 0
        /// `SQLITE_OK`, or the result of the first binding that failed.
        fileprivate(set) var code = SQLITE_OK

        fileprivate init(statement: SQLiteStatement) { self.statement = statement }

        /// Binds the next parameter.
        mutating func bind(_ value: some StatementValue) {
            count += 1
            if code == SQLITE_OK { code = value.bind(at: count, of: statement) }
        }
    }
}
