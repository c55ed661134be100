import Foundation
import Testing

@testable import AvocaIdentity

/// Checks the QR encoder against published facts of ISO/IEC 18004 and, end to end,
/// against an independent decoder (zbar) reading the rendered SVG.
@Suite struct QRCodeTests {
    /// A realistic TOTP enrolment URI, 135 bytes.
    static let otpauthURI =
        "otpauth://totp/avoca-ai:someone%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=avoca-ai&algorithm=SHA1&digits=6&period=30"

    /// `count` printable ASCII bytes in a fixed, irregular order, so failures are reproducible.
    static func printableBytes(_ count: Int) -> [UInt8] {
        (0..<count).map { index -> UInt8 in
            let step: Int = index * 37 + index / 7
            return UInt8(33 + step % 94)
        }
    }

    // MARK: Version selection

    @Test("version 1 at level M holds 14 bytes; the 15th moves to version 2")
    func versionOneMedium() throws {
        #expect(try QRCode(bytes: Self.printableBytes(14), errorCorrection: .medium).version == 1)
        #expect(try QRCode(bytes: Self.printableBytes(15), errorCorrection: .medium).version == 2)
    }

    @Test("version 1 holds 17 bytes at L, 11 at Q and 7 at H")
    func versionOneOtherLevels() throws {
        #expect(try QRCode(bytes: Self.printableBytes(17), errorCorrection: .low).version == 1)
        #expect(try QRCode(bytes: Self.printableBytes(18), errorCorrection: .low).version == 2)
        #expect(try QRCode(bytes: Self.printableBytes(11), errorCorrection: .quartile).version == 1)
        #expect(try QRCode(bytes: Self.printableBytes(12), errorCorrection: .quartile).version == 2)
        #expect(try QRCode(bytes: Self.printableBytes(7), errorCorrection: .high).version == 1)
        #expect(try QRCode(bytes: Self.printableBytes(8), errorCorrection: .high).version == 2)
    }

    @Test("the default level is M")
    func defaultLevel() throws {
        let code = try QRCode(text: "avoca")
        #expect(code.errorCorrection == .medium)
    }

    @Test("the 16-bit byte count from version 10 on is accounted for: 180 bytes fit version 9 at M, 181 need version 10")
    func characterCountWidth() throws {
        #expect(try QRCode(bytes: Self.printableBytes(180)).version == 9)
        #expect(try QRCode(bytes: Self.printableBytes(181)).version == 10)
    }

    @Test("a realistic otpauth URI needs version 8 at M, which carries version information")
    func otpauthVersion() throws {
        let code = try QRCode(text: Self.otpauthURI)
        #expect(Self.otpauthURI.utf8.count == 135)
        #expect(code.version == 8)
        #expect(code.size == 49)
    }

    @Test("version 40 holds 2953 bytes at L and 2331 at M; one more byte throws tooLong")
    func versionFortyLimits() throws {
        #expect(try QRCode(bytes: Self.printableBytes(2953), errorCorrection: .low).version == 40)
        #expect(try QRCode(bytes: Self.printableBytes(2331), errorCorrection: .medium).version == 40)
        #expect(throws: QRCode.EncodingError.tooLong) {
            try QRCode(bytes: Self.printableBytes(2954), errorCorrection: .low)
        }
        #expect(throws: QRCode.EncodingError.tooLong) {
            try QRCode(bytes: Self.printableBytes(2332), errorCorrection: .medium)
        }
        #expect(throws: QRCode.EncodingError.tooLong) {
            try QRCode(bytes: Self.printableBytes(1274), errorCorrection: .high)
        }
    }

    @Test("codeword totals match the standard: 26 at version 1, 44 at 2, 196 at 7, 3706 at 40")
    func codewordTotals() {
        #expect(QRCode.totalCodewordCount(version: 1) == 26)
        #expect(QRCode.totalCodewordCount(version: 2) == 44)
        #expect(QRCode.totalCodewordCount(version: 7) == 196)
        #expect(QRCode.totalCodewordCount(version: 40) == 3706)
        #expect(QRCode.dataCodewordCount(version: 40, errorCorrection: .low) == 2956)
        #expect(QRCode.dataCodewordCount(version: 40, errorCorrection: .medium) == 2334)
        #expect(QRCode.dataCodewordCount(version: 40, errorCorrection: .quartile) == 1666)
        #expect(QRCode.dataCodewordCount(version: 40, errorCorrection: .high) == 1276)
    }

    @Test("text is encoded as its UTF-8 bytes")
    func textIsUTF8() throws {
        let text = "Grüße, 日本"
        let fromText = try QRCode(text: text)
        let fromBytes = try QRCode(bytes: Array(text.utf8))
        #expect(fromText.size == fromBytes.size)
        let same = (0..<fromText.size).allSatisfy { y in
            (0..<fromText.size).allSatisfy { x in fromText.isDark(x: x, y: y) == fromBytes.isDark(x: x, y: y) }
        }
        #expect(same)
    }

    // MARK: Codewords and BCH codes

    @Test("Reed–Solomon codewords match the well-known HELLO WORLD 1-M example")
    func reedSolomonExample() {
        let data: [UInt8] = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]
        let codewords = QRCode.finalCodewords(data: data, version: 1, errorCorrection: .medium)
        #expect(Array(codewords.prefix(16)) == data)
        #expect(Array(codewords.suffix(10)) == [196, 35, 39, 119, 235, 215, 231, 226, 93, 23])
    }

    @Test("data codewords are mode, count, bytes, terminator and alternating pad bytes")
    func dataCodewordLayout() {
        let codewords = QRCode.dataCodewords(bytes: Array("hi".utf8), version: 1, errorCorrection: .medium)
        // 0100 | 00000010 | 01101000 | 01101001 | 0000, then pad codewords.
        #expect(codewords == [0x40, 0x26, 0x86, 0x90, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11])
    }

    @Test("format information matches the standard's table")
    func formatInformation() {
        #expect(QRCode.formatBits(errorCorrection: .medium, mask: 0) == 0b1010100_00010010)
        #expect(QRCode.formatBits(errorCorrection: .low, mask: 0) == 0b1110111_11000100)
        #expect(QRCode.formatBits(errorCorrection: .medium, mask: 3) == 0b1011011_01001011)
        #expect(QRCode.formatBits(errorCorrection: .high, mask: 7) == 0b0001000_00111011)
    }

    @Test("version information matches the standard's table")
    func versionInformation() {
        #expect(QRCode.versionBits(version: 7) == 0x07C94)
        #expect(QRCode.versionBits(version: 8) == 0x085BC)
        #expect(QRCode.versionBits(version: 40) == 0x28C69)
    }

    // MARK: Symbol structure

    @Test("finder patterns with separators sit at the top-left, top-right and bottom-left corners")
    func finderPatterns() throws {
        for length in [1, 135, 600] {
            let code = try QRCode(bytes: Self.printableBytes(length))
            #expect(code.size == 4 * code.version + 17)
            for (left, top) in [(0, 0), (code.size - 7, 0), (0, code.size - 7)] {
                for dy in -1...7 {
                    for dx in -1...7 {
                        let x = left + dx
                        let y = top + dy
                        guard x >= 0, y >= 0, x < code.size, y < code.size else { continue }
                        // Dark outer ring and 3×3 core; light inner ring and separator.
                        let ring = max(abs(dx - 3), abs(dy - 3))
                        #expect(code.isDark(x: x, y: y) == (ring != 2 && ring != 4), "module (\(x), \(y))")
                    }
                }
            }
        }
    }

    @Test("timing patterns alternate and the dark module is set")
    func timingAndDarkModule() throws {
        let code = try QRCode(text: Self.otpauthURI)
        for index in 8..<(code.size - 8) {
            #expect(code.isDark(x: index, y: 6) == index.isMultiple(of: 2))
            #expect(code.isDark(x: 6, y: index) == index.isMultiple(of: 2))
        }
        #expect(code.isDark(x: 8, y: code.size - 8))
    }

    @Test("both copies of the format information carry the level and the chosen mask")
    func formatInformationPlacement() throws {
        let code = try QRCode(text: Self.otpauthURI, errorCorrection: .quartile)
        let expected = QRCode.formatBits(errorCorrection: .quartile, mask: code.mask)
        var first = 0
        var second = 0
        // Bit 14 first: along row 8 left of the top-left finder, then up column 8.
        let firstPositions = [
            (0, 8), (1, 8), (2, 8), (3, 8), (4, 8), (5, 8), (7, 8), (8, 8),
            (8, 7), (8, 5), (8, 4), (8, 3), (8, 2), (8, 1), (8, 0),
        ]
        for (x, y) in firstPositions {
            first = first << 1 | (code.isDark(x: x, y: y) ? 1 : 0)
        }
        // Bit 14 first: up column 8 under the bottom-left finder, then along row 8 to the right edge.
        for index in stride(from: 14, through: 8, by: -1) {
            second = second << 1 | (code.isDark(x: 8, y: code.size - 15 + index) ? 1 : 0)
        }
        for index in stride(from: 7, through: 0, by: -1) {
            second = second << 1 | (code.isDark(x: code.size - 1 - index, y: 8) ? 1 : 0)
        }
        #expect(first == expected)
        #expect(second == expected)
    }

    @Test("version information is placed beside the top-right and bottom-left finders from version 7")
    func versionInformationPlacement() throws {
        let code = try QRCode(text: Self.otpauthURI)
        let expected = QRCode.versionBits(version: code.version)
        var topRight = 0
        var bottomLeft = 0
        for index in stride(from: 17, through: 0, by: -1) {
            topRight = topRight << 1 | (code.isDark(x: code.size - 11 + index % 3, y: index / 3) ? 1 : 0)
            bottomLeft = bottomLeft << 1 | (code.isDark(x: index / 3, y: code.size - 11 + index % 3) ? 1 : 0)
        }
        #expect(topRight == expected)
        #expect(bottomLeft == expected)
    }

    @Test("modules outside the symbol read as light")
    func outsideIsLight() throws {
        let code = try QRCode(text: "avoca")
        #expect(!code.isDark(x: -1, y: 0))
        #expect(!code.isDark(x: 0, y: code.size))
    }

    // MARK: SVG

    @Test("the SVG has a 4-module quiet zone in its viewBox and 6 px modules by default")
    func svgViewBox() throws {
        let code = try QRCode(bytes: Self.printableBytes(10))
        #expect(code.version == 1)
        let svg = code.svg()
        #expect(svg.hasPrefix("<svg "))
        #expect(svg.contains(#"viewBox="0 0 29 29""#))
        #expect(svg.contains(#"width="174" height="174""#))
        #expect(svg.contains(#"shape-rendering="crispEdges""#))
        #expect(svg.contains(##"<rect width="29" height="29" fill="#ffffff"/>"##))
        #expect(svg.components(separatedBy: "<path").count == 2)
        // The top-left finder's first row starts inside the quiet zone at (4, 4).
        #expect(svg.contains(#"d="M4 4h7v1h-7z"#))
    }

    @Test("moduleSize scales the width and height but not the viewBox")
    func svgModuleSize() throws {
        let svg = try QRCode(text: Self.otpauthURI).svg(moduleSize: 10)
        #expect(svg.contains(#"viewBox="0 0 57 57""#))
        #expect(svg.contains(#"width="570" height="570""#))
    }

    // MARK: Round trip through an independent decoder

    /// One input for the round trip through the external tools.
    struct RoundTripCase: Sendable, CustomTestStringConvertible {
        /// Shown in the test report.
        let name: String
        /// The bytes to encode.
        let bytes: [UInt8]
        /// The level to encode them at.
        let errorCorrection: QRCode.ErrorCorrection

        /// The name, so a failing case is identifiable in the report.
        var testDescription: String { name }
    }

    /// Inputs for the round trip: short, realistic, long enough for version info (≥ 7), and non-ASCII.
    static let roundTripCases: [RoundTripCase] = [
        RoundTripCase(name: "short text", bytes: Array("avoca".utf8), errorCorrection: .medium),
        RoundTripCase(name: "otpauth URI at M", bytes: Array(otpauthURI.utf8), errorCorrection: .medium),
        RoundTripCase(name: "otpauth URI at L", bytes: Array(otpauthURI.utf8), errorCorrection: .low),
        RoundTripCase(name: "otpauth URI at H", bytes: Array(otpauthURI.utf8), errorCorrection: .high),
        RoundTripCase(name: "600 bytes at M", bytes: printableBytes(600), errorCorrection: .medium),
        RoundTripCase(name: "600 bytes at Q", bytes: printableBytes(600), errorCorrection: .quartile),
        RoundTripCase(name: "UTF-8 text", bytes: Array("Grüße aus Zürich, 日本語 😀".utf8), errorCorrection: .medium),
    ]

    @Test("rendered SVGs decode back to the input with rsvg-convert and zbarimg", arguments: QRCodeTests.roundTripCases)
    func roundTrip(input: RoundTripCase) throws {
        // The project's test script installs both tools; a missing tool is a failure, not a skip,
        // so that a broken environment cannot hide a broken encoder.
        let rsvgConvert = try #require(
            Self.executable(named: "rsvg-convert"),
            "rsvg-convert not found on PATH: install the Debian package librsvg2-bin")
        let zbarimg = try #require(
            Self.executable(named: "zbarimg"),
            "zbarimg not found on PATH: install the Debian package zbar-tools")

        let code = try QRCode(bytes: input.bytes, errorCorrection: input.errorCorrection)
        if input.bytes.count >= 600 {
            #expect(code.version >= 7, "long input should exercise version information")
        }

        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("avoca-qr-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let svgFile = directory.appendingPathComponent("code.svg")
        let pngFile = directory.appendingPathComponent("code.png")
        try code.svg().write(to: svgFile, atomically: true, encoding: .utf8)

        let render = try Self.run(rsvgConvert, [svgFile.path, "-o", pngFile.path])
        try #require(render.status == 0, "rsvg-convert failed for \(input.name): \(render.errors)")

        // Only the QR reader is enabled: zbar's 1-D readers occasionally "find" a
        // barcode in the random-looking module pattern and add it to the output.
        // qrcode.binary hands back the raw bytes instead of zbar's charset guess.
        let decode = try Self.run(
            zbarimg, ["-q", "--raw", "-Sdisable", "-Sqrcode.enable", "-Sqrcode.binary", pngFile.path])
        try #require(
            decode.status == 0, "zbarimg found no QR code for \(input.name) (version \(code.version)): \(decode.errors)")
        // --raw ends the data with a newline of its own.
        var decoded = [UInt8](decode.output)
        if decoded.last == 0x0A {
            decoded.removeLast()
        }
        #expect(decoded == input.bytes, "decoded bytes differ for \(input.name)")
    }

    /// The first executable called `name` on `PATH`, as a shell would find it.
    static func executable(named name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        return nil
    }

    /// Runs `tool` to completion and collects its exit status, standard output and standard error.
    static func run(_ tool: URL, _ arguments: [String]) throws -> (status: Int32, output: Data, errors: String) {
        let process = Process()
        process.executableURL = tool
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read before waiting: a tool blocked on a full pipe would otherwise never exit.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, outputData, String(decoding: errorData, as: UTF8.self))
    }
}
