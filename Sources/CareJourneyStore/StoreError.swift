/// A problem with the store: opening it, reading or writing it, or what it holds.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem it is, for code to act on.
    public let code: Code
    /// What went wrong, and how to put it right.
    public let message: String
    /// The underlying error (a SQLite extended result code and message, say).
    public let cause: String?

    /// The kinds of problem. Extensible: new codes may be added.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The store could not be opened or migrated.
        public static let unavailable = Code(rawValue: "unavailable")
        /// A read or write failed; nothing was committed.
        public static let io = Code(rawValue: "io")
        /// The store holds something it cannot read back (a bug, or a file changed by hand).
        public static let corrupt = Code(rawValue: "corrupt")
        /// The engine is shutting down and takes no more commands.
        public static let closed = Code(rawValue: "closed")
        /// The store runs under another policy than the one asked for.
        public static let policyMismatch = Code(rawValue: "policy-mismatch")
        /// A command would have overwritten something it never overwrites: a backup file, or a store.
        public static let refused = Code(rawValue: "refused")
        /// `age` could not encrypt or decrypt a backup: it is missing, or a recipient or identity is wrong.
        public static let encryption = Code(rawValue: "encryption")
        public var description: String { rawValue }
    }

    /// Creates an error.
    public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause.map { String(describing: $0) }
    }

    /// Creates an error whose cause is what another program said (age's error line, say).
    init(_ code: Code, _ message: String, reported cause: String?) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { "\(code): \(message)" + (cause.map { " (\($0))" } ?? "") }

    /// What `body` returns; a `StoreError` it throws is thrown as it is, any other error as an `.io` error saying
    /// `message`, with the error as its cause (a database's error under the store's own).
    static func io<T>(_ message: String, _ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.io, message, cause: error)
        }
    }

    /// What `body` returns, its errors turned as `io(_:_:)` turns them.
    static func io<T>(_ message: String, _ body: () async throws -> T) async throws(StoreError) -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.io, message, cause: error)
        }
    }
}
