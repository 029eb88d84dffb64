// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "CareJourney",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "carejourney", targets: ["CareJourneyCLI"]),
        .library(name: "CareJourneyCore", targets: ["CareJourneyCore"]),
        .library(name: "CareJourneyKit", targets: ["CareJourneyKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // The pure core: typed journey machines, policy model, effects. No I/O, no clock, no randomness.
        .target(name: "CareJourneyCore"),
        // The shell around the core that does not need a server: policy files, scenarios, diagrams.
        .target(
            name: "CareJourneyKit",
            dependencies: ["CareJourneyCore", .product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "CareJourneyCLI",
            dependencies: [
                "CareJourneyKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "CareJourneyCoreTests", dependencies: ["CareJourneyCore"]),
        .testTarget(
            name: "CareJourneyKitTests",
            dependencies: ["CareJourneyKit"],
            resources: []
        ),
    ],
    swiftLanguageModes: [.v6]
)
