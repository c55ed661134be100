import HTTPTypes
import Hummingbird

/// Bounds request bodies (413 past the limit, before any handler reads them) and reads an empty
/// body as `{}`, so `curl -X POST` on an operation with an optional JSON body works.
struct RequestBodyMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let tooLarge = APIError(status: .contentTooLarge, code: "payload_too_large", message: "The request body is larger than \(maxBytes) bytes.")
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes { throw tooLarge }
        var request = request
        guard request.method != .get, request.method != .head, request.uri.path.hasPrefix("/api/") else { return try await next(request, context) }
        // Bodies without a length (chunked) are collected up to the limit, which throws when exceeded.
        let collected: ByteBuffer
        do {
            collected = try await request.collectBody(upTo: maxBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge
        }
        if collected.readableBytes == 0 && request.headers[.contentType] == nil {
            var head = request.head
            head.headerFields[.contentType] = "application/json"
            head.headerFields[.contentLength] = "2"
            request = Request(head: head, body: .init(buffer: ByteBuffer(string: "{}")))
        }
        return try await next(request, context)
    }
}
