import CareJourneyCore
import CareJourneyFiles
import CareJourneyKit
import CareJourneyStore
import CareJourneySamples
import Foundation

extension StoreError.Code {
    /// A folder the demo was pointed at holds a store that is not a demo's (the demo never writes into one).
    public static let notADemoStore = StoreError.Code(rawValue: "not-a-demo-store")
}

/// The demo's data folder: a fresh store seeded for the demo, or the store of an earlier demo run carried on from
/// where it was; never anyone else's store.
public struct DemoDataDirectory: Sendable {
    /// The folder.
    public let path: String

    /// The meta key that marks a store as the demo's.
    static let marker = "demo"
    /// The file the in-process review-reminder worker writes its reminders to.
    static let reminderOutbox = "review-reminders.jsonl"

    /// The demo's folder at `path`.
    public init(path: String) { self.path = path }

    /// What the demo found in its folder.
    public enum Contents: Sendable, Equatable {
        /// No store, or a demo's started over: the population is seeded.
        case fresh
        /// An earlier demo's store, fully seeded (what was seeded): it runs on from where it was.
        case earlierDemo(String)
    }

    /// How people sign in to the demo's dashboard: with the tokens of a manager and a viewer, made anew for each
    /// run (only their hashes are kept, in the folder's `tokens.yaml`).
    public struct Access: Sendable, Equatable {
        /// The token file the service runs with.
        public let tokens: TokenFile
        /// Each person's name, role and token, to print once.
        public let people: [(name: String, role: Role, token: String)]

        public static func == (lhs: Access, rhs: Access) -> Bool {
            lhs.tokens == rhs.tokens && lhs.people.map(\.token) == rhs.people.map(\.token)
        }
    }

    /// The people the demo signs in: a manager, who may do everything the dashboard offers, and a viewer, who
    /// may only look.
    static let people: [(String, Role)] = [("demo.manager", .manager), ("demo.viewer", .viewer)]
    static let tokenFile = "tokens.yaml"

    /// The folder, ready for a run.
    public struct Prepared: Sendable, Equatable {
        /// Whether the demo is new or carried on.
        public let contents: Contents
        /// How people sign in to its dashboard.
        public let access: Access
    }

    /// Where the in-process review-reminder worker writes.
    public var reminderOutbox: String { file(Self.reminderOutbox) }

    /// Makes the folder ready for `population`: keeps an earlier demo's seeded store unless `fresh`, starts a demo's
    /// store over when `fresh` (or when its seeding never finished), and refuses any other store.
    ///
    /// - Throws: `StoreError` with code `notADemoStore` for a store that is not a demo's; `unavailable` when the
    ///   folder is in use by a running service or cannot be written.
    public func prepare(for population: SamplePopulation, fresh: Bool) throws(StoreError) -> Prepared {
        let lock = try DataDirectoryLock(directory: path)
        defer { withExtendedLifetime(lock) {} }
        if let earlier = try earlierStore() {
            guard earlier.isDemo else {
                throw StoreError(
                    .notADemoStore,
                    "\(path) holds a CareJourney store that is not a demo's, and the demo never writes into one; "
                        + "choose another folder with --data-dir (or run that store with `carejourney serve --data-dir \(path)`)"
                )
            }
            if let seeded = earlier.seeded, !fresh {
                return Prepared(contents: .earlierDemo(seeded), access: try issueTokens())
            }
        }
        try removeFiles()
        try CaseStore(directory: path).setMeta(Self.marker, "\(population.count) cases, seed \(population.seed)")
        return Prepared(contents: .fresh, access: try issueTokens())
    }

    /// Writes the folder's token file with new tokens for the demo's people (an earlier run's no longer sign in).
    private func issueTokens() throws(StoreError) -> Access {
        var tokens = TokenFile(path: file(Self.tokenFile))
        var people: [(name: String, role: Role, token: String)] = []
        do {
            for (name, role) in Self.people { people.append((name, role, try tokens.add(name, role: role))) }
            try OwnerOnlyFile.write(tokens.text, to: tokens.path)
        } catch {
            throw StoreError(.unavailable, "the demo's token file could not be written", cause: error)
        }
        return Access(tokens: tokens, people: people)
    }

    /// The store already in the folder, if there is one: whether it is a demo's, and what was seeded into it.
    private func earlierStore() throws(StoreError) -> (isDemo: Bool, seeded: String?)? {
        guard FileManager.default.fileExists(atPath: file("carejourney.sqlite")) else { return nil }
        let store = try CaseStore(directory: path)
        return (try store.meta(Self.marker) != nil, try store.meta(SamplePopulation.metaKey))
    }

    private func file(_ name: String) -> String { URL(fileURLWithPath: path).appendingPathComponent(name).path }

    /// Removes an earlier demo's store and what its workers wrote (the lock file stays: it is held).
    private func removeFiles() throws(StoreError) {
        for name in ["carejourney.sqlite", "carejourney.sqlite-wal", "carejourney.sqlite-shm", Self.reminderOutbox]
        where FileManager.default.fileExists(atPath: file(name)) {
            do {
                try FileManager.default.removeItem(atPath: file(name))
            } catch {
                throw StoreError(.unavailable, "cannot remove \(file(name)) to start the demo over", cause: error)
            }
        }
    }
}
