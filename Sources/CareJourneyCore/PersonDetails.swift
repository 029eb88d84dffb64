/// What the council records about a person beyond their name: the fields statutory returns (DHSC's Client Level
/// Data) need on every row. Each may be unknown at first contact and recorded later with `record-person-details`.
public struct PersonDetails: Hashable, Codable, Sendable {
    /// The 10-digit NHS number, without spaces.
    public var nhsNumber: String?
    /// The year and month of birth, `YYYY-MM` (the day is not kept).
    public var birthMonth: String?
    public var gender: Gender?
    public var ethnicity: Ethnicity?
    /// The home postcode, upper case with one space (`DE1 2AB`).
    public var postcode: String?
    /// The main reason the person needs support, decided at assessment.
    public var primarySupportReason: PrimarySupportReason?

    /// Creates details; every field may be unknown.
    public init(
        nhsNumber: String? = nil, birthMonth: String? = nil, gender: Gender? = nil, ethnicity: Ethnicity? = nil,
        postcode: String? = nil, primarySupportReason: PrimarySupportReason? = nil
    ) {
        self.nhsNumber = nhsNumber
        self.birthMonth = birthMonth
        self.gender = gender
        self.ethnicity = ethnicity
        self.postcode = postcode
        self.primarySupportReason = primarySupportReason
    }

    /// Whether no field is known.
    public var isEmpty: Bool { self == PersonDetails() }

    /// These details with every field `newer` knows taking its place.
    public func merging(_ newer: PersonDetails) -> PersonDetails {
        PersonDetails(
            nhsNumber: newer.nhsNumber ?? nhsNumber, birthMonth: newer.birthMonth ?? birthMonth,
            gender: newer.gender ?? gender, ethnicity: newer.ethnicity ?? ethnicity,
            postcode: newer.postcode ?? postcode,
            primarySupportReason: newer.primarySupportReason ?? primarySupportReason)
    }

    /// The same details in their recorded form (NHS number without spaces, postcode in upper case with one space),
    /// or the field at fault and why it cannot be recorded.
    public func normalised() -> Result<PersonDetails, FieldProblem> {
        var details = self
        if let given = nhsNumber {
            let digits = given.filter { $0 != " " && $0 != "-" }
            guard Self.isValidNHSNumber(digits) else {
                return .failure(
                    FieldProblem(
                        field: "nhsNumber",
                        problem: "'\(given)' is not an NHS number: 10 digits whose last is the modulus 11 check digit"))
            }
            details.nhsNumber = digits
        }
        if let month = birthMonth, !Self.isYearAndMonth(month) {
            return .failure(
                FieldProblem(field: "birthMonth", problem: "'\(month)' is not a year and month written YYYY-MM"))
        }
        if let given = postcode {
            let compact = given.uppercased().filter { !$0.isWhitespace }
            guard (5...7).contains(compact.count), compact.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
            else {
                return .failure(FieldProblem(field: "postcode", problem: "'\(given)' is not a UK postcode"))
            }
            details.postcode = "\(compact.dropLast(3)) \(compact.suffix(3))"
        }
        return .success(details)
    }

    /// A field that cannot be recorded as given.
    public struct FieldProblem: Error, Hashable, Sendable {
        public let field: String
        public let problem: String
    }

    /// Whether `digits` is 10 digits whose last is the modulus 11 check digit of the first nine.
    static func isValidNHSNumber(_ digits: String) -> Bool {
        let values = digits.compactMap(\.wholeNumberValue)
        guard digits.count == 10, values.count == 10 else { return false }
        let sum = zip(values.prefix(9), (2...10).reversed()).reduce(0) { $0 + $1.0 * $1.1 }
        let check = 11 - sum % 11
        return check != 10 && (check == 11 ? 0 : check) == values[9]
    }

    static func isYearAndMonth(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]),
            let month = Int(parts[1])
        else { return false }
        return (1900...2100).contains(year) && (1...12).contains(month)
    }
}

/// The person's stated gender (NHS Data Dictionary, Person Stated Gender Code).
public enum Gender: String, Choice {
    case male
    case female
    case indeterminate
    case notKnown = "not-known"
}

/// The person's ethnic category as they state it (NHS Data Dictionary, Ethnic Category, 2001 census groups).
public enum Ethnicity: String, Choice {
    case whiteBritish = "white-british"
    case whiteIrish = "white-irish"
    case whiteOther = "white-other"
    case mixedWhiteAndBlackCaribbean = "mixed-white-and-black-caribbean"
    case mixedWhiteAndBlackAfrican = "mixed-white-and-black-african"
    case mixedWhiteAndAsian = "mixed-white-and-asian"
    case mixedOther = "mixed-other"
    case asianIndian = "asian-indian"
    case asianPakistani = "asian-pakistani"
    case asianBangladeshi = "asian-bangladeshi"
    case asianOther = "asian-other"
    case blackCaribbean = "black-caribbean"
    case blackAfrican = "black-african"
    case blackOther = "black-other"
    case chinese
    case other
    /// The person chose not to say.
    case notStated = "not-stated"
}

/// The main reason a person needs care and support (the DHSC's Primary Support Reason).
public enum PrimarySupportReason: String, Choice {
    case physicalAccessAndMobility = "physical-access-and-mobility"
    case physicalPersonalCare = "physical-personal-care"
    case sensoryVisual = "sensory-visual"
    case sensoryHearing = "sensory-hearing"
    case sensoryDual = "sensory-dual"
    case memoryAndCognition = "memory-and-cognition"
    case learningDisability = "learning-disability"
    case mentalHealth = "mental-health"
    case substanceMisuse = "substance-misuse"
    case asylumSeeker = "asylum-seeker"
    case socialIsolationOrOther = "social-isolation-or-other"
}
