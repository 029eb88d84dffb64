/// A problem with who is asking: not signed in, a role too low for what they ask, acting as someone else, or a
/// service that would let anyone act as admin.
public struct AccessError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem it is, for code to act on.
    public let code: Code
    /// What is wrong, for the person asking.
    public let message: String
    /// How to put it right.
    public let hint: String?
    /// The underlying error, where there was one.
    public let cause: String?

    /// The kinds of problem. Extensible: new codes may be added.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The request carries no token and no session (401).
        public static let unauthenticated = Code(rawValue: "unauthenticated")
        /// The token is not in the token file, or the session has ended (401).
        public static let invalidCredentials = Code(rawValue: "invalid-credentials")
        /// The signed-in role is below what the request needs (403).
        public static let forbidden = Code(rawValue: "forbidden")
        /// The body names an actor other than the signed-in person (403).
        public static let actorMismatch = Code(rawValue: "actor-mismatch")
        /// The service would listen beyond this machine with no token file, so anyone could act as admin.
        public static let notLoopback = Code(rawValue: "not-loopback")
        public var description: String { rawValue }
    }

    /// Creates an error.
    public init(_ code: Code, _ message: String, hint: String? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
        self.cause = cause.map { String(describing: $0) }
    }

    /// Whether signing in (again) would answer it.
    var needsSignIn: Bool { code == .unauthenticated || code == .invalidCredentials }

    public var description: String {
        message + (hint.map { "\n  hint: \($0)" } ?? "") + (cause.map { " (\($0))" } ?? "")
    }
}
