import CareJourneyStore
import CareJourneyTestSupport
import Foundation
import PostgresNIO
import Testing

@testable import CareJourneyPostgres

/// The array literals the writer binds a batch's columns as (`PostgresArray`): every kind of value written as
/// PostgreSQL reads it back, quotes, backslashes, text outside ASCII, nulls and bytes included.
@Suite struct PostgresArrayTests {
    /// Values that need each of the literal's rules.
    static let texts: [StoreValue] = [
        .text(#"say "hi" \ "#), .text("Zoë"), .text(""), .text("NULL"), .text("{a,b}"), .null, .text(#"\\""#),
    ]

    @Test func aLiteralQuotesTextAndWritesEveryKind() {
        #expect(PostgresArray(Self.texts).literal == #"{"say \"hi\" \\ ","Zoë","","NULL","{a,b}",NULL,"\\\\\""}"#)
        #expect(PostgresArray([.integer(-7), .null, .integer(Int64.max)]).literal == "{-7,NULL,9223372036854775807}")
        #expect(PostgresArray([.real(1.5), .real(1_767_603_600), .null]).literal == "{1.5,1767603600.0,NULL}")
        #expect(PostgresArray([.blob([0x00, 0xAB, 0x7F]), .blob([])]).literal == #"{"\\x00ab7f","\\x"}"#)
        #expect(PostgresArray([]).literal == "{}")
    }

    @Test func postgresReadsTheLiteralsBack() async throws {
        let address = try await PostgresServer.shared().newDatabase()
        try await address.onConnection { connection in
            var texts: [String?] = []
            for try await value in try await connection.query(
                "SELECT t FROM unnest(\(PostgresArray(Self.texts).literal)::text[]) WITH ORDINALITY AS u(t, o) ORDER BY o",
                logger: quietLogger
            ).decode(String?.self) {
                texts.append(value)
            }
            #expect(texts == [#"say "hi" \ "#, "Zoë", "", "NULL", "{a,b}", nil, #"\\""#])
            let blobs: [StoreValue] = [.blob([0x00, 0xAB, 0x7F, 0x5C, 0x22]), .blob([]), .null]
            var hex: [String?] = []
            for try await value in try await connection.query(
                """
                SELECT encode(b, 'hex') FROM unnest(\(PostgresArray(blobs).literal)::bytea[]) WITH ORDINALITY AS u(b, o)
                ORDER BY o
                """, logger: quietLogger
            ).decode(String?.self) {
                hex.append(value)
            }
            #expect(hex == ["00ab7f5c22", "", nil])
        }
    }

    /// Columns bound by `ArrayParameters`: binary arrays where there is no null, literals where there is one; either
    /// way PostgreSQL reads the same values back.
    @Test func everyColumnReadsBackWhetherBoundBinaryOrAsALiteral() async throws {
        let columns: [(values: [StoreValue], type: String, read: String)] = [
            ([.text(#"a "b" \ c"#), .text("Zoë")], "text", "x"),
            ([.text("x"), .null], "text", "x"),
            ([.integer(-7), .integer(Int64.max)], "bigint", "x::text"),
            ([.integer(1), .null], "bigint", "x::text"),
            ([.real(1.5), .real(1_767_603_600)], "float8", "x::text"),
            ([.real(0.25), .null], "float8", "x::text"),
            ([.blob([0x00, 0xFF, 0x22]), .blob([])], "bytea", "encode(x, 'hex')"),
            ([.blob([0x5C]), .null], "bytea", "encode(x, 'hex')"),
        ]
        let expected: [[String?]] = [
            [#"a "b" \ c"#, "Zoë"], ["x", nil], ["-7", "9223372036854775807"], ["1", nil], ["1.5", "1767603600"],
            ["0.25", nil], ["00ff22", ""], ["5c", nil],
        ]
        let address = try await PostgresServer.shared().newDatabase()
        try await address.onConnection { connection in
            for (column, expected) in zip(columns, expected) {
                var parameters = ArrayParameters()
                let placeholder = parameters.array(column.values, column.type)
                let sql = "SELECT \(column.read) FROM unnest(\(placeholder)) WITH ORDINALITY AS u(x, o) ORDER BY o"
                var read: [String?] = []
                for try await value in try await connection.query(
                    PostgresQuery(unsafeSQL: sql, binds: parameters.bindings), logger: quietLogger
                ).decode(String?.self) {
                    read.append(value)
                }
                #expect(read == expected, "\(column.type) \(column.values)")
            }
        }
    }
}
