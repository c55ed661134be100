import Foundation

/// A QR code symbol: a square grid of dark/light modules.
///
/// The encoder follows ISO/IEC 18004 (Model 2): the data is stored in byte mode,
/// protected by Reed–Solomon error correction at the requested level, and placed in
/// the smallest version (1–40) that holds it. All eight mask patterns are tried and
/// the one with the lowest penalty score is kept, as the standard prescribes.
///
/// Coordinates are `x` = column and `y` = row, both counted from the top-left module.
/// The grid does not include the quiet zone; renderers add it (see `svg(moduleSize:)`).
public struct QRCode: Sendable {
    /// How much of the symbol is spent on Reed–Solomon error correction.
    ///
    /// Higher levels survive more damage (smudges, glare, logos) but need a larger
    /// symbol for the same data.
    public enum ErrorCorrection: Sendable, CaseIterable {
        /// Level L: roughly 7 % of the codewords can be restored.
        case low
        /// Level M: roughly 15 % of the codewords can be restored.
        case medium
        /// Level Q: roughly 25 % of the codewords can be restored.
        case quartile
        /// Level H: roughly 30 % of the codewords can be restored.
        case high
    }

    /// Why a symbol could not be built.
    public enum EncodingError: Error, Sendable, Equatable {
        /// The data exceeds the capacity of a version 40 symbol at the requested
        /// error-correction level.
        case tooLong
    }

    /// The symbol version, 1...40; each version adds four modules per side.
    public let version: Int
    /// Modules per side, `4 * version + 17`, without the quiet zone.
    public let size: Int
    /// The error-correction level the symbol was built with.
    public let errorCorrection: ErrorCorrection
    /// The mask pattern (0...7) that scored the lowest penalty; kept for tests and diagnostics.
    let mask: Int
    /// Module colours in row-major order, `size * size` entries, `true` = dark.
    private let modules: [Bool]

    /// Whether the module at column `x`, row `y` is dark.
    ///
    /// Coordinates outside the symbol return `false`, because the area around a symbol
    /// (the quiet zone) is light; this lets renderers iterate over a padded range.
    public func isDark(x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, x < size, y < size else { return false }
        return modules[y * size + x]
    }

    /// Encodes the UTF-8 bytes of `text`.
    ///
    /// Throws `QRCode.EncodingError.tooLong` when the data does not fit version 40.
    public init(text: String, errorCorrection: ErrorCorrection = .medium) throws {
        try self.init(bytes: Array(text.utf8), errorCorrection: errorCorrection)
    }

    /// Encodes `bytes` in byte mode in the smallest version that holds them.
    ///
    /// Throws `QRCode.EncodingError.tooLong` when the data does not fit version 40.
    public init(bytes: [UInt8], errorCorrection: ErrorCorrection = .medium) throws {
        guard let version = Self.smallestVersion(byteCount: bytes.count, errorCorrection: errorCorrection) else {
            throw EncodingError.tooLong
        }
        let data = Self.dataCodewords(bytes: bytes, version: version, errorCorrection: errorCorrection)
        let codewords = Self.finalCodewords(data: data, version: version, errorCorrection: errorCorrection)

        var unmasked = ModuleGrid(version: version)
        unmasked.placeData(codewords)

        // Every mask gives a valid symbol; the standard keeps the one that is easiest
        // to read (fewest long runs, solid blocks and finder look-alikes, and a dark
        // ratio closest to half). Ties go to the lowest mask number.
        var best = Self.masked(unmasked, mask: 0, errorCorrection: errorCorrection)
        var bestMask = 0
        var bestPenalty = best.penalty()
        for mask in 1..<8 {
            let candidate = Self.masked(unmasked, mask: mask, errorCorrection: errorCorrection)
            let penalty = candidate.penalty()
            if penalty < bestPenalty {
                best = candidate
                bestMask = mask
                bestPenalty = penalty
            }
        }

        self.version = version
        self.size = best.size
        self.errorCorrection = errorCorrection
        self.mask = bestMask
        self.modules = best.dark
    }

    /// Applies `mask` to a copy of `grid` and writes the matching format information.
    private static func masked(_ grid: ModuleGrid, mask: Int, errorCorrection: ErrorCorrection) -> ModuleGrid {
        var copy = grid
        copy.applyMask(mask)
        copy.drawFormatInformation(errorCorrection: errorCorrection, mask: mask)
        return copy
    }
}

// MARK: - Capacity

extension QRCode {
    /// The smallest version whose capacity at `errorCorrection` holds `byteCount` bytes
    /// in byte mode, or `nil` when even version 40 is too small.
    static func smallestVersion(byteCount: Int, errorCorrection: ErrorCorrection) -> Int? {
        (1...40).first { version in
            let neededBits = 4 + characterCountBits(version: version) + 8 * byteCount
            return neededBits <= 8 * dataCodewordCount(version: version, errorCorrection: errorCorrection)
        }
    }

    /// Width of the byte-mode character count field: larger symbols can hold more
    /// than 255 bytes, so from version 10 on the count takes 16 bits.
    static func characterCountBits(version: Int) -> Int {
        version <= 9 ? 8 : 16
    }

    /// Number of 8-bit codewords (data plus error correction) a symbol of `version` holds.
    ///
    /// Derived from the symbol layout: every module not taken by a function pattern
    /// carries data, and the few modules left over after the last whole codeword are
    /// the remainder bits.
    static func totalCodewordCount(version: Int) -> Int {
        let size = 4 * version + 17
        var functionModules = 3 * 64  // three finder patterns with their separators, 8×8 each
        functionModules += 2 * (size - 16)  // the two timing patterns between the separators
        functionModules += 2 * 15 + 1  // two copies of the format information plus the dark module
        let centers = alignmentPatternCenters(version: version)
        if !centers.isEmpty {
            let count = centers.count * centers.count - 3  // three positions collide with finders
            // Patterns centred on row or column 6 overlap the timing pattern by 5 modules.
            let overlapping = 2 * (centers.count - 2)
            functionModules += 25 * count - 5 * overlapping
        }
        if version >= 7 {
            functionModules += 2 * 18  // two copies of the version information
        }
        return (size * size - functionModules) / 8
    }

    /// Number of data codewords (after removing error correction) at `version` and `errorCorrection`.
    static func dataCodewordCount(version: Int, errorCorrection: ErrorCorrection) -> Int {
        let row = errorCorrection.tableRow
        return totalCodewordCount(version: version)
            - Tables.ecCodewordsPerBlock[row][version] * Tables.blockCount[row][version]
    }

    /// Row/column coordinates of alignment pattern centres (ISO/IEC 18004 annex E);
    /// every combination is used except the three that fall on finder patterns.
    static func alignmentPatternCenters(version: Int) -> [Int] {
        Tables.alignmentPatternCenters[version]
    }
}

// MARK: - Codewords

extension QRCode {
    /// Builds the data codewords: mode indicator, byte count, the bytes, terminator and padding.
    static func dataCodewords(bytes: [UInt8], version: Int, errorCorrection: ErrorCorrection) -> [UInt8] {
        let capacity = dataCodewordCount(version: version, errorCorrection: errorCorrection)
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)  // byte mode indicator
        bits.append(bytes.count, count: characterCountBits(version: version))
        for byte in bytes {
            bits.append(Int(byte), count: 8)
        }
        // The terminator is up to four zero bits; it may be cut short when the data
        // already fills the symbol exactly.
        bits.append(0, count: min(4, capacity * 8 - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)

        var codewords = bits.bytes
        // Unused capacity is filled with the standard's alternating pad codewords,
        // chosen so that empty space does not look like a regular pattern.
        var pad: UInt8 = 0xEC
        while codewords.count < capacity {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return codewords
    }

    /// Splits the data into blocks, appends Reed–Solomon codewords to each block and
    /// interleaves them, giving the final codeword sequence placed in the symbol.
    static func finalCodewords(data: [UInt8], version: Int, errorCorrection: ErrorCorrection) -> [UInt8] {
        let row = errorCorrection.tableRow
        let blockCount = Tables.blockCount[row][version]
        let ecLength = Tables.ecCodewordsPerBlock[row][version]
        let total = totalCodewordCount(version: version)
        // When the codewords do not divide evenly, the last blocks get one extra data codeword.
        let shortBlockCount = blockCount - total % blockCount
        let shortDataLength = total / blockCount - ecLength
        let generator = ReedSolomon.generator(degree: ecLength)

        var dataBlocks: [[UInt8]] = []
        var ecBlocks: [[UInt8]] = []
        var offset = 0
        for index in 0..<blockCount {
            let length = shortDataLength + (index < shortBlockCount ? 0 : 1)
            let block = Array(data[offset..<offset + length])
            offset += length
            dataBlocks.append(block)
            ecBlocks.append(ReedSolomon.remainder(of: block, generator: generator))
        }

        // Interleaving spreads each block across the symbol, so local damage costs
        // every block a little instead of one block a lot.
        var result: [UInt8] = []
        result.reserveCapacity(total)
        for column in 0...shortDataLength {
            for block in dataBlocks where column < block.count {
                result.append(block[column])
            }
        }
        for column in 0..<ecLength {
            for block in ecBlocks {
                result.append(block[column])
            }
        }
        return result
    }

    /// The 15-bit format information: level and mask, protected by a BCH(15,5) code and
    /// XORed with a fixed pattern so that it is never all zeros.
    static func formatBits(errorCorrection: ErrorCorrection, mask: Int) -> Int {
        let data = errorCorrection.formatIndicator << 3 | mask
        return (data << 10 | bchRemainder(data, degree: 10, generator: 0x537)) ^ 0x5412
    }

    /// The 18-bit version information (versions 7+): the version number protected by a BCH(18,6) code.
    static func versionBits(version: Int) -> Int {
        version << 12 | bchRemainder(version, degree: 12, generator: 0x1F25)
    }

    /// Remainder of `value · x^degree` divided by `generator` over GF(2).
    private static func bchRemainder(_ value: Int, degree: Int, generator: Int) -> Int {
        var remainder = value << degree
        for bit in stride(from: remainder.bitWidth - 1 - remainder.leadingZeroBitCount, through: degree, by: -1)
        where remainder >> bit & 1 == 1 {
            remainder ^= generator << (bit - degree)
        }
        return remainder
    }
}

extension QRCode.ErrorCorrection {
    /// The two-bit level indicator in the format information. The codes are not in
    /// L < M < Q < H order (M is 00), hence the explicit mapping.
    fileprivate var formatIndicator: Int {
        switch self {
        case .low: 0b01
        case .medium: 0b00
        case .quartile: 0b11
        case .high: 0b10
        }
    }

    /// Row of this level in the capacity tables.
    fileprivate var tableRow: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .quartile: 2
        case .high: 3
        }
    }
}

// MARK: - Tables

/// Per-version facts from ISO/IEC 18004 that cannot be derived from the layout.
/// Index 0 of each version-indexed array is unused so that `[version]` reads naturally.
private enum Tables {
    /// Reed–Solomon codewords per block, by level (L, M, Q, H) and version.
    static let ecCodewordsPerBlock: [[Int]] = [
        [0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
         28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
         26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
         28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
         30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ]

    /// Number of error-correction blocks, by level (L, M, Q, H) and version.
    static let blockCount: [[Int]] = [
        [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
         8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
         17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
         23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
         25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ]

    /// Alignment pattern centre coordinates by version (annex E).
    static let alignmentPatternCenters: [[Int]] = [
        [], [],
        [6, 18], [6, 22], [6, 26], [6, 30], [6, 34],
        [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50], [6, 30, 54], [6, 32, 58], [6, 34, 62],
        [6, 26, 46, 66], [6, 26, 48, 70], [6, 26, 50, 74], [6, 30, 54, 78], [6, 30, 56, 82],
        [6, 30, 58, 86], [6, 34, 62, 90],
        [6, 28, 50, 72, 94], [6, 26, 50, 74, 98], [6, 30, 54, 78, 102], [6, 28, 54, 80, 106],
        [6, 32, 58, 84, 110], [6, 30, 58, 86, 114], [6, 34, 62, 90, 118],
        [6, 26, 50, 74, 98, 122], [6, 30, 54, 78, 102, 126], [6, 26, 52, 78, 104, 130],
        [6, 30, 56, 82, 108, 134], [6, 34, 60, 86, 112, 138], [6, 30, 58, 86, 114, 142],
        [6, 34, 62, 90, 118, 146],
        [6, 30, 54, 78, 102, 126, 150], [6, 24, 50, 76, 102, 128, 154], [6, 28, 54, 80, 106, 132, 158],
        [6, 32, 58, 84, 110, 136, 162], [6, 26, 54, 82, 110, 138, 166], [6, 30, 58, 86, 114, 142, 170],
    ]
}

// MARK: - Bit buffer

/// Accumulates a bit string most-significant bit first, as the QR data stream is defined.
private struct BitBuffer {
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

/// Reed–Solomon arithmetic over GF(256) with the QR field polynomial
/// x⁸ + x⁴ + x³ + x² + 1 (0x11D) and generator element α = 2.
private enum ReedSolomon {
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

/// Working grid used while building a symbol: module colours plus which modules
/// belong to function patterns, which never carry data and are never masked.
private struct ModuleGrid {
    /// Modules per side.
    let size: Int
    /// Module colours, row-major, `true` = dark.
    private(set) var dark: [Bool]
    /// Whether each module belongs to a function pattern or reserved area.
    private var isFunction: [Bool]

    /// A grid of `version` with every function pattern drawn and the format area reserved.
    init(version: Int) {
        size = 4 * version + 17
        dark = Array(repeating: false, count: size * size)
        isFunction = Array(repeating: false, count: size * size)

        // Timing first: the finder patterns drawn next overwrite its ends.
        for index in 0..<size {
            setFunction(x: 6, y: index, dark: index % 2 == 0)
            setFunction(x: index, y: 6, dark: index % 2 == 0)
        }
        drawFinderPattern(centerX: 3, centerY: 3)
        drawFinderPattern(centerX: size - 4, centerY: 3)
        drawFinderPattern(centerX: 3, centerY: size - 4)

        let centers = QRCode.alignmentPatternCenters(version: version)
        if let first = centers.first, let last = centers.last {
            for cx in centers {
                for cy in centers {
                    let overlapsFinder = (cx == first && cy == first) || (cx == first && cy == last)
                        || (cx == last && cy == first)
                    if !overlapsFinder {
                        drawAlignmentPattern(centerX: cx, centerY: cy)
                    }
                }
            }
        }

        // Reserve the format area now so data placement skips it; the real bits are
        // written once the mask is known.
        drawFormatBits(0)
        if version >= 7 {
            drawVersionInformation(version)
        }
        // The single dark module beside the lower-left finder is always present.
        setFunction(x: 8, y: size - 8, dark: true)
    }

    /// Writes the format information for the chosen level and mask.
    mutating func drawFormatInformation(errorCorrection: QRCode.ErrorCorrection, mask: Int) {
        drawFormatBits(QRCode.formatBits(errorCorrection: errorCorrection, mask: mask))
    }

    /// Places the final codeword sequence in the two-column zigzag defined by the
    /// standard, starting at the bottom-right corner. Modules left over after the last
    /// codeword (remainder bits) stay light.
    mutating func placeData(_ codewords: [UInt8]) {
        let bitCount = codewords.count * 8
        var bitIndex = 0
        var right = size - 1
        while right >= 1 {
            // Column 6 holds the vertical timing pattern, so the zigzag shifts left past it.
            if right == 6 {
                right = 5
            }
            // Column pairs alternate between moving up and moving down, starting upward.
            let upward = (right + 1) & 2 == 0
            for step in 0..<size {
                let y = upward ? size - 1 - step : step
                for x in [right, right - 1] where !isFunction[y * size + x] && bitIndex < bitCount {
                    let byte = codewords[bitIndex >> 3]
                    dark[y * size + x] = byte >> (7 - bitIndex & 7) & 1 == 1
                    bitIndex += 1
                }
            }
            right -= 2
        }
    }

    /// Inverts every data module where the mask pattern's condition holds.
    mutating func applyMask(_ mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] && Self.maskCondition(mask, x: x, y: y) {
                dark[y * size + x].toggle()
            }
        }
    }

    /// The penalty score of ISO/IEC 18004 §7.8.3; lower is better.
    func penalty() -> Int {
        var score = 0
        for y in 0..<size {
            score += Self.linePenalty((0..<size).map { dark[y * size + $0] })
        }
        for x in 0..<size {
            score += Self.linePenalty((0..<size).map { dark[$0 * size + x] })
        }

        // Rule 2: every 2×2 block of one colour.
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let colour = dark[y * size + x]
                if dark[y * size + x + 1] == colour, dark[(y + 1) * size + x] == colour,
                    dark[(y + 1) * size + x + 1] == colour
                {
                    score += 3
                }
            }
        }

        // Rule 4: 10 points per full 5 % that the dark share deviates from 50 %.
        let total = size * size
        let darkCount = dark.reduce(0) { $0 + ($1 ? 1 : 0) }
        score += 10 * (abs(darkCount * 20 - total * 10) / total)
        return score
    }

    /// Rules 1 and 3 for one row or column: runs of five or more modules of one colour,
    /// and the 1:1:3:1:1 finder-like pattern with four light modules on either side.
    private static func linePenalty(_ line: [Bool]) -> Int {
        var score = 0
        var runLength = 1
        for index in 1..<line.count {
            if line[index] == line[index - 1] {
                runLength += 1
            } else {
                if runLength >= 5 { score += runLength - 2 }
                runLength = 1
            }
        }
        if runLength >= 5 { score += runLength - 2 }

        // The quiet zone around the symbol is light, so it counts as light margin here.
        let margin = [Bool](repeating: false, count: 4)
        return score + finderPatternPenalty(margin + line + margin)
    }

    /// Rule 3: 40 points per occurrence of dark-light-dark-dark-dark-light-dark
    /// preceded or followed by four light modules.
    private static func finderPatternPenalty(_ padded: [Bool]) -> Int {
        let core: [Bool] = [true, false, true, true, true, false, true]
        var score = 0
        for start in 0...(padded.count - 7) where padded[start..<start + 7].elementsEqual(core) {
            let lightBefore = start >= 4 && !padded[(start - 4)..<start].contains(true)
            let lightAfter = start + 11 <= padded.count && !padded[(start + 7)..<(start + 11)].contains(true)
            if lightBefore || lightAfter {
                score += 40
            }
        }
        return score
    }

    /// The eight mask conditions of the standard, with `y` as row and `x` as column.
    private static func maskCondition(_ mask: Int, x: Int, y: Int) -> Bool {
        switch mask {
        case 0: (x + y) % 2 == 0
        case 1: y % 2 == 0
        case 2: x % 3 == 0
        case 3: (x + y) % 3 == 0
        case 4: (y / 2 + x / 3) % 2 == 0
        case 5: (x * y) % 2 + (x * y) % 3 == 0
        case 6: ((x * y) % 2 + (x * y) % 3) % 2 == 0
        default: ((x + y) % 2 + (x * y) % 3) % 2 == 0
        }
    }

    /// Sets a module and marks it as part of a function pattern.
    private mutating func setFunction(x: Int, y: Int, dark isDark: Bool) {
        dark[y * size + x] = isDark
        isFunction[y * size + x] = true
    }

    /// A 7×7 finder pattern centred at (`centerX`, `centerY`) plus its light separator,
    /// clipped at the symbol edge.
    private mutating func drawFinderPattern(centerX: Int, centerY: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let x = centerX + dx
                let y = centerY + dy
                guard x >= 0, y >= 0, x < size, y < size else { continue }
                // Rings by Chebyshev distance: 3×3 core dark, ring 2 light, ring 3 dark, ring 4 separator.
                let ring = max(abs(dx), abs(dy))
                setFunction(x: x, y: y, dark: ring != 2 && ring != 4)
            }
        }
    }

    /// A 5×5 alignment pattern centred at (`centerX`, `centerY`): dark centre, light ring, dark border.
    private mutating func drawAlignmentPattern(centerX: Int, centerY: Int) {
        for dy in -2...2 {
            for dx in -2...2 {
                setFunction(x: centerX + dx, y: centerY + dy, dark: max(abs(dx), abs(dy)) != 1)
            }
        }
    }

    /// Writes both copies of the 15-bit format information; bit 0 is the least significant.
    private mutating func drawFormatBits(_ bits: Int) {
        func bit(_ index: Int) -> Bool { bits >> index & 1 == 1 }

        // Copy around the top-left finder: down column 8, then leftwards along row 8,
        // skipping the timing pattern at row/column 6.
        for index in 0...5 {
            setFunction(x: 8, y: index, dark: bit(index))
        }
        setFunction(x: 8, y: 7, dark: bit(6))
        setFunction(x: 8, y: 8, dark: bit(7))
        setFunction(x: 7, y: 8, dark: bit(8))
        for index in 9..<15 {
            setFunction(x: 14 - index, y: 8, dark: bit(index))
        }

        // Second copy split between the top-right (row 8) and bottom-left (column 8) finders.
        for index in 0..<8 {
            setFunction(x: size - 1 - index, y: 8, dark: bit(index))
        }
        for index in 8..<15 {
            setFunction(x: 8, y: size - 15 + index, dark: bit(index))
        }
    }

    /// Writes both 6×3 copies of the version information, next to the top-right and
    /// bottom-left finders; bit 0 is the least significant.
    private mutating func drawVersionInformation(_ version: Int) {
        let bits = QRCode.versionBits(version: version)
        for index in 0..<18 {
            let isDark = bits >> index & 1 == 1
            let along = index / 3
            let across = size - 11 + index % 3
            setFunction(x: across, y: along, dark: isDark)
            setFunction(x: along, y: across, dark: isDark)
        }
    }
}
