import CareJourneyCore
import Foundation

/// What the sample council knows about each person for its statutory returns: most details at contact, a few
/// missing (as in life: the CLD return then lists them to put right), and what assessments and reviews record.
extension Persona {
    private static let outwardCodes = ["DE1", "DE21", "DE22", "DE4", "DE56", "DE7", "S40", "S41", "S42", "SK17"]
    private static let ethnicities: [Ethnicity] =
        Array(repeating: .whiteBritish, count: 14) + [
            .whiteIrish, .whiteOther, .whiteOther, .mixedWhiteAndBlackCaribbean, .mixedWhiteAndAsian, .asianIndian,
            .asianIndian, .asianPakistani, .asianBangladeshi, .blackCaribbean, .blackAfrican, .chinese, .other,
            .notStated,
        ]
    private static let supportReasons: [PrimarySupportReason] = [
        .physicalPersonalCare, .physicalPersonalCare, .physicalPersonalCare, .physicalAccessAndMobility,
        .memoryAndCognition, .memoryAndCognition, .learningDisability, .mentalHealth, .sensoryVisual, .sensoryHearing,
        .socialIsolationOrOther, .substanceMisuse,
    ]

    private static let homes: [AccommodationStatus] =
        Array(repeating: .ownerOccupier, count: 8) + Array(repeating: .tenantSocialHousing, count: 4) + [
            .tenantPrivateLandlord, .tenantPrivateLandlord, .withFamilyOrFriends, .withFamilyOrFriends,
            .shelteredOrExtraCareHousing, .supportedAccommodation,
        ]

    /// The details given at contact: every field the CLD return needs of everyone (NHS number, full date of birth,
    /// gender, ethnicity, postcode, accommodation, whether they have an unpaid carer), and for a person needing care
    /// how their care is funded and, under 65, whether they work. A few people decline to state their ethnicity.
    static func details(carer: Bool, random: KeyedRandom) -> PersonDetails {
        let born = carer ? random.int(1945...1995, "born.year") : random.int(1928...2004, "born.year")
        let month = random.int(1...12, "born.month")
        let dateOfBirth = CalendarDay(
            year: born, month: month, day: random.int(1...CalendarDay.days(inMonth: month, of: born), "born.day"))
        let inward =
            "\(random.int(1...9, "postcode.sector"))\(random.pick(letters, "postcode.unit1"))"
            + random.pick(letters, "postcode.unit2")
        let working: [EmploymentStatus] = [
            .notSeekingWorkOrRetired, .notSeekingWorkOrRetired, .seekingWork, .voluntaryWorkOnly, .paidUnder16Hours,
            .paid16HoursOrMore,
        ]
        var details = PersonDetails(
            nhsNumber: nhsNumber(random),
            gender: random.chance(0.55, "gender") ? .female : .male,
            ethnicity: random.chance(0.04, "ethnicity.missing") ? .notStated : random.pick(ethnicities, "ethnicity"),
            postcode: "\(random.pick(outwardCodes, "postcode.outward")) \(inward)",
            dateOfBirth: dateOfBirth,
            accommodationStatus: random.pick(homes, "accommodation"),
            employmentStatus: born > 1961 ? random.pick(working, "employment") : .notSeekingWorkOrRetired,
            hasUnpaidCarer: carer ? .no : (random.chance(0.4, "has-carer") ? .yes : .no),
            clientFundingStatus: carer
                ? nil : (random.chance(0.7, "funding") ? .fullySocialCareFunded : .jointlyFunded))
        // The reason known at contact (reablement may come before any assessment); the assessment records it again.
        details.primarySupportReason = carer ? nil : random.pick(supportReasons, "support-reason")
        return details
    }

    /// How the assessment was done, and the main reason the person needs support (carers have none).
    var assessmentRecord: [String: JSONValue] {
        var record: [String: JSONValue] = [
            "method": .string(random.pick(methods, "assessment.method").rawValue),
            "participants": .string(random.pick(participants, "assessment.participants").rawValue),
        ]
        if !isCarer {
            record["primarySupportReason"] = .string(random.pick(Self.supportReasons, "support-reason").rawValue)
        }
        return record
    }

    /// How a review was done and how far the plan's outcomes were met; `key` tells reviews apart.
    func reviewRecord(_ key: String) -> [String: JSONValue] {
        [
            "method": .string(random.pick(methods, "\(key).method").rawValue),
            "participants": .string(random.pick(participants, "\(key).participants").rawValue),
            "outcomesAchieved": .string(
                random.pick([.met, .met, .met, .partiallyMet, .partiallyMet, .notMet] as [OutcomesAchieved], key)
                    .rawValue),
        ]
    }

    /// The service component of a council-managed part made of `services`.
    static func component(of services: [String]) -> ServiceComponent {
        switch services.first {
        case "live-in care": .liveInCare
        case "day activities": .dayCare
        default: .homeCare
        }
    }

    /// Who took part: the person alone mostly, a carer beside them often; a carer's own assessment is the carer's.
    private var participants: [Participants] {
        isCarer ? [.carer] : [.serviceUser, .serviceUser, .serviceUser, .serviceUserAndCarer]
    }

    private var methods: [AssessmentMethod] { [.faceToFace, .faceToFace, .faceToFace, .telephone, .video] }

    private static let letters = Array("ABDEFGHJLNPQRSTUWXYZ").map(String.init)

    /// A valid NHS number: nine digits and their modulus 11 check digit (drawn again when that would be 10).
    private static func nhsNumber(_ random: KeyedRandom) -> String {
        var attempt = 0
        while true {
            let digits = (0..<9).map { random.int(0...9, "nhs.\(attempt).\($0)") }
            let check = 11 - zip(digits, (2...10).reversed()).reduce(0) { $0 + $1.0 * $1.1 } % 11
            if check != 10 { return (digits + [check == 11 ? 0 : check]).map(String.init).joined() }
            attempt += 1
        }
    }
}
