import AvocaCore
import Foundation

/// SplitMix64: a tiny, fast, well-distributed PRNG whose whole state is one integer, so demo data
/// is reproducible from a `--seed` on every platform (the system generator is not seedable).
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Starts the sequence at `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// The SplitMix64 finaliser; also used to derive independent streams from (seed, index).
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A generator for item `index` of stream `seed`. Adjacent SplitMix seeds would yield shifted
    /// copies of one sequence, so both inputs go through the finaliser first.
    public init(seed: UInt64, index: Int, stream: UInt64 = 0) {
        self.init(seed: Self.mix(seed ^ Self.mix(UInt64(bitPattern: Int64(index)) &+ stream &* 0xD1B5_4A32_D192_ED03)))
    }

    /// A random element of a non-empty array.
    public mutating func pick<T>(_ values: [T]) -> T { values[Int(next() % UInt64(values.count))] }

    /// `true` with probability `percent`/100.
    public mutating func chance(_ percent: Int) -> Bool { Int(next() % 100) < percent }

    /// A uniformly random integer in `range`.
    public mutating func int(in range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    /// A version-4 UUID made of generator bits, so seeded rows get reproducible identifiers.
    public mutating func uuid() -> UUID {
        let high = next()
        let low = next()
        var bytes = [UInt8](repeating: 0, count: 16)
        for offset in 0..<8 {
            bytes[offset] = UInt8(truncatingIfNeeded: high >> (56 - 8 * offset))
            bytes[offset + 8] = UInt8(truncatingIfNeeded: low >> (56 - 8 * offset))
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10], bytes[11],
                bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}
