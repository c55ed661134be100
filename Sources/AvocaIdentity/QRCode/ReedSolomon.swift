import Foundation

/// Reed–Solomon arithmetic over GF(256) with the QR field polynomial
/// x⁸ + x⁴ + x³ + x² + 1 (0x11D) and generator element α = 2.
enum ReedSolomon {
    /// `exponent[i]` = αⁱ, doubled in length so products need no modulo.
    static let exponent: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 512)
        var value = 1
        for index in 0..<255 {
            table[index] = UInt8(value)
            value <<= 1
            if value & 0x100 != 0 {
                value ^= 0x11D
            }
        }
        for index in 255..<512 {
            table[index] = table[index - 255]
        }
        return table
    }()

    /// `logarithm[v]` = i such that αⁱ = v, for v ≠ 0.
    static let logarithm: [Int] = {
        var table = [Int](repeating: 0, count: 256)
        for index in 0..<255 {
            table[Int(exponent[index])] = index
        }
        return table
    }()

    /// Product of two field elements.
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        guard a != 0, b != 0 else { return 0 }
        return exponent[logarithm[Int(a)] + logarithm[Int(b)]]
    }

    /// Coefficients of (x − α⁰)(x − α¹)…(x − α^(degree−1)), highest power first,
    /// without the leading 1.
    static func generator(degree: Int) -> [UInt8] {
        var coefficients: [UInt8] = [1]
        for power in 0..<degree {
            let root = exponent[power]
            // Multiply by (x + root); subtraction is XOR in GF(2⁸).
            var next = coefficients + [0]
            for index in 1..<next.count {
                next[index] ^= multiply(coefficients[index - 1], root)
            }
            coefficients = next
        }
        return Array(coefficients.dropFirst())
    }

    /// The error-correction codewords for `data`: the remainder of data(x)·x^n divided
    /// by the generator, computed with the usual shift-register division.
    static func remainder(of data: [UInt8], generator: [UInt8]) -> [UInt8] {
        var remainder = [UInt8](repeating: 0, count: generator.count)
        for byte in data {
            let factor = byte ^ remainder[0]
            remainder.removeFirst()
            remainder.append(0)
            for index in 0..<generator.count {
                remainder[index] ^= multiply(generator[index], factor)
            }
        }
        return remainder
    }
}

// MARK: - Module grid
