import Hummingbird

/// Refuses request bodies over the configured size with 413 before any handler reads them.
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes {
            throw APIError(status: .contentTooLarge, code: "payload_too_large", message: "The request body is larger than \(maxBytes) bytes.")
        }
        // Bodies without a length (chunked) are collected up to the limit, which also throws when exceeded.
        var request = request
        if request.method != .get && request.method != .head && !request.uri.path.hasSuffix("/realtime") {
            do {
                _ = try await request.collectBody(upTo: maxBytes)
            } catch let error as HTTPError where error.status == .contentTooLarge {
                throw APIError(status: .contentTooLarge, code: "payload_too_large", message: "The request body is larger than \(maxBytes) bytes.")
            }
        }
        return try await next(request, context)
    }
}
