import Foundation

/// Seeded numbers drawn by name: the same seed and key always give the same number, in whatever order they are
/// asked for. Two runs of one case's life (one to find where it should stand today, one through the engine) may
/// meet their events in a slightly different order, and still make the same choices.
struct KeyedRandom: Sendable {
    private let seed: UInt64

    /// The numbers of one stream (a case) of `seed`.
    init(seed: UInt64, stream: UInt64) {
        var generator = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        self.seed = generator.next()
    }

    /// 64 random bits for `key` (FNV-1a of the key, mixed with the stream's seed).
    func bits(_ key: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        var generator = SplitMix64(seed: seed ^ hash)
        return generator.next()
    }

    /// A number in [0, 1).
    func unit(_ key: String) -> Double { Double(bits(key) >> 11) / Double(UInt64(1) << 53) }

    /// True with probability `p`.
    func chance(_ p: Double, _ key: String) -> Bool { unit(key) < p }

    /// A whole number in `range`.
    func int(_ range: ClosedRange<Int>, _ key: String) -> Int {
        range.lowerBound + Int(bits(key) % UInt64(range.count))
    }

    /// One of `items`, which must not be empty.
    func pick<T>(_ items: [T], _ key: String) -> T { items[Int(bits(key) % UInt64(items.count))] }

    /// A length of time between `days.lowerBound` and `days.upperBound` days, in whole seconds.
    func days(_ days: ClosedRange<Double>, _ key: String) -> TimeInterval {
        ((days.lowerBound + unit(key) * (days.upperBound - days.lowerBound)) * 86_400).rounded(.down)
    }
}
