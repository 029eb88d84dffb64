import CareJourneyStore
import Foundation
import Logging
import PostgresNIO

/// A PostgreSQL store's address, `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=…&sslrootcert=…]`, as
/// libpq writes it, parsed into postgres-nio's client configuration (postgres-nio has no parser of its own;
/// postgres-kit's would bring sql-kit and async-kit for one function).
///
/// ```swift
/// let address = try PostgresAddress("postgres://carejourney@db.example:5432/carejourney?sslmode=verify-full")
/// print(address)                            // postgres://carejourney@db.example:5432/carejourney (no password, ever)
/// let client = PostgresClient(configuration: address.configuration)
/// ```
///
/// - `sslmode`: `disable` (no TLS), `prefer` (TLS if the server offers it, the default as in libpq), `require`
///   (TLS or no connection; like libpq, the server's certificate is not checked), `verify-ca` (TLS with a
///   certificate signed by a trusted authority), `verify-full` (that, and for the host named).
///   `sslrootcert=FILE` names the PEM file of the authorities to trust (else the system's).
/// - `host=/FOLDER` instead of a host connects through the server's Unix socket in that folder (no TLS).
/// - The password, percent-encoded in the URL, or from `PGPASSWORD` when the URL has none.
///
/// Anything else is refused with an error that says what is wrong, where, and how to write it; no error repeats
/// the password.
public struct PostgresAddress: Sendable, CustomStringConvertible {
    /// The TLS modes of libpq's `sslmode` this parser takes.
    public enum TLSMode: String, Sendable, CaseIterable {
        /// No TLS.
        case disable
        /// TLS if the server offers it (no certificate check).
        case prefer
        /// TLS or no connection (no certificate check).
        case require
        /// TLS with a certificate signed by a trusted authority.
        case verifyCA = "verify-ca"
        /// That, and for the host named.
        case verifyFull = "verify-full"
    }

    /// Where the server is: a host and port, or a Unix socket's folder (and port, which names the socket file).
    public enum Endpoint: Sendable, Equatable {
        /// A host name or IP address, and a port.
        case tcp(host: String, port: Int)
        /// The folder of the server's Unix socket, and the port that names the socket file in it.
        case socket(folder: String, port: Int)
    }

    /// Where the server is.
    public let endpoint: Endpoint
    /// The user to sign in as.
    public let user: String
    /// The password, from the URL or `PGPASSWORD`; never printed.
    let password: String?
    /// The database that holds the store.
    public let database: String
    /// Whether and how the connection is encrypted (`sslmode`).
    public let tls: TLSMode
    /// The PEM file of the certificate authorities to trust (`sslrootcert`).
    public let rootCertificates: String?

    /// Whether a password was given (in the URL or `PGPASSWORD`).
    public var hasPassword: Bool { password != nil }

    /// The longest address taken: a longer one is not an address.
    static let maximumLength = 4096

    /// Parses `url`.
    ///
    /// - Parameter environment: where `PGPASSWORD` is read when the URL has no password.
    /// - Throws: `StoreError` with code `address`, saying what is wrong and how to write it.
    public init(_ url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) {
        guard url.utf8.count <= Self.maximumLength else {
            throw Self.refusal("is \(url.utf8.count) bytes long; an address is at most \(Self.maximumLength)")
        }
        if let control = url.unicodeScalars.first(where: { $0.value < 0x21 || $0.value == 0x7F || $0.value > 0x7E }) {
            throw Self.refusal(
                "holds a space, a control character or a character outside ASCII (U+\(String(control.value, radix: 16, uppercase: true))); "
                    + "percent-encode it (a space as %20)")
        }
        guard let schemeEnd = url.range(of: "://"), ["postgres", "postgresql"].contains(url[..<schemeEnd.lowerBound])
        else {
            throw Self.refusal("does not begin with postgres:// (or postgresql://)")
        }
        var rest = Substring(url[schemeEnd.upperBound...])
        // A '/', '?' or '#' left raw in the password ends the host part early, and what follows would be read (and
        // quoted back in an error) as the database or the parameters: refused here, quoting nothing.
        if let end = rest.firstIndex(where: { "/?#".contains($0) }), rest[end...].contains("@") {
            throw Self.refusal(
                "has an '@' after its first '/', '?' or '#': a user or password holding '/', '?' or '#' must write "
                    + "them %2F, %3F and %23 (or give the password in PGPASSWORD)")
        }
        if rest.contains("#") { throw Self.refusal("has a fragment (#…), which an address never has") }
        var query = Substring("")
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let slash = rest.firstIndex(of: "/") else {
            throw Self.refusal("names no database: end it with /DATABASE (before any ?…)")
        }
        let authority = rest[..<slash]
        let path = rest[rest.index(after: slash)...]
        guard !path.isEmpty, !path.contains("/") else {
            throw Self.refusal("must name one database after the host (/DATABASE), and nothing after it")
        }
        database = try Self.decode(path, "the database name")

        var hostPart = authority
        var user: String?
        var password: String?
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            hostPart = authority[authority.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                user = try Self.decode(userInfo[..<colon], "the user name")
                password = try Self.decode(userInfo[userInfo.index(after: colon)...], "the password (not shown)")
            } else {
                user = try Self.decode(userInfo, "the user name")
            }
        }
        guard let user, !user.isEmpty else {
            throw Self.refusal("names no user: write postgres://USER@HOST/DATABASE (the password in PGPASSWORD)")
        }
        self.user = user
        self.password = password ?? environment["PGPASSWORD"]

        var parameters: [String: String] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            guard Self.parameters.contains(name) else {
                throw Self.refusal(
                    "has the parameter '\(name.prefix(40))', which CareJourney does not take; it takes "
                        + Self.parameters.sorted().joined(separator: ", "))
            }
            guard parts.count == 2, !parts[1].isEmpty else { throw Self.refusal("gives no value to \(name) (\(name)=…)") }
            guard parameters[name] == nil else { throw Self.refusal("gives \(name) twice") }
            parameters[name] = try Self.decode(parts[1], "the value of \(name)")
        }
        if let mode = parameters["sslmode"] {
            guard let known = TLSMode(rawValue: mode) else {
                throw Self.refusal(
                    "has sslmode=\(mode.prefix(40)); it is one of "
                        + TLSMode.allCases.map(\.rawValue).joined(separator: ", "))
            }
            tls = known
        } else {
            tls = .prefer
        }
        rootCertificates = parameters["sslrootcert"]
        if rootCertificates != nil, ![.verifyCA, .verifyFull].contains(tls) {
            throw Self.refusal(
                "gives sslrootcert, which only sslmode=verify-ca or verify-full uses (it has sslmode=\(tls.rawValue))")
        }

        let (host, portText) = try Self.split(hostPart)
        var port = 5432
        if let portText {
            guard let number = Int(portText), (1...65535).contains(number), portText.allSatisfy(\.isASCII) else {
                throw Self.refusal("has the port '\(portText.prefix(10))'; a port is a number from 1 to 65535")
            }
            port = number
        }
        if let folder = parameters["host"] {
            guard host.isEmpty else { throw Self.refusal("names a host and host=\(folder): give one of them") }
            guard folder.hasPrefix("/") else {
                throw Self.refusal("has host=\(folder.prefix(40)); host= takes the folder of the server's Unix socket, from /")
            }
            guard tls == .disable || parameters["sslmode"] == nil else {
                throw Self.refusal("asks for TLS (sslmode=\(tls.rawValue)) over a Unix socket; drop sslmode there")
            }
            endpoint = .socket(folder: folder, port: port)
        } else {
            guard !host.isEmpty else {
                throw Self.refusal("names no host: write postgres://USER@HOST[:PORT]/DATABASE")
            }
            endpoint = .tcp(host: host, port: port)
        }
    }

    /// The query parameters taken.
    static let parameters: Set<String> = ["sslmode", "sslrootcert", "host"]

    /// `HOST[:PORT]` or `[IPv6][:PORT]`, the host checked for the characters a host name or address may hold.
    private static func split(_ hostPart: Substring) throws(StoreError) -> (host: String, port: Substring?) {
        var host = hostPart
        var port: Substring?
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else {
                throw refusal("opens an IPv6 address with [ and does not close it with ]")
            }
            host = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
            let after = hostPart[hostPart.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw refusal("has something after the IPv6 address other than :PORT") }
                port = after.dropFirst()
            }
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw refusal("has an IPv6 address in [ ] that is not one")
            }
        } else if let colon = hostPart.firstIndex(of: ":") {
            host = hostPart[..<colon]
            port = hostPart[hostPart.index(after: colon)...]
        }
        if !hostPart.hasPrefix("["),
            !host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_") })
        {
            throw refusal("has the host '\(host.prefix(60))', which is not a host name or address")
        }
        return (String(host), port)
    }

    /// `text` percent-decoded.
    private static func decode(_ text: Substring, _ what: String) throws(StoreError) -> String {
        guard let decoded = String(text).removingPercentEncoding else {
            throw refusal("has \(what) with a % that is not followed by two hexadecimal digits; write % itself as %25")
        }
        guard !decoded.unicodeScalars.contains(where: { $0.value == 0 }) else {
            throw refusal("has \(what) with a NUL character (%00), which PostgreSQL does not take")
        }
        return decoded
    }

    private static func refusal(_ problem: String) -> StoreError {
        StoreError(
            .address,
            "the PostgreSQL store's address \(problem). An address is "
                + "postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require|verify-ca|verify-full]"
                + " (special characters percent-encoded; the password may come from PGPASSWORD instead)")
    }

    /// The address without its password: `postgres://USER@HOST:PORT/DATABASE?sslmode=…`.
    public var description: String {
        let mode = tls == .prefer ? "" : "?sslmode=\(tls.rawValue)"
        switch endpoint {
        case .tcp(let host, let port):
            let shown = host.contains(":") ? "[\(host)]" : host
            return "postgres://\(user)@\(shown):\(port)/\(database)\(mode)"
        case .socket(let folder, let port):
            return "postgres://\(user)@/\(database)?host=\(folder) (port \(port))"
        }
    }

    /// The configuration of postgres-nio's connection pool (`PostgresClient`), for a service that keeps connections.
    ///
    /// - Throws: `StoreError` with code `address` when `sslrootcert` cannot be read as PEM certificates.
    public func clientConfiguration() throws(StoreError) -> PostgresClient.Configuration {
        switch endpoint {
        case .socket(let folder, let port):
            return PostgresClient.Configuration(
                unixSocketPath: "\(folder)/.s.PGSQL.\(port)", username: user, password: password, database: database)
        case .tcp(let host, let port):
            let tls: PostgresClient.Configuration.TLS =
                switch (tls, try tlsSettings()) {
                case (_, nil): .disable
                case (.prefer, let settings?): .prefer(settings)
                case (_, let settings?): .require(settings)
                }
            var configuration = PostgresClient.Configuration(
                host: host, port: port, username: user, password: password, database: database, tls: tls)
            if self.tls == .verifyFull { configuration.options.tlsServerName = host }
            return configuration
        }
    }

    /// The configuration of one connection (`PostgresConnection`), for a command that needs one: it fails at once
    /// with the server's reason when it cannot connect, where the pool would retry for a minute.
    ///
    /// - Throws: `StoreError` with code `address` when `sslrootcert` cannot be read as PEM certificates, or the TLS
    ///   settings are refused.
    func connectionConfiguration() throws(StoreError) -> PostgresConnection.Configuration {
        switch endpoint {
        case .socket(let folder, let port):
            return PostgresConnection.Configuration(
                unixSocketPath: "\(folder)/.s.PGSQL.\(port)", username: user, password: password, database: database)
        case .tcp(let host, let port):
            var tls = PostgresConnection.Configuration.TLS.disable
            if let settings = try tlsSettings() {
                let context: NIOSSLContext
                do {
                    context = try NIOSSLContext(configuration: settings)
                } catch {
                    throw StoreError(.address, "cannot set up TLS for \(self)", cause: error)
                }
                tls = self.tls == .prefer ? .prefer(context) : .require(context)
            }
            var configuration = PostgresConnection.Configuration(
                host: host, port: port, username: user, password: password, database: database, tls: tls)
            if self.tls == .verifyFull { configuration.options.tlsServerName = host }
            return configuration
        }
    }

    /// The TLS settings `sslmode` asks for (`nil` for `disable`): like libpq, `prefer` and `require` check no
    /// certificate, `verify-ca` checks the certificate's signature, `verify-full` its host name too.
    private func tlsSettings() throws(StoreError) -> TLSConfiguration? {
        var settings = TLSConfiguration.makeClientConfiguration()
        switch tls {
        case .disable: return nil
        case .prefer, .require: settings.certificateVerification = .none
        case .verifyCA: settings.certificateVerification = .noHostnameVerification
        case .verifyFull: settings.certificateVerification = .fullVerification
        }
        if let rootCertificates {
            do {
                settings.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(rootCertificates))
            } catch {
                throw StoreError(
                    .address,
                    "cannot read sslrootcert=\(rootCertificates) as PEM certificates: give the file of the certificate "
                        + "authorities that signed the server's certificate", cause: error)
            }
        }
        return settings
    }

    /// A new connection to the database, which the caller closes.
    ///
    /// - Throws: `StoreError.unavailable` with the reason when the connection cannot be made.
    func connect(logger: Logger) async throws(StoreError) -> PostgresConnection {
        let configuration = try connectionConfiguration()
        return try await PostgresFailure.map("connecting to \(self)") {
            try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        }
    }

    /// Connects to the database, runs `body` with the connection, and closes it, whether `body` returned or threw.
    ///
    /// - Throws: `StoreError.unavailable` with the reason when the connection cannot be made (the server's own
    ///   words for a refused password or a missing database); what `body` throws.
    public func withConnection<T: Sendable>(
        logger: Logger, _ body: (PostgresConnection) async throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        let connection = try await connect(logger: logger)
        do throws(StoreError) {
            let result = try await body(connection)
            try? await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

extension StoreError.Code {
    /// A PostgreSQL store's address (`postgres://…`) that cannot be used as written.
    public static let address = StoreError.Code(rawValue: "address")
}
