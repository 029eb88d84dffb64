import Foundation

/// One defined list of the CLD Release 2 specification, as far as public sources give it: each value with where it
/// was read, whether the list is known to be whole, and the Release 1 spellings it replaced (so a file still in
/// Release 1 wording is told what to write instead).
///
/// The specification's own workbooks (AGEM's `cld-data-specification_release_2…xlsx` and its mapping file) could not
/// be read here; the values come from DHSC's code, which compares submissions against them, and are marked where
/// they come from anything weaker. docs/reporting.md prints every list with its status and sources, and a test keeps
/// the tables equal to the copy under `Tests/CareJourneyReportsTests/Fixtures`.
public struct CLDList: Sendable {
    /// How far the list is known.
    public enum Status: String, Sendable, CaseIterable {
        /// Every value, as DHSC's Release 2 code has them: a value not in it is an error.
        case confirmed
        /// Some values are confirmed, the list may have more: a value not in it is a warning (an error with
        /// `--strict-lists`).
        case partial
        /// No public Release 2 source: the values are Release 1's, a secondary source's or ours. A value not in it is
        /// a warning (an error with `--strict-lists`).
        case unconfirmed
    }

    /// A value and where it was read.
    public struct Entry: Hashable, Sendable {
        public let value: String
        public let source: String

        public init(_ value: String, _ source: String) {
            self.value = value
            self.source = source
        }
    }

    public let column: CLDColumn
    public let status: Status
    public let entries: [Entry]
    /// Release 1 spellings and the Release 2 value each became.
    public let release1: [String: String]
    /// What is known and not known of the list, in a sentence.
    public let note: String

    init(
        _ column: CLDColumn, _ status: Status, _ entries: [Entry], release1: [String: String] = [:], note: String
    ) {
        self.column = column
        self.status = status
        self.entries = entries
        self.release1 = release1
        self.note = note
        values = Set(entries.map(\.value))
    }

    private let values: Set<String>

    /// Whether `value` is in the list, exactly: case, punctuation and spaces.
    public func contains(_ value: String) -> Bool { values.contains(value) }

    /// The list's value that `value` differs from only in case or surrounding spaces.
    public func nearMiss(_ value: String) -> String? {
        let folded = value.trimmingCharacters(in: .whitespaces).lowercased()
        return entries.first { $0.value.lowercased() == folded }?.value
    }
}

/// Where list values were read. The DHSC repository is `DataS-DHSC/ASC-CLD-LA-Dashboard` at commit `9bee728` (11 June
/// 2026, "Updates for Q4 25/26 submissions") unless another commit is named.
public enum CLDSource {
    static let dhsc = "DataS-DHSC/ASC-CLD-LA-Dashboard@9bee728"
    public static let cleaning = "\(dhsc) Main_tables/docs/methodology/5-data-cleaning.md"
    public static let deduplication = "\(dhsc) Main_tables/docs/methodology/6-deduplication.md"
    public static let personDetails = "\(dhsc) ASCOF_measures/Create_personal_details_table.sql"
    public static let ascof2A = "\(dhsc) ASCOF_measures/Create_ASCOF_2A_2425_Onwards.sql"
    public static let ascof2B2C = "\(dhsc) ASCOF_measures/Create_ASCOF_2B2C_2425_Onwards.sql"
    public static let ascof2D = "\(dhsc) ASCOF_measures/Create_ASCOF_2D.sql"
    public static let ascof2E = "\(dhsc) ASCOF_measures/Create_ASCOF_2E_2425_Onwards.sql"
    public static let ascof3D = "\(dhsc) ASCOF_measures/Create_ASCOF_3D_2425_Onwards.sql"
    public static let waitingTimes = "\(dhsc) Waiting_times/waiting_times_method.sql"
    public static let derivedFields = "\(dhsc) Stored_procedures/create_GetDerivedFields_procedure.sql"
    public static let facts = "\(dhsc) 2.Services_fact.sql, 3.Requests_fact.sql, 4.Assessments_fact.sql, 5.Reviews_fact.sql"
    public static let personDetailsR1 =
        "DataS-DHSC/ASC-CLD-LA-Dashboard@7396fab ASCOF_measures/Create_personal_details_table.sql ('same in R2 as R1')"
    public static let socialCareData =
        "secondary: SocialCareData/standard, Safeguarding Standard vocabularies 'from the ASC CLD specification'"
    public static let supportReasonLabels =
        "secondary: an ICB's dbt macro clean_asc_cld_primary_support_reason and DHSC GASCD filter labels"
    public static let release1Guidance =
        "secondary: CLD Guidance, Release 1 (February 2023), as the Adult Social Care glossary "
        + "(marketingteam125.wixsite.com/ascglossary) quotes it"
    /// Values the project's research brief for issue 16 gives as Release 2's, for which no public source was found.
    public static let brief =
        "not confirmed: issue 16's research brief gives Male, Female, Other, Unknown; no public source found"
    public static let ours = "not confirmed: CareJourney's own wording, no public source"
}
