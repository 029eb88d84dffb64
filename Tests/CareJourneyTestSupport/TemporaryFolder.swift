import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Folders for a test's files, owner-only as a data folder must be, all inside one folder of this test process that
/// is removed when the process exits: a run leaves nothing behind in /tmp, however its tests end.
public func temporaryDirectory() -> String {
    let path = TemporaryFolders.root.appendingPathComponent(UUID().uuidString).path
    try? FileManager.default.createDirectory(
        atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    return path
}

/// A path named `name` in a new temporary folder (`temporaryDirectory()`), not yet made: for the file or folder the
/// code under test creates itself (a key file, a data folder whose mode it sets), removed with the others.
public func temporaryPath(_ name: String) -> String {
    URL(fileURLWithPath: temporaryDirectory()).appendingPathComponent(name).path
}

private enum TemporaryFolders {
    /// `/tmp/carejourney-tests-PID`, made (and its removal at exit arranged) the first time a folder is asked for.
    static let root: URL = {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("carejourney-tests-\(getpid())")
        try? FileManager.default.createDirectory(
            at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        atexit { removeRoot() }
        return root
    }()
}

/// Removes this process's test folders (called at exit).
private func removeRoot() {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("carejourney-tests-\(getpid())")
    try? FileManager.default.removeItem(at: root)
}
