import HTTPTypes
import Hummingbird

/// Bounds request bodies (413 past the limit, before any handler reads them) and reads an empty
/// body as `{}`, so `curl -X POST` on an operation with an optional JSON body works. Refuses the
/// NUL character (U+0000) in the query and in JSON bodies: PostgreSQL cannot store it in text, so
/// it would otherwise fail deep in a handler (a 500) instead of as the client's mistake.
struct RequestBodyMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let tooLarge = APIError(status: .contentTooLarge, code: "payload_too_large", message: "The request body is larger than \(maxBytes) bytes.")
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes { throw tooLarge }
        if request.uri.path.hasPrefix("/api/"), let query = request.uri.query, query.utf8.containsPercentEncodedNUL { throw Self.nulRefused() }
        var request = request
        guard request.method != .get, request.method != .head, request.uri.path.hasPrefix("/api/") else { return try await next(request, context) }
        // Bodies without a length (chunked) are collected up to the limit, which throws when exceeded.
        let collected: ByteBuffer
        do {
            collected = try await request.collectBody(upTo: maxBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge
        }
        // Only JSON has the `\u0000` escape; in other bodies those six characters are just text.
        if request.headers[.contentType]?.lowercased().contains("json") == true, collected.containsJSONEscapedNUL { throw Self.nulRefused() }
        if collected.readableBytes == 0 && request.headers[.contentType] == nil {
            var head = request.head
            head.headerFields[.contentType] = "application/json"
            head.headerFields[.contentLength] = "2"
            request = Request(head: head, body: .init(buffer: ByteBuffer(string: "{}")))
        }
        return try await next(request, context)
    }

    private static func nulRefused() -> APIError {
        APIError(status: .badRequest, code: "bad_request", message: "The request is malformed: text may not contain the NUL character (U+0000).")
    }
}

extension String.UTF8View {
    /// Whether the text holds `%00`, a NUL once percent-decoded.
    var containsPercentEncodedNUL: Bool {
        var previous: (UInt8, UInt8) = (0, 0)
        for byte in self {
            if previous == (UInt8(ascii: "%"), UInt8(ascii: "0")) && byte == UInt8(ascii: "0") { return true }
            previous = (previous.1, byte)
        }
        return false
    }
}

extension ByteBuffer {
    /// Whether the readable bytes, read as JSON, hold `\u0000`. Each backslash escape is skipped
    /// whole, so an escaped backslash followed by `u0000` (the six characters, not a NUL) is not one.
    var containsJSONEscapedNUL: Bool {
        withUnsafeReadableBytes { bytes in
            var index = 0
            while index < bytes.count {
                guard bytes[index] == UInt8(ascii: "\\") else {
                    index += 1
                    continue
                }
                let escape = index + 1
                if escape + 4 < bytes.count, bytes[escape] == UInt8(ascii: "u"),
                    bytes[escape + 1] == UInt8(ascii: "0"), bytes[escape + 2] == UInt8(ascii: "0"),
                    bytes[escape + 3] == UInt8(ascii: "0"), bytes[escape + 4] == UInt8(ascii: "0")
                {
                    return true
                }
                index = escape + 1
            }
            return false
        }
    }
}
