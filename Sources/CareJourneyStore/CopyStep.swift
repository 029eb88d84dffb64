/// Where a backup or a restore has got to (`StoreBackup.take`, `StoreRestore.restore`), for a progress line.
public enum CopyStep: Sendable, Equatable {
    /// Copying the store: a backup's read snapshot, a restore's decryption or copy of the backup file.
    case copying
    /// Checking the copy: cases replayed and compared so far, of all of them.
    case checking(done: Int, total: Int)
    /// Writing the checked copy where it goes (encrypting it, for a backup).
    case writing
}
