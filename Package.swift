// swift-tools-version:6.1
import PackageDescription

/// The service and its benchmarks allocate through jemalloc on Linux (Debian's libjemalloc-dev, which
/// `scripts/setup` installs): glibc's allocator cost the engine's writer ~4 µs of its ~32 µs a transition in
/// `carejourney-bench transitions` (docs/operations.md#the-writers-cost).
let jemalloc: [LinkerSetting] = [
    .linkedLibrary("jemalloc", .when(platforms: [.linux]))
]

let package = Package(
    name: "CareJourney",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "carejourney", targets: ["CareJourneyCLI"]),
        .executable(name: "carejourney-bench", targets: ["CareJourneyBench"]),
        .library(name: "CareJourneyCore", targets: ["CareJourneyCore"]),
        .library(name: "CareJourneyKit", targets: ["CareJourneyKit"]),
        .library(name: "CareJourneySimulation", targets: ["CareJourneySimulation"]),
        .library(name: "CareJourneyStore", targets: ["CareJourneyStore"]),
        .library(name: "CareJourneyReports", targets: ["CareJourneyReports"]),
        .library(name: "CareJourneyServer", targets: ["CareJourneyServer"]),
        .library(name: "CareJourneyRuntime", targets: ["CareJourneyRuntime"]),
        // The worker SDK: serve a CareJourney queue (or any MDP service) from Swift.
        .library(name: "CareJourneyWorker", targets: ["CareJourneyWorker"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // libzmq from Debian's libzmq3-dev.
        .systemLibrary(name: "CZeroMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),
        // A small Swift face on libzmq: context, sockets and their options, poller, CURVE keys and the ZAP handler, a
        // mailbox for socket threads. The only target that imports CZeroMQ.
        .target(name: "ZeroMQ", dependencies: ["CZeroMQ"]),
        // One loop shape for the services that own a thread (the engine's writer, the broker, a worker): a blocking
        // loop on a dedicated thread as a Service's run(), with graceful shutdown and cancellation.
        .target(
            name: "ServiceThread",
            dependencies: [.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]
        ),
        // The wire contract with workers: the Majordomo Protocol (MDP/0.1, MDP/0.2, MMI) and task bodies. Pure.
        .target(name: "CareJourneyWire", dependencies: ["CareJourneyCore"]),
        // Files that hold secrets (CURVE keys, sign-in tokens), written and read owner-only, and the error an input
        // file's problem is told with. Foundation only: the worker SDK reads its secret key through it.
        .target(name: "CareJourneyFiles"),
        // The worker SDK: connect, serve a queue, heartbeat, reconnect with backoff, stop gracefully.
        .target(
            name: "CareJourneyWorker",
            dependencies: [
                "CareJourneyClock", "CareJourneyCore", "CareJourneyWire", "CareJourneyFiles", "ZeroMQ", "ServiceThread",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The broker: MDP on a ROUTER socket, the engine's tasks dispatched and leased, events on a PUB socket.
        .target(
            name: "CareJourneyBroker",
            dependencies: [
                "CareJourneyClock", "CareJourneyCore", "CareJourneyStore", "CareJourneyWire", "CareJourneyKit", "CareJourneyFiles",
                "ZeroMQ", "ServiceThread",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Time, injected: the wall clock, a scaled one (demos) or a manual one (tests). The only place that reads it.
        .target(name: "CareJourneyClock"),
        // The pure core: typed journey machines, policy model, effects. No I/O, no clock, no randomness.
        .target(name: "CareJourneyCore"),
        // A council's weeks, or England's, played through the journey core for a population a profile describes:
        // workload forecasts and policy what-ifs. Pure: no clock, no I/O.
        .target(name: "CareJourneySimulation", dependencies: ["CareJourneyCore"]),
        // The shell around the core that does not need a server: policy, scenario, profile and token files, diagrams.
        .target(
            name: "CareJourneyKit",
            dependencies: [
                "CareJourneyCore", "CareJourneyFiles", "CareJourneySimulation", .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // The bank-holiday lists a policy may name (GOV.UK's, refreshed with `carejourney calendar import`).
            resources: [.copy("bank-holidays")]
        ),
        // Statutory reports read from replayed histories: the CLD return, review timeliness, request outcomes. Pure.
        .target(name: "CareJourneyReports", dependencies: ["CareJourneyCore"]),
        // SQLite's process-wide settings (`sqlite3_config`, which Swift cannot call), made as the process loads.
        .target(name: "CSQLiteSettings", linkerSettings: [.linkedLibrary("sqlite3")]),
        // The durable engine: event store, projections, timers and outbox in SQLite, with group commit.
        .target(
            name: "CareJourneyStore",
            dependencies: [
                "CareJourneyClock", "CareJourneyCore", "CSQLiteSettings", "ServiceThread",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, as GRDB links it: the writer binds its values straight to its statements.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The store on PostgreSQL (issue #19, in progress): the store's address (`postgres://…`), the schema and its
        // migrations, and `store copy` between a SQLite store and a PostgreSQL one. Its own target, so that what a
        // SQLite-only module links does not grow by postgres-nio.
        .target(
            name: "CareJourneyPostgres",
            dependencies: [
                "CareJourneyStore", "CareJourneyCore", "CareJourneyClock",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The HTTP side: the JSON API, the dashboard, /metrics, sign-in, access and limits. It knows nothing of
        // ZeroMQ: what it shows of the broker's queues and workers is a BrokerSnapshot (CareJourneyWire) it is given.
        .target(
            name: "CareJourneyServer",
            dependencies: [
                "CareJourneyClock", "CareJourneyCore", "CareJourneyStore", "CareJourneyKit", "CareJourneyFiles", "CareJourneyReports",
                "CareJourneyWire",
                "CareJourneySimulation", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("openapi.yaml"), .copy("assets")]
        ),
        // A sample population: people's lives played through the journey (or the engine), for demos and benchmarks.
        .target(
            name: "CareJourneySamples",
            dependencies: ["CareJourneyClock", "CareJourneyCore", "CareJourneyStore", "CareJourneyWire", "CareJourneyExampleWorkers"]
        ),
        // `serve`: the store, the engine, timers, disposal, the task broker and the HTTP side in one ServiceGroup.
        .target(
            name: "CareJourneyRuntime",
            dependencies: [
                "CareJourneyClock", "CareJourneyCore", "CareJourneyKit", "CareJourneyStore", "CareJourneyBroker", "CareJourneyServer",
                "CareJourneySamples", "CareJourneySimulation", "CareJourneyWire", "CareJourneyPostgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // `demo`: the runtime over a seeded caseload with the example workers served in-process.
        .target(
            name: "CareJourneyDemo",
            dependencies: [
                "CareJourneyClock", "CareJourneyCore", "CareJourneyKit", "CareJourneyFiles", "CareJourneyStore", "CareJourneyBroker",
                "CareJourneyWire", "CareJourneyWorker", "CareJourneyExampleWorkers", "CareJourneySamples", "CareJourneyRuntime",
                "ZeroMQ",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "CareJourneyCLI",
            dependencies: [
                "CareJourneyClock", "CareJourneyCore", "CareJourneyKit", "CareJourneyFiles", "CareJourneyStore", "CareJourneyReports",
                "CareJourneyBroker", "CareJourneyServer", "CareJourneySamples", "CareJourneyRuntime", "CareJourneyDemo",
                "CareJourneySimulation", "CareJourneyPostgres", "ServiceThread",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            linkerSettings: jemalloc
        ),
        // Figures, not tests: durable transitions per second, start-up and memory with a million open cases,
        // case search over a million cases.
        .executableTarget(
            name: "CareJourneyBench",
            dependencies: [
                "CareJourneyClock", "CareJourneyCore", "CareJourneyStore", "CareJourneyKit", "CareJourneyReports", "CareJourneyServer",
                "CareJourneyBroker", "CareJourneyWire", "CareJourneyWorker", "CareJourneySamples", "CareJourneyRuntime",
                "ZeroMQ", "CareJourneyPostgres",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            linkerSettings: jemalloc
        ),
        // The example workers' answers: pure functions of a task (the reminders' append to a file aside), served by
        // their own executables (examples/workers) and in-process by the demo through the worker SDK, and played by
        // the sample population without it.
        .target(name: "CareJourneyExampleWorkers", dependencies: ["CareJourneyCore", "CareJourneyWire"]),
        // Example workers, each runnable with one command (`swift run brokerage-worker`).
        .executableTarget(
            name: "brokerage-worker", dependencies: ["CareJourneyWorker", "CareJourneyExampleWorkers"],
            path: "examples/workers/brokerage"),
        .executableTarget(
            name: "advocacy-worker", dependencies: ["CareJourneyWorker", "CareJourneyExampleWorkers"],
            path: "examples/workers/advocacy"),
        .executableTarget(
            name: "dp-monitoring-worker", dependencies: ["CareJourneyWorker", "CareJourneyExampleWorkers"],
            path: "examples/workers/dp-monitoring"),
        .executableTarget(
            name: "review-reminder-worker", dependencies: ["CareJourneyWorker", "CareJourneyExampleWorkers"],
            path: "examples/workers/review-reminders"),
        // What the tests share: temporary folders removed after use, the repository's files, the shipped policies, an
        // engine, a broker (`withBroker`) and a live server run for a test, each always stopped.
        .target(
            name: "CareJourneyTestSupport",
            dependencies: [
                "CareJourneyClock", "CareJourneyCore", "CareJourneyKit", "CareJourneyStore", "CareJourneyBroker", "CareJourneyServer",
                "CareJourneySamples", "CareJourneyRuntime", "CareJourneySimulation", "CareJourneyPostgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Tests/CareJourneyTestSupport"
        ),
        .testTarget(name: "CareJourneyCoreTests", dependencies: ["CareJourneyCore"]),
        .testTarget(
            name: "CareJourneyBrokerTests",
            dependencies: [
                "CareJourneyClock", "CareJourneyCore", "CareJourneyBroker", "CareJourneyWorker", "CareJourneyWire", "CareJourneyStore",
                "CareJourneyKit", "CareJourneyFiles", "CareJourneyTestSupport", "ZeroMQ",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "CareJourneySimulationTests",
            dependencies: [
                "CareJourneyCore", "CareJourneySimulation", "CareJourneyKit", "CareJourneyFiles", "CareJourneyTestSupport",
            ]),
        .testTarget(
            name: "CareJourneyKitTests",
            dependencies: ["CareJourneyCore", "CareJourneyKit", "CareJourneyFiles", "CareJourneyTestSupport"]),
        .testTarget(
            name: "CareJourneyReportsTests",
            dependencies: ["CareJourneyCore", "CareJourneyReports", "CareJourneyKit", "CareJourneyTestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "CareJourneyStoreTests",
            dependencies: [
                "CareJourneyClock", "CareJourneyCore", "CareJourneyStore", "CareJourneyKit", "CareJourneyReports", "CareJourneyTestSupport",
                "CSQLiteSettings", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "CareJourneyPostgresTests",
            dependencies: [
                "CareJourneyClock", "CareJourneyCore", "CareJourneyStore", "CareJourneyPostgres", "CareJourneySamples",
                "CareJourneyTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "CareJourneyServerTests",
            dependencies: [
                "CareJourneyClock", "CareJourneyCore", "CareJourneyServer", "CareJourneyReports", "CareJourneyKit", "CareJourneyStore", "CareJourneyWire",
                "CareJourneyRuntime", "CareJourneyWorker", "CareJourneyTestSupport", "CareJourneySimulation",
                .product(name: "Yams", package: "Yams"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"), .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "CareJourneyDemoTests",
            dependencies: [
                "CareJourneyCore", "CareJourneyKit", "CareJourneyStore", "CareJourneyBroker", "CareJourneyWire",
                "CareJourneyWorker", "CareJourneyExampleWorkers", "CareJourneySamples", "CareJourneyRuntime",
                "CareJourneyDemo", "CareJourneyTestSupport", .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
