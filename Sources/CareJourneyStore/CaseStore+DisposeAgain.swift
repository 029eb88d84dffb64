import CareJourneyCore
import Foundation
import GRDB

/// What `CaseStore.disposeAgain(asCertifiedIn:)` did: the cases disposed of again, and those it left, with why.
public struct DisposedAgain: Sendable, Equatable {
    /// The certificates copied, their cases' rows removed here.
    public var disposed: [DisposalCertificate] = []
    /// Cases the other store certifies and this one holds open (a copy from before they closed): left, to be
    /// looked at by hand.
    public var stillOpen: [CaseID] = []
    /// Certificates this store holds already (disposals before the copy was taken).
    public var alreadyCertified = 0
}

extension CaseStore {
    /// Disposes of again, here, the cases `other` certifies it disposed of and this store still holds: for a store
    /// restored from a backup taken before those disposals (`carejourney store restore --disposals-from OLD`), where
    /// `other` is the store the backup stood in for (the old data folder, moved aside). Each case goes as its
    /// certificate says — the same certificate (who, when, under which rule) is copied here, counting the rows
    /// removed here — and the name search is merged and the WAL emptied, as a disposal run does.
    ///
    /// A certificate names a case by number and id; a case is disposed of again only if this store holds it under
    /// both and closed. One this store holds open is left and listed (the copy is older than its closing: put it
    /// right by hand). Run it with the store to itself (no service on it).
    ///
    /// - Throws: `StoreError` when either store cannot be read or this one written: the cases of the batch being
    ///   written were not removed (those before were, each with its certificate).
    public func disposeAgain(asCertifiedIn other: CaseStore) throws(StoreError) -> DisposedAgain {
        let certified = try other.read { db in try DisposalCertificate.all(in: db) }
        var result = DisposedAgain()
        var position = 0
        while position < certified.count {
            let batch = certified[position..<min(certified.count, position + Self.disposalBatch)]
            position += batch.count
            let done = try write { db in
                var done = DisposedAgain()
                try db.inTransaction {
                    for certificate in batch {
                        let known = try Int.fetchOne(
                            db, sql: "SELECT COUNT(*) FROM disposal_certificates WHERE case_number = ?",
                            arguments: [certificate.caseNumber])
                        if known ?? 0 > 0 {
                            done.alreadyCertified += 1
                            continue
                        }
                        guard
                            let stage = try String.fetchOne(
                                db, sql: "SELECT stage FROM cases WHERE id = ? AND number = ?",
                                arguments: [certificate.caseID.rawValue, certificate.caseNumber])
                        else { continue }
                        guard stage == Stage.closed.rawValue else {
                            done.stillOpen.append(certificate.caseID)
                            continue
                        }
                        var again = certificate
                        again.removed = try certificate.removeCase(in: db)
                        done.disposed.append(again)
                    }
                    return .commit
                }
                return done
            }
            result.disposed += done.disposed
            result.stillOpen += done.stillOpen
            result.alreadyCertified += done.alreadyCertified
        }
        if !result.disposed.isEmpty {
            var more = try mergeNameSearch(starting: true)
            while more { more = try mergeNameSearch(starting: false) }
            truncateWAL()
        }
        return result
    }
}
