import CareJourneyCore
import CareJourneyKit
import Foundation

/// Paths inside this repository, found from this file's place in it.
public enum Repository {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A file of the repository, by its path from the root (`workflows/derbyshire.yaml`).
    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
}

/// A shipped council policy, `workflows/NAME.yaml`.
public func shippedPolicy(_ name: String = "derbyshire") throws -> Policy {
    try PolicyFile.load(Repository.path("workflows/\(name).yaml"))
}
