import CareJourneyStore
import Foundation
import Testing

@testable import CareJourneyPostgres

/// The store's address: libpq's `postgres://` URLs parsed into postgres-nio's configuration, and everything else
/// refused with an error that says what, where and how, and never repeats the password.
@Suite struct PostgresAddressTests {
    @Test func aFullAddressGivesEveryPart() throws {
        let address = try PostgresAddress(
            "postgres://care%20journey:p%40ss%3Aword@db.example.org:6543/council_1?sslmode=require", environment: [:])
        #expect(address.endpoint == .tcp(host: "db.example.org", port: 6543))
        #expect(address.user == "care journey")
        #expect(address.password == "p@ss:word")
        #expect(address.database == "council_1")
        #expect(address.tls == .require)
        let configuration = try address.clientConfiguration()
        #expect(configuration.host == "db.example.org")
        #expect(configuration.port == 6543)
        #expect(configuration.username == "care journey")
        #expect(configuration.password == "p@ss:word")
        #expect(configuration.database == "council_1")
        #expect("\(address)" == "postgres://care journey@db.example.org:6543/council_1?sslmode=require")
        #expect(!"\(address)".contains("p@ss"))
    }

    @Test func theDefaultsAreLibpqs() throws {
        let address = try PostgresAddress("postgresql://carejourney@localhost/carejourney", environment: [:])
        #expect(address.endpoint == .tcp(host: "localhost", port: 5432))
        #expect(address.tls == .prefer)
        #expect(!address.hasPassword)
        #expect(try address.clientConfiguration().password == nil)
    }

    @Test func thePasswordComesFromPGPASSWORDWhenTheAddressHasNone() throws {
        let environment = ["PGPASSWORD": "from-the-environment"]
        #expect(try PostgresAddress("postgres://u@h/d", environment: environment).password == "from-the-environment")
        #expect(try PostgresAddress("postgres://u:given@h/d", environment: environment).password == "given")
        #expect(try PostgresAddress("postgres://u:@h/d", environment: environment).password == "", "an empty password is one")
    }

    @Test func verifyFullChecksTheHostNameAndIPv6AddressesAreBracketed() throws {
        let full = try PostgresAddress("postgres://u@db.example.org/d?sslmode=verify-full", environment: [:])
        #expect(try full.clientConfiguration().options.tlsServerName == "db.example.org")
        let required = try PostgresAddress("postgres://u@db.example.org/d?sslmode=require", environment: [:])
        #expect(try required.clientConfiguration().options.tlsServerName == nil)
        let six = try PostgresAddress("postgres://u@[::1]:5433/d?sslmode=disable", environment: [:])
        #expect(six.endpoint == .tcp(host: "::1", port: 5433))
        #expect("\(six)" == "postgres://u@[::1]:5433/d?sslmode=disable")
    }

    @Test func aUnixSocketIsNamedByItsFolder() throws {
        let address = try PostgresAddress("postgres://u@/d?host=/run/postgresql", environment: [:])
        #expect(address.endpoint == .socket(folder: "/run/postgresql", port: 5432))
        #expect(try address.clientConfiguration().unixSocketPath == "/run/postgresql/.s.PGSQL.5432")
    }

    @Test(arguments: [
        ("mysql://u:hunter2@h/d", "does not begin with postgres://"),
        ("postgres://u:hunter2@h", "names no database"),
        ("postgres://u:hunter2@h/", "must name one database"),
        ("postgres://u:hunter2@h/a/b", "must name one database"),
        ("postgres://:hunter2@h/d", "names no user"),
        ("postgres://h/d", "names no user"),
        ("postgres://u:hunter2@/d", "names no host"),
        ("postgres://u:hunter2@h:99999/d", "has the port '99999'"),
        ("postgres://u:hunter2@h:5x/d", "has the port '5x'"),
        ("postgres://u:hunter2@h/d?sslmode=maybe", "has sslmode=maybe; it is one of disable, prefer"),
        ("postgres://u:hunter2@h/d?sslmode=", "gives no value to sslmode"),
        ("postgres://u:hunter2@h/d?options=-csearch_path%3Devil", "has the parameter 'options'"),
        ("postgres://u:hunter2@h/d?sslmode=require&sslmode=disable", "gives sslmode twice"),
        ("postgres://u:hunter2@h/d?sslrootcert=/etc/ca.pem", "gives sslrootcert, which only sslmode=verify-ca"),
        ("postgres://u:hunter2@h/d#fragment", "has a fragment"),
        ("postgres://u:hunter2/x@h/d", "has an '@' after its first '/', '?' or '#'"),
        ("postgres://u:hunter2?x@h/d", "has an '@' after its first '/', '?' or '#'"),
        ("postgres://u:hunter2#x@h/d", "has an '@' after its first '/', '?' or '#'"),
        ("postgres://u:hunter2@h o/d", "holds a space"),
        ("postgres://u:hunter2@h/d\n", "control character"),
        ("postgres://u:hunter2@hé/d", "outside ASCII"),
        ("postgres://u:hunter2@h;rm/d", "has the host 'h;rm'"),
        ("postgres://u:hunter2@[::1/d", "opens an IPv6 address"),
        ("postgres://u:hunter2@[zz]/d", "IPv6 address in [ ] that is not one"),
        ("postgres://u:hunt%zzer2@h/d", "has the password (not shown) with a %"),
        ("postgres://u:hunter2@h/d%00", "NUL"),
        ("postgres://u:hunter2@/d?host=relative", "host= takes the folder"),
        ("postgres://u:hunter2@h/d?host=/run/postgresql", "names a host and host="),
        ("postgres://u:hunter2@/d?host=/run/postgresql&sslmode=require", "asks for TLS (sslmode=require) over a Unix socket"),
        ("postgres://u:hunter2@h/" + String(repeating: "d", count: 5000), "an address is at most 4096"),
    ])
    func aBadAddressIsRefusedSayingWhatAndHowWithoutThePassword(url: String, problem: String) throws {
        let error = try #require(throws: StoreError.self) { try PostgresAddress(url, environment: [:]) }
        #expect(error.code == .address)
        #expect(error.message.contains(problem), "\(error.message)")
        #expect(error.message.contains("postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE"), "says how to write one")
        #expect(!error.description.contains("hunter2"), "never repeats the password: \(error)")
        #expect(!error.description.contains("hunt"), "nor a part of it: \(error)")
    }

    @Test func anUnreadableRootCertificateIsRefusedWhenTheConfigurationIsMade() throws {
        let address = try PostgresAddress(
            "postgres://u:hunter2@h/d?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem", environment: [:])
        let error = try #require(throws: StoreError.self) { try address.clientConfiguration() }
        #expect(error.code == .address)
        #expect(error.message.contains("cannot read sslrootcert=/nonexistent/ca.pem as PEM certificates"))
        #expect(!error.description.contains("hunter2"))
    }

    @Test func aLocationIsAFolderUnlessItIsAnAddress() throws {
        guard case .directory("/var/lib/carejourney") = try StoreLocation("/var/lib/carejourney", environment: [:]) else {
            Issue.record("a folder is a folder")
            return
        }
        guard case .postgres(let address) = try StoreLocation("postgres://u@h/d", environment: [:]) else {
            Issue.record("an address is an address")
            return
        }
        #expect(address.database == "d")
        #expect(throws: StoreError.self) { try StoreLocation("postgres://u@h", environment: [:]) }
        let shouted = #expect(throws: StoreError.self) { try StoreLocation("POSTGRES://u:hunter2@h/d", environment: [:]) }
        #expect(shouted?.message.contains("does not begin with postgres://") == true, "an address, refused as one")
        for mistyped in ["Postgres:/u:hunter2@h/d", "postgres:u:hunter2@h/d", "mysql://u:hunter2@h/d", "postgresql:/h/d"] {
            let error = #expect(throws: StoreError.self, "\(mistyped)") { try StoreLocation(mistyped, environment: [:]) }
            #expect(error?.code == .address)
            #expect(error?.message.contains("hunter2") == false)
        }
        guard case .directory("postgres-backups/council") = try StoreLocation("postgres-backups/council", environment: [:])
        else {
            Issue.record("a folder whose name begins with postgres is a folder")
            return
        }
    }
}
