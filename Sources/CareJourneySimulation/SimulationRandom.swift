import Foundation

/// A small deterministic generator (SplitMix64): the same seed gives the same numbers on every machine and run.
///
/// Each simulated person draws from a stream of their own (the run's seed mixed with their number), so what
/// happens to one person never depends on the order in which others were played.
public struct SimulationRandom: Sendable {
    private var state: UInt64

    /// The stream numbered `stream` of the run seeded with `seed`.
    public init(seed: UInt64, stream: UInt64) {
        state = seed &+ (stream &* 0x9E37_79B9_7F4A_7C15)
        state = next()  // stir, so that nearby streams do not start alike
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Whether an event of probability `p` happens.
    public mutating func chance(_ p: Double) -> Bool { p >= 1 || (p > 0 && unit() < p) }

    /// The waiting time (in the rate's unit) until an event that happens `rate` times a unit, or infinity at rate 0.
    public mutating func exponential(rate: Double) -> Double {
        guard rate > 0 else { return .infinity }
        return -log1p(-unit()) / rate
    }
}
