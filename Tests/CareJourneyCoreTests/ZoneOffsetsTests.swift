import Foundation
import Testing

@testable import CareJourneyCore

/// The table of a zone's offsets answers as the zone does, at every instant: the calendar's days depend on it.
struct ZoneOffsetsTests {
    /// Zones with the shapes a table must get right: the UK's summer time, Ireland's (whose tzdata rule is a
    /// negative saving in winter), half-hour shifts, zones that changed their standard offset, and no shifts at all.
    static let zones = [
        "Europe/London", "Europe/Dublin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata",
        "Europe/Moscow", "Pacific/Apia", "UTC",
    ]

    @Test(arguments: zones)
    func theTableAgreesWithTheZoneOverTwoCenturies(identifier: String) throws {
        let zone = try #require(TimeZone(identifier: identifier), "the system's time zone database lacks \(identifier)")
        let table = ZoneOffsets.of(zone)
        // Around each change is where an off-by-one would show; a stride of 27 hours and a little (so that it meets
        // every hour of the day) covers the rest, from 1894 to 2126: outside the table's years the zone is asked.
        var instants = Array(stride(from: -2_400_000_000.0, to: 4_900_000_000, by: 97_213))
        var instant = Date(timeIntervalSince1970: -2_208_988_800)
        while let next = zone.nextDaylightSavingTimeTransition(after: instant), next > instant,
            next.timeIntervalSince1970 < 4_102_444_800
        {
            instants += [-3600, -1, 0, 1, 3600].map { next.timeIntervalSince1970 + $0 }
            instant = next
        }
        for instant in instants {
            let expected = zone.secondsFromGMT(for: Date(timeIntervalSince1970: instant))
            #expect(
                table.secondsFromGMT(at: instant) == expected,
                "\(identifier) at \(Date(timeIntervalSince1970: instant)): the table says \(table.secondsFromGMT(at: instant)), the zone \(expected)")
        }
    }

    @Test func aZoneIsReadOnceAProcess() throws {
        let zone = try #require(TimeZone(identifier: "Europe/London"))
        #expect(ZoneOffsets.of(zone) === ZoneOffsets.of(zone))
    }
}
