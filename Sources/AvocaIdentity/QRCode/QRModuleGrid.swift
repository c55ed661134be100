import Foundation

/// Working grid used while building a symbol: module colours plus which modules
/// belong to function patterns, which never carry data and are never masked.
struct QRModuleGrid {
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
                    let overlapsFinder =
                        (cx == first && cy == first) || (cx == first && cy == last)
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
