import Foundation

/// Whether `condition` holds within `seconds`: asked `every` tenth of a second (unless told otherwise), and once
/// more at the end.
public func eventually(
    _ seconds: Double = 10, every interval: Duration = .milliseconds(100), _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: interval)
    }
    return try await condition()
}
