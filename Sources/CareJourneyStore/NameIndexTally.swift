import GRDB

/// The name search index (`NameSearch`) checked whole in one pass, for `store verify`: instead of one search per case
/// (each reads the index's lists of every three-character sequence of the name: ~1 ms a case, 20 minutes over a
/// million cases), the names the cases hold and the entries the index holds are each added up by sequence — how
/// many times it occurs, the sum of the case numbers it occurs in and of each number times its position — and the
/// two tallies compared. A name left out of the index, one indexed under another case's number or at the wrong place,
/// or a name the index holds that no case has, changes the tally of its sequences; only the cases whose names hold a
/// sequence that differs are then searched one by one, to say which.
package struct NameIndexTally: Sendable, Equatable {
    /// Three characters (Unicode scalars), as FTS5's trigram tokenizer cuts them.
    struct Trigram: Hashable, Sendable {
        let a: UInt32, b: UInt32, c: UInt32

        var text: String { String(String.UnicodeScalarView([a, b, c].compactMap(Unicode.Scalar.init))) }
    }

    /// Occurrences, the sum of their case numbers, and the sum of each number times (position + 1).
    struct Sums: Equatable, Sendable {
        var count = 0
        var numbers = 0
        var placed = 0
    }

    private(set) var sums: [Trigram: Sums] = [:]

    /// The sequences of `name` as the index holds them: ASCII letters in lower case (SQLite's `lower`), every
    /// three consecutive scalars; none for a name shorter than three.
    static func trigrams(of name: String) -> [Trigram] {
        let scalars = name.unicodeScalars.map { scalar in
            (65...90).contains(scalar.value) ? scalar.value + 32 : scalar.value
        }
        guard scalars.count >= 3 else { return [] }
        return (0...(scalars.count - 3)).map { Trigram(a: scalars[$0], b: scalars[$0 + 1], c: scalars[$0 + 2]) }
    }

    /// Adds the name of case `number`.
    mutating func add(_ name: String, number: Int64) {
        for (offset, trigram) in Self.trigrams(of: name).enumerated() {
            sums[trigram, default: Sums()].add(number: Int(number), offset: offset)
        }
    }

    /// Adds another tally's sums to these.
    mutating func merge(_ other: NameIndexTally) {
        for (trigram, other) in other.sums {
            sums[trigram, default: Sums()].count += other.count
            sums[trigram, default: Sums()].numbers += other.numbers
            sums[trigram, default: Sums()].placed += other.placed
        }
    }

    /// The index's own tally, read through an `fts5vocab` table of its every entry (a few seconds a million names).
    static func ofIndex(in db: Database) throws -> NameIndexTally {
        try db.execute(
            sql:
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.cases_name_entries USING fts5vocab(main, cases_name, instance)"
        )
        defer { try? db.execute(sql: "DROP TABLE IF EXISTS temp.cases_name_entries") }
        var tally = NameIndexTally()
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT term, COUNT(*) AS n, SUM(doc) AS numbers, SUM(doc * ("offset" + 1)) AS placed
                FROM temp.cases_name_entries GROUP BY term
                """)
        while let row = try rows.next() {
            let term: String = row["term"]
            let scalars = term.unicodeScalars.map(\.value)
            // A term of any other length cannot come from a name: it is counted under a sequence no name has.
            let trigram =
                scalars.count == 3
                ? Trigram(a: scalars[0], b: scalars[1], c: scalars[2]) : Trigram(a: 0, b: 0, c: 0)
            tally.sums[trigram] = Sums(count: row["n"], numbers: row["numbers"], placed: row["placed"])
        }
        return tally
    }

    /// The sequences whose sums differ between the two tallies.
    func differences(from other: NameIndexTally) -> Set<Trigram> {
        Set(sums.keys).union(other.sums.keys).filter { sums[$0] != other.sums[$0] }
    }
}

extension NameIndexTally.Sums {
    fileprivate mutating func add(number: Int, offset: Int) {
        count += 1
        numbers += number
        placed += number * (offset + 1)
    }
}
