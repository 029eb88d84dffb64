import Foundation

/// How long a step takes, in days: a fixed time, or drawn from a uniform or triangular distribution.
///
/// Written in a profile as a number (`3`: fixed), `{fixed: 3}`, `{min: 1, max: 5}` (uniform) or
/// `{min: 1, mode: 2, max: 10}` (triangular: most often `mode`, never outside `min`…`max`).
public enum StepDuration: Hashable, Codable, Sendable {
    case fixed(Double)
    case uniform(min: Double, max: Double)
    case triangular(min: Double, mode: Double, max: Double)

    private enum Keys: String, CodingKey { case fixed, min, mode, max }

    public init(from decoder: any Decoder) throws {
        if let days = try? decoder.singleValueContainer().decode(Double.self) {
            self = .fixed(days)
            return
        }
        let c = try decoder.container(keyedBy: Keys.self)
        if let days = try c.decodeIfPresent(Double.self, forKey: .fixed) {
            self = .fixed(days)
        } else if let mode = try c.decodeIfPresent(Double.self, forKey: .mode) {
            self = .triangular(
                min: try c.decode(Double.self, forKey: .min), mode: mode, max: try c.decode(Double.self, forKey: .max))
        } else {
            self = .uniform(min: try c.decode(Double.self, forKey: .min), max: try c.decode(Double.self, forKey: .max))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .fixed(let days): try c.encode(days, forKey: .fixed)
        case .uniform(let min, let max):
            try c.encode(min, forKey: .min)
            try c.encode(max, forKey: .max)
        case .triangular(let min, let mode, let max):
            try c.encode(min, forKey: .min)
            try c.encode(mode, forKey: .mode)
            try c.encode(max, forKey: .max)
        }
    }

    /// A duration in days drawn with `random` (a fixed duration draws nothing).
    public func days(_ random: inout SimulationRandom) -> Double {
        switch self {
        case .fixed(let days): return days
        case .uniform(let min, let max): return min + (max - min) * random.unit()
        case .triangular(let min, let mode, let max):
            let u = random.unit()
            let split = max > min ? (mode - min) / (max - min) : 0
            return u < split
                ? min + ((max - min) * (mode - min) * u).squareRoot()
                : max - ((max - min) * (max - mode) * (1 - u)).squareRoot()
        }
    }

    /// The problem with the duration, if any, for the profile's key `key`.
    func problem(_ key: String) -> String? {
        let (low, high): (Double, Double)
        switch self {
        case .fixed(let days): (low, high) = (days, days)
        case .uniform(let min, let max): (low, high) = (min, max)
        case .triangular(let min, let mode, let max):
            guard min <= mode, mode <= max else {
                return "\(key): mode \(mode) must lie between min \(min) and max \(max)"
            }
            (low, high) = (min, max)
        }
        guard low.isFinite, high.isFinite, low >= 0, low <= high, high <= 3650 else {
            return "\(key): days must be from 0 to 3650 with min ≤ max (found \(low)…\(high))"
        }
        return nil
    }
}
