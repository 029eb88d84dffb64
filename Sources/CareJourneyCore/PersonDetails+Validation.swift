/// The checks a person's details pass before they are recorded. Words from a closed list, days and GP practice codes
/// are refused when the event decodes (naming the field); what needs more than one field, or normalising, is checked
/// here, when the event is handled.
extension PersonDetails {
    /// The same details in their recorded form (NHS number without spaces, postcode in upper case with one space,
    /// the birth month taken from a full date of birth), or the field at fault and why it cannot be recorded.
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
        if let born = dateOfBirth {
            if let month = birthMonth, month != born.yearAndMonth {
                return .failure(
                    FieldProblem(
                        field: "birthMonth",
                        problem: "'\(month)' is not the month of the dateOfBirth \(born.text): give one of them, or both "
                            + "alike"))
            }
            details.birthMonth = born.yearAndMonth
        }
        if let died = dateOfDeath, let born = dateOfBirth, died < born {
            return .failure(
                FieldProblem(
                    field: "dateOfDeath", problem: "\(died.text) is before the dateOfBirth \(born.text)"))
        }
        if let given = postcode {
            let compact = given.uppercased().filter { !$0.isWhitespace }
            guard (5...7).contains(compact.count), compact.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
            else {
                return .failure(FieldProblem(field: "postcode", problem: "'\(given)' is not a UK postcode"))
            }
            details.postcode = "\(compact.dropLast(3)) \(compact.suffix(3))"
        }
        if let name = gpPracticeName, name.allSatisfy(\.isWhitespace) {
            return .failure(FieldProblem(field: "gpPracticeName", problem: "the GP practice's name is blank"))
        }
        if let count = adultsCaredFor, !(1...20).contains(count) {
            return .failure(
                FieldProblem(field: "adultsCaredFor", problem: "\(count) is not a number of adults from 1 to 20"))
        }
        if let ids = caredForIDs {
            guard (1...3).contains(ids.count), ids.allSatisfy({ !$0.allSatisfy(\.isWhitespace) })
            else {
                return .failure(
                    FieldProblem(
                        field: "caredForIDs",
                        problem: "give the case ids of one to three adults cared for (the return has three places)"))
            }
        }
        return .success(details)
    }

    /// A field that cannot be recorded as given.
    public struct FieldProblem: Error, Hashable, Sendable {
        public let field: String
        public let problem: String
    }

    /// Whether `digits` is 10 digits whose last is the modulus 11 check digit of the first nine.
    public static func isValidNHSNumber(_ digits: String) -> Bool {
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

/// A calendar day written `YYYY-MM-DD` (a date of birth or death: no time, no time zone). Refused when it decodes
/// if it is not a real day from 1900 to 2100.
public struct CalendarDay: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// The day `text` names (`2026-04-01`), or `nil` when it is not a day from 1900 to 2100 written so.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) }), let year = Int(parts[0]), let month = Int(parts[1]),
            let day = Int(parts[2])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The day, or `nil` when there is no such day from 1900 to 2100.
    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2100).contains(year), (1...12).contains(month), day >= 1,
            day <= Self.days(inMonth: month, of: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// `YYYY-MM-DD`.
    public var text: String { "\(Self.padded(year, 4))-\(Self.padded(month, 2))-\(Self.padded(day, 2))" }
    /// `YYYY-MM`.
    public var yearAndMonth: String { "\(Self.padded(year, 4))-\(Self.padded(month, 2))" }
    public var description: String { text }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = CalendarDay(text) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "'\(text)' is not a day written YYYY-MM-DD (from 1900 to 2100), like 1941-03-14"))
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    /// How many days `month` of `year` has.
    public static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// A GP practice's code in the NHS Organisation Data Service: a letter and five digits (`C81001`), stored in upper
/// case. Refused when it decodes if it is not one.
public struct GPPracticeCode: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The code, upper case.
    public let text: String

    /// The code `given` stands for (case and spaces ignored), or `nil`.
    public init?(_ given: String) {
        let code = given.filter { !$0.isWhitespace }.uppercased()
        guard code.count == 6, let first = code.first, first.isASCII, first.isLetter,
            code.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        text = code
    }

    public var description: String { text }

    public init(from decoder: any Decoder) throws {
        let given = try decoder.singleValueContainer().decode(String.self)
        guard let code = GPPracticeCode(given) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "'\(given)' is not a GP practice code: a letter and five digits, like C81001"))
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
