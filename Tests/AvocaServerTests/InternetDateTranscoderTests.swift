import Foundation
import OpenAPIRuntime
import Testing

@testable import AvocaServer

/// The API's dates are written by hand but must read and write exactly as the runtime's own
/// transcoder does.
@Suite("Dates in API bodies")
struct InternetDateTranscoderTests {
    @Test("dates are written as the runtime's .iso8601 writes them, and read with its parser")
    func sameAsRuntime() throws {
        let ours = InternetDateTranscoder()
        let runtime: any DateTranscoder = .iso8601
        var seconds = 1_709_251_199.75
        for _ in 0..<2_000 {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(try ours.encode(date) == runtime.encode(date), "\(seconds)")
            seconds = seconds * 1.000_7 - 86_399.9
        }
        for text in ["2041-03-04T10:00:00Z", "2041-03-04T10:00:00+01:00", "2041-03-04T10:00:00.250Z", "2041-02-30T10:00:00Z", "soon", ""] {
            #expect((try? ours.decode(text)) == (try? runtime.decode(text)), "\(text)")
        }
    }

    @Test("realtime payloads write their dates the same way")
    func realtimeEncoder() throws {
        struct Stamp: Encodable { let at: Date }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .internetDateTime
        let text = String(decoding: try encoder.encode(Stamp(at: Date(timeIntervalSince1970: 2_246_004_000.5))), as: UTF8.self)
        #expect(text == #"{"at":"2041-03-04T10:00:00Z"}"#)
    }
}
