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

        var unmasked = QRModuleGrid(version: version)
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
    private static func masked(_ grid: QRModuleGrid, mask: Int, errorCorrection: ErrorCorrection) -> QRModuleGrid {
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
            - QRTables.ecCodewordsPerBlock[row][version] * QRTables.blockCount[row][version]
    }

    /// Row/column coordinates of alignment pattern centres (ISO/IEC 18004 annex E);
    /// every combination is used except the three that fall on finder patterns.
    static func alignmentPatternCenters(version: Int) -> [Int] {
        QRTables.alignmentPatternCenters[version]
    }
}

// MARK: - Codewords

extension QRCode {
    /// Builds the data codewords: mode indicator, byte count, the bytes, terminator and padding.
    static func dataCodewords(bytes: [UInt8], version: Int, errorCorrection: ErrorCorrection) -> [UInt8] {
        let capacity = dataCodewordCount(version: version, errorCorrection: errorCorrection)
        var bits = QRBitBuffer()
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
        let blockCount = QRTables.blockCount[row][version]
        let ecLength = QRTables.ecCodewordsPerBlock[row][version]
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

// MARK: - QRTables
