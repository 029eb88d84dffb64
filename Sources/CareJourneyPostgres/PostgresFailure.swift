import CareJourneyStore
import PostgresNIO

/// What postgres-nio's errors say, as the store's errors: postgres-nio renders its own errors as a generic
/// sentence on purpose (its queries may hold personal data), so the server's own words (message, detail, hint and
/// SQLSTATE) and the connection's failure are taken out here, never the query or its values.
public enum PostgresFailure {
    /// Runs `body`, turning what it throws into a `StoreError` that says `what` failed and why.
    public static func map<T>(_ what: String, _ body: () async throws -> T) async throws(StoreError) -> T {
        do {
            return try await body()
        } catch {
            throw storeError(error, what)
        }
    }

    /// `error` as a `StoreError`: store errors as they are (a transaction's rollback kept out of the way),
    /// PostgreSQL's and the connection's in words.
    static func storeError(_ error: any Error, _ what: String) -> StoreError {
        switch error {
        case let error as StoreError: return error
        case let error as PostgresTransactionError:
            if let inner = error.closureError ?? error.commitError ?? error.beginError {
                return storeError(inner, what)
            }
            return StoreError(.io, "\(what) failed: the transaction could not be completed")
        case let error as PSQLError:
            return psql(error, what)
        default:
            return StoreError(.io, "\(what) failed", cause: error)
        }
    }

    private static func psql(_ error: PSQLError, _ what: String) -> StoreError {
        if let info = error.serverInfo {
            let state = info[.sqlState] ?? "?"
            var words = info[.message] ?? "the server refused it"
            // A constraint's detail quotes the row or key it refused (class 23): values, perhaps personal data.
            if let detail = info[.detail], !state.hasPrefix("23") { words += "; \(detail)" }
            if let hint = info[.hint] { words += "; hint: \(hint)" }
            // Class 28 (authorisation), 3D (no such database), 57 (shutting down), 53 (no resources left).
            let code: StoreError.Code =
                ["28", "3D", "57", "53", "08"].contains(state.prefix(2)) ? .unavailable : .io
            return StoreError(code, "\(what) failed: PostgreSQL says: \(words) (SQLSTATE \(state))")
        }
        let reason: String
        switch error.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown:
            reason =
                "the connection failed or was closed (\(error.underlying.map { String(describing: $0) } ?? "no reason given")): "
                + "check the host and port, that the server runs, and that it accepts connections from here "
                + "(listen_addresses, pg_hba.conf)"
        case .sslUnsupported:
            reason = "the server does not offer TLS, which sslmode asks for: enable ssl on the server, or use sslmode=disable on a trusted network"
        case .failedToAddSSLHandler:
            reason = "TLS could not be set up (\(error.underlying.map { String(describing: $0) } ?? "no reason given"))"
        case .authMechanismRequiresPassword:
            reason = "the server asks for a password and none was given: put it in the address or in PGPASSWORD"
        case .unsupportedAuthMechanism, .saslError:
            reason = "the server's sign-in could not be completed (\(error.code)): check the password and pg_hba.conf"
        case .tooManyParameters:
            reason = "a statement had more than 65,535 values (a bug: report it)"
        default:
            reason = "\(error.code)" + (error.underlying.map { " (\(String(describing: $0)))" } ?? "")
        }
        let code: StoreError.Code = error.code == .tooManyParameters ? .io : .unavailable
        return StoreError(code, "\(what) failed: \(reason)")
    }
}
