import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A PostgreSQL server for the tests, from Debian's `postgresql` package: a new cluster in a temporary folder
/// (`initdb --locale=C -E UTF8`, a password-protected superuser), listening on a free loopback port, stopped by the
/// PID it started and its folder removed — one the test process shares (`shared()`, a database each), or, for a
/// test that stops the server or one of its backends, one of its own (`with`), however the test ends.
///
/// ```swift
/// let store = try await PostgresServer.shared().newDatabase()   // a database of this test's own
/// try await PostgresServer.with { server in
///     let url = server.url(database: "postgres")   // postgres://carejourney:…@127.0.0.1:PORT/postgres?sslmode=disable
///     …
/// }
/// ```
///
/// `initdb` and `postgres` refuse to run as root: when the tests run as root, the cluster's folder belongs to the
/// `postgres` user Debian's package creates, and the programs run as that user (`runuser -u postgres --`).
public struct PostgresServer: Sendable {
    /// The superuser's name and password (scram-sha-256 over TCP).
    public static let user = "carejourney"
    public static let password = "test-password-only"

    /// The loopback port it listens on.
    public let port: Int
    /// The postmaster's PID, read from `postmaster.pid` once `pg_ctl start -w` said it accepts connections.
    public let pid: pid_t

    /// The store's address of `database` on this server, with the password in it unless `password` is false.
    public func url(database: String, password: Bool = true) -> String {
        let credentials = password ? "\(Self.user):\(Self.password)" : Self.user
        return "postgres://\(credentials)@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// Starts a server, runs `body` with it, then stops it (by its PID) and removes its folder, whether `body`
    /// returned or threw.
    ///
    /// - Throws: `PostgresServerError` when the server programs are missing (saying how to install them) or the
    ///   cluster cannot be made or started (with the server's log); whatever `body` throws.
    public static func with<T: Sendable>(_ body: @Sendable (PostgresServer) async throws -> T) async throws -> T {
        let programs = try ServerPrograms.find()
        await ClusterFolder.removeAbandoned()
        let folder = try ClusterFolder()
        let server: PostgresServer
        do {
            server = try await start(programs, in: folder)
        } catch {
            await folder.stopLeftServer()
            folder.remove()
            throw error
        }
        do {
            let result = try await body(server)
            await server.stop()
            folder.remove()
            return result
        } catch {
            await server.stop()
            folder.remove()
            throw error
        }
    }

    /// The server this test process's tests share, a database each (`TestStore`, the PostgreSQL store's tests:
    /// `newDatabase`), started the first time it is asked for and stopped, its folder removed, when the process
    /// exits; a process killed before then leaves it to `removeAbandoned` at the next start of a test's server.
    ///
    /// - Throws: `PostgresServerError` as `with(_:)` does, to every caller once it failed.
    public static func shared() async throws -> PostgresServer {
        try await SharedServer.instance.server()
    }

    /// Starts the shared server and arranges its stop at exit.
    fileprivate static func startShared() async throws -> PostgresServer {
        let programs = try ServerPrograms.find()
        await ClusterFolder.removeAbandoned()
        let folder = try ClusterFolder()
        do {
            // Every test of a suite may run a server at once, each with its connections (the pool, the writer, the
            // presence, the feed): more than the 100 PostgreSQL allows by default.
            let server = try await start(programs, in: folder, settings: "-c max_connections=500")
            SharedServer.atExit.withLock { $0 = (server.pid, folder.path) }
            atexit { SharedServer.stopAtExit() }
            return server
        } catch {
            await folder.stopLeftServer()
            folder.remove()
            throw error
        }
    }

    /// Makes a cluster in `folder` and starts a server on it, with `settings` (`postgres` options) beside the port.
    ///
    /// A test's cluster is thrown away after it, and no test outlives the machine: its server does not wait for the
    /// disk (`fsync=off`), which every test's server shares with the build's writes. Commits are still synchronous
    /// (`synchronous_commit=on`, as a node's are).
    private static func start(_ programs: ServerPrograms, in folder: ClusterFolder, settings: String = "") async throws
        -> PostgresServer
    {
        try folder.write(password, to: "password")
        try await programs.run(
            "initdb", "-D", folder.data, "--locale=C", "-E", "UTF8", "-U", user, "--pwfile=\(folder.file("password"))",
            "--auth=scram-sha-256", "--no-sync", log: folder.file("initdb.log"))
        var lastFailure: (any Error)?
        for _ in 0..<3 {
            let port = try freeLoopbackPort()
            do {
                try await programs.run(
                    "pg_ctl", "start", "-w", "-t", "60", "-D", folder.data, "-l", folder.file("server.log"), "-o",
                    "-p \(port) -h 127.0.0.1 -k \(folder.path) -c fsync=off \(settings)", log: folder.file("pg_ctl.log"))
            } catch {
                // Another process may have taken the port between its choice and the server's bind.
                lastFailure = error
                await folder.stopLeftServer()
                continue
            }
            guard let pid = folder.postmasterPID() else {
                throw PostgresServerError("pg_ctl started a server in \(folder.data) but its postmaster.pid names no PID")
            }
            return PostgresServer(port: port, pid: pid)
        }
        throw lastFailure ?? PostgresServerError("the test's PostgreSQL server did not start")
    }

    /// Asks the postmaster to stop (SIGINT: a fast shutdown, rolling back open transactions) and waits for it to
    /// exit; SIGKILL after 30 s.
    func stop() async {
        await Self.stop(pid)
    }

    static func stop(_ pid: pid_t) async {
        kill(pid, SIGINT)
        for _ in 0..<3000 {
            if kill(pid, 0) != 0 && errno == ESRCH { return }
            try? await Task.sleep(for: .milliseconds(10))
        }
        kill(pid, SIGKILL)
        // Gone within moments; not waited for without end (a process no one reaps stays a zombie).
        for _ in 0..<500 where kill(pid, 0) == 0 { try? await Task.sleep(for: .milliseconds(10)) }
    }
}

/// The one server of `PostgresServer.shared()`: started once, by the first to ask.
private actor SharedServer {
    static let instance = SharedServer()
    /// What is stopped and removed at exit: the postmaster's PID and the cluster's folder.
    static let atExit = Mutex<(pid: pid_t, folder: String)?>(nil)

    private var started: Task<PostgresServer, any Error>?

    func server() async throws -> PostgresServer {
        if let started { return try await started.value }
        let starting = Task { try await PostgresServer.startShared() }
        started = starting
        return try await starting.value
    }

    /// Stops the server as `PostgresServer.stop` does, without tasks (the process is ending), and removes its folder.
    static func stopAtExit() {
        guard let (pid, folder) = atExit.withLock({ $0 }) else { return }
        kill(pid, SIGINT)
        var waited = 0
        while kill(pid, 0) == 0 || errno != ESRCH {
            if waited == 3000 { kill(pid, SIGKILL) }
            if waited > 3500 { break }
            usleep(10_000)
            waited += 1
        }
        try? FileManager.default.removeItem(atPath: folder)
    }
}

/// Why the test's PostgreSQL server could not be had, with what to do.
public struct PostgresServerError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Debian's PostgreSQL server programs (`/usr/lib/postgresql/VERSION/bin`, not on PATH), the newest version
/// installed.
struct ServerPrograms {
    let folder: String

    /// The newest `root/VERSION/bin` that holds initdb, pg_ctl and postgres.
    ///
    /// - Throws: `PostgresServerError` saying how to install them when none does.
    static func find(under root: String = "/usr/lib/postgresql") throws -> ServerPrograms {
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap(Int.init).sorted(by: >)
        for version in versions {
            let folder = "\(root)/\(version)/bin"
            if ["initdb", "pg_ctl", "postgres"].allSatisfy({ FileManager.default.isExecutableFile(atPath: "\(folder)/\($0)") }) {
                return ServerPrograms(folder: folder)
            }
        }
        throw PostgresServerError(
            "PostgreSQL's server programs (initdb, pg_ctl, postgres) are not installed: no \(root)/VERSION/bin holds "
                + "them. The PostgreSQL tests start a server of their own from Debian's `postgresql` package: run "
                + "`scripts/setup test` (it installs it), or `apt-get install postgresql`")
    }

    /// Runs `program` (as the `postgres` user when this process is root), its output into `log`, and waits for it
    /// on a thread of its own (never on the tests' cooperative threads, which the tests' other work needs).
    ///
    /// - Throws: `PostgresServerError` with the program's output when it exits with a failure.
    func run(_ program: String, _ arguments: String..., log: String) async throws {
        let path = "\(folder)/\(program)"
        let argv = getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", path] + arguments : [path] + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ)
        guard spawned == 0 else {
            throw PostgresServerError("cannot run \(argv[0]): \(String(cString: strerror(spawned)))")
        }
        let child = pid
        let status = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var status: Int32 = 0
                while waitpid(child, &status, 0) == -1 && errno == EINTR {}
                continuation.resume(returning: status)
            }
        }
        // Exited normally (no signal) with status 0.
        guard status & 0x7F == 0, (status >> 8) & 0xFF == 0 else {
            let said = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            let serverLog = (try? String(contentsOfFile: URL(fileURLWithPath: log).deletingLastPathComponent()
                .appendingPathComponent("server.log").path, encoding: .utf8)) ?? ""
            throw PostgresServerError(
                "\(program) \(arguments.joined(separator: " ")) (wait status \(status)): \(said)"
                    + (serverLog.isEmpty ? "" : "\nserver log:\n\(serverLog.suffix(2000))"))
        }
    }
}

/// A folder for one cluster, in the system's temporary folder (the tests' own folders are root's, 0700, which the
/// `postgres` user may not enter), owned by the user that runs the server.
private struct ClusterFolder {
    let path: String
    var data: String { path + "/data" }

    /// The folders' name before their unique part.
    static let prefix = "carejourney-pg-"

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent(Self.prefix + UUID().uuidString).path
        guard mkdir(path, 0o700) == 0 else {
            throw PostgresServerError("cannot make the cluster's folder \(path): \(String(cString: strerror(errno)))")
        }
        // Whose it is: a test process killed before it could stop its server leaves it running, found by the next.
        _ = FileManager.default.createFile(atPath: path + "/test.pid", contents: Data("\(getpid())".utf8))
        if getuid() == 0 {
            guard let postgres = getpwnam("postgres") else {
                remove()
                throw PostgresServerError(
                    "there is no `postgres` user, which Debian's `postgresql` package creates: run `scripts/setup test`"
                        + " (or `apt-get install postgresql`)")
            }
            chown(path, postgres.pointee.pw_uid, postgres.pointee.pw_gid)
        }
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// Writes `text` to the file `name` in the folder, readable by its owner only (the server's user, for root).
    func write(_ text: String, to name: String) throws {
        let file = file(name)
        guard FileManager.default.createFile(atPath: file, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        else { throw PostgresServerError("cannot write \(file)") }
        if getuid() == 0, let postgres = getpwnam("postgres") {
            chown(file, postgres.pointee.pw_uid, postgres.pointee.pw_gid)
        }
    }

    /// The PID in the cluster's `postmaster.pid`, if a server runs on it.
    func postmasterPID() -> pid_t? {
        let text = (try? String(contentsOfFile: data + "/postmaster.pid", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").first.flatMap { pid_t($0) }
    }

    /// Stops a server a failed start left running on the cluster, if any.
    func stopLeftServer() async {
        if let pid = postmasterPID() { await PostgresServer.stop(pid) }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Stops the servers and removes the folders of test processes that died without doing so (a CI timeout, a
    /// crash): `pg_ctl` detaches the server, which would otherwise run on, and its folder stay, for ever.
    static func removeAbandoned() async {
        let temporary = FileManager.default.temporaryDirectory
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        where name.hasPrefix(prefix) {
            let folder = ClusterFolder(path: temporary.appendingPathComponent(name).path)
            let owner = (try? String(contentsOfFile: folder.file("test.pid"), encoding: .utf8)).flatMap { pid_t($0) }
            // Only a folder whose test process is gone (or that never said whose it is and is an hour old).
            if let owner {
                guard kill(owner, 0) != 0 && errno == ESRCH else { continue }
            } else {
                let made = (try? FileManager.default.attributesOfItem(atPath: folder.path))?[.modificationDate] as? Date
                guard let made, made.timeIntervalSinceNow < -3600 else { continue }
            }
            await folder.stopLeftServer()
            folder.remove()
        }
    }

    private init(path: String) { self.path = path }
}

/// A TCP port on 127.0.0.1 that nothing listens on now: the kernel's choice for a socket bound to port 0.
private func freeLoopbackPort() throws -> Int {
    let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socketDescriptor >= 0 else { throw PostgresServerError("cannot open a socket to find a free port") }
    defer { close(socketDescriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
            bind(socketDescriptor, address, length) == 0 && getsockname(socketDescriptor, address, &length) == 0
        }
    }
    guard bound else { throw PostgresServerError("cannot bind a socket to 127.0.0.1 to find a free port") }
    return Int(UInt16(bigEndian: address.sin_port))
}
