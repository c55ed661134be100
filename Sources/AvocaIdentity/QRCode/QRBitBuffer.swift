import Foundation

/// Accumulates a bit string most-significant bit first, as the QR data stream is defined.
struct QRBitBuffer {
    /// The bits appended so far.
    private var bits: [Bool] = []

    /// Number of bits appended so far.
    var count: Int { bits.count }

    /// Appends the low `count` bits of `value`, high bit first.
    mutating func append(_ value: Int, count: Int) {
        for shift in stride(from: count - 1, through: 0, by: -1) {
            bits.append(value >> shift & 1 == 1)
        }
    }

    /// The bits packed into bytes; the caller pads to a multiple of 8 first.
    var bytes: [UInt8] {
        stride(from: 0, to: bits.count, by: 8).map { start in
            bits[start..<min(start + 8, bits.count)].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) }
        }
    }
}

// MARK: - Reed–Solomon
