import CareJourneyStore

/// The name of one `serve` node of a store shared by several: the key of its row in `nodes`, of its feed's rows,
/// the owner of its timer claims and task leases. Two nodes must never share one (their feeds would mix).
///
/// ```swift
/// let node = try NodeName("care-1:8080")
/// ```
public struct NodeName: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The name as written.
    public let rawValue: String

    /// The longest name taken, in bytes: it travels in every doorbell, whose payload PostgreSQL caps at 8,000.
    public static let maximumLength = 200

    /// Takes `name`: 1 to 200 characters, letters, digits, and `-`, `_`, `.`, `:`, `@` (a host name and port).
    ///
    /// - Throws: `StoreError` with code `address`, saying what a name may hold (never quoting a name too long to
    ///   be one).
    public init(_ name: String) throws(StoreError) {
        guard !name.isEmpty, name.utf8.count <= Self.maximumLength else {
            throw StoreError(
                .address,
                "a node's name is 1 to \(Self.maximumLength) characters long (this one has \(name.utf8.count) bytes): "
                    + "name each node once, such as its host name and port (care-1:8080)")
        }
        guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:@".contains($0)) }) else {
            throw StoreError(
                .address,
                "a node's name holds only ASCII letters, digits, '-', '_', '.', ':' and '@', and this one holds "
                    + "another character: name each node once, such as its host name and port (care-1:8080)")
        }
        rawValue = name
    }

    public var description: String { rawValue }

    public static func < (lhs: NodeName, rhs: NodeName) -> Bool { lhs.rawValue < rhs.rawValue }
}
