import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A folder only its owner may enter (0700), made inside a data folder for the length of one command and removed
/// with all it holds: where `store backup` keeps its plaintext copy while it checks and encrypts it, and where
/// `store restore` stages the store it checks before moving it into place. Inside the data folder, a plaintext
/// copy never leaves the privacy the store itself has, and never lands in a shared temporary folder.
struct PrivateFolder {
    /// The folder.
    let path: String

    /// Makes a new folder `PREFIX` followed by six random characters in `parent`.
    ///
    /// - Throws: `StoreError.io` naming the folder when it cannot be made.
    init(in parent: String, prefix: String) throws(StoreError) {
        let wanted = URL(fileURLWithPath: parent).appendingPathComponent(prefix + "XXXXXX").path
        var template = Array(wanted.utf8CString)
        // mkdtemp makes the folder 0700, whatever the umask.
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw StoreError.file("create", wanted, errno: errno)
        }
        path = String(cString: made)
    }

    /// The path of `name` in the folder.
    func file(_ name: String) -> String {
        URL(fileURLWithPath: path).appendingPathComponent(name).path
    }

    /// Removes the folder and all it holds.
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
