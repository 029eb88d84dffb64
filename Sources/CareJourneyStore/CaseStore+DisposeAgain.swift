import CareJourneyCore
import Foundation
import GRDB

/// What `CaseStore.disposeAgain(asCertifiedIn:)` did with each certificate of the old store.
public struct DisposedAgain: Sendable, Equatable {
    /// Cases disposed of again here, each under its certificate (copied, counting the rows removed here).
    public var disposed: [DisposalCertificate] = []
    /// Certificates of cases this store never held (opened after the copy was taken, then disposed of): copied as they
    /// are, so that the record of the disposal stands and the case's number is never given to a new case.
    public var recorded: [DisposalCertificate] = []
    /// Cases the old store certifies and this one holds open (a copy from before they closed): left, to be looked at
    /// by hand.
    public var stillOpen: [CaseID] = []
    /// Certificates whose number another case holds here — one opened at another time, so not the case certified (the
    /// old folder belongs to another line of restores, or is the wrong folder): that case is left, and named.
    public var mismatched: [CaseID] = []
    /// Certificates this store holds already (disposals before the copy was taken).
    public var alreadyCertified = 0
}

extension CaseStore {
    /// Disposes of again, here, the cases `certificates` (the old store's, `DisposalCertificate.all(inStoreAt:)`)
    /// say were disposed of: for a store restored from a backup taken before those disposals (`carejourney store
    /// restore --disposals-from OLD`). Each case goes as its certificate says — the certificate (who, when, under
    /// which rule) is copied here, counting the rows removed here — and the name search is merged and the WAL emptied,
    /// as a disposal run does.
    ///
    /// A certificate names the case by number and id, and says when it opened: a case is disposed of again only when
    /// this store holds one under that number and id, opened then, and closed. One opened at another time under the
    /// same number (numbers are given again after a restore) is not the case certified: it is left and named, as is
    /// one this store holds open. A certificate of a case this store never held is copied, so that its number is not
    /// given again. Run it with the store to itself (no service on it).
    ///
    /// - Throws: `StoreError` when this store cannot be written: the cases of the batch being written were not removed
    ///   (those before were, each with its certificate).
    public func disposeAgain(asCertifiedIn certificates: [DisposalCertificate]) throws(StoreError) -> DisposedAgain {
        var result = DisposedAgain()
        var position = 0
        while position < certificates.count {
            let batch = certificates[position..<min(certificates.count, position + Self.disposalBatch)]
            position += batch.count
            let done = try write { db in
                var done = DisposedAgain()
                try db.inTransaction {
                    for certificate in batch { try Self.disposeAgain(certificate, in: db, into: &done) }
                    return .commit
                }
                return done
            }
            result.disposed += done.disposed
            result.recorded += done.recorded
            result.stillOpen += done.stillOpen
            result.mismatched += done.mismatched
            result.alreadyCertified += done.alreadyCertified
        }
        if !result.disposed.isEmpty {
            var more = try mergeNameSearch(starting: true)
            while more { more = try mergeNameSearch(starting: false) }
            truncateWAL()
        }
        return result
    }

    /// Settles one certificate in `db`'s transaction.
    private static func disposeAgain(
        _ certificate: DisposalCertificate, in db: Database, into done: inout DisposedAgain
    ) throws {
        let held = try String.fetchOne(
            db, sql: "SELECT case_id FROM disposal_certificates WHERE case_number = ?",
            arguments: [certificate.caseNumber])
        if let held {
            if held == certificate.caseID.rawValue {
                done.alreadyCertified += 1
            } else {
                done.mismatched.append(CaseID(held))
            }
            return
        }
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT id, stage FROM cases WHERE number = ?", arguments: [certificate.caseNumber])
        else {
            // Never held here: the record of its disposal is kept, and with it the number.
            var recorded = certificate
            recorded.removed = [:]
            try recorded.insert(in: db)
            done.recorded.append(recorded)
            return
        }
        let id = CaseID(row["id"] as String)
        let opened = try Double.fetchOne(
            db, sql: "SELECT at FROM events WHERE case_id = ? ORDER BY version LIMIT 1", arguments: [id.rawValue])
        guard id == certificate.caseID, let openedAt = certificate.openedAt, let opened,
            abs(opened - openedAt.timeIntervalSince1970) < 0.001
        else {
            done.mismatched.append(id)
            return
        }
        guard row["stage"] as String == Stage.closed.rawValue else {
            done.stillOpen.append(id)
            return
        }
        var again = certificate
        again.removed = try certificate.removeCase(in: db)
        done.disposed.append(again)
    }
}
