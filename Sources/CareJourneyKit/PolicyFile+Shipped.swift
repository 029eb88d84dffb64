import Foundation

extension PolicyFile {
    /// The policy shipped first, used when none is named.
    public static let shippedPath = "workflows/derbyshire.yaml"

    /// The first shipped policy (or another file of the checkout, `relative`), looked for in the current folder and
    /// the folders above it, then beside the executable and above it (so `swift run` and a built binary work from
    /// anywhere in a checkout).
    public static func findShipped(_ relative: String = shippedPath) -> String? {
        let fileManager = FileManager.default
        let starts = [
            URL(fileURLWithPath: fileManager.currentDirectoryPath),
            URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent(),
        ]
        for start in starts {
            var folder = start.standardizedFileURL
            while true {
                let candidate = folder.appendingPathComponent(relative).path
                if fileManager.fileExists(atPath: candidate) { return candidate }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        return nil
    }
}
