import Hummingbird

/// Refuses, with 403, a cross-origin request to the endpoints a browser's ambient credentials
/// reach: the cookie-based refresh and the realtime upgrade (DESIGN §4, same-origin by default).
struct OriginCheckMiddleware<Context: RequestContext>: RouterMiddleware {
    let policy: OriginPolicy
    /// The guarded paths.
    static var paths: Set<String> { ["/api/auth/refresh-token", "/api/realtime"] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.paths.contains(request.uri.path), !policy.allows(request.headers[values: .origin]) {
            throw APIError(status: .forbidden, code: "origin_not_allowed", message: "This request must come from the Avoca console's own origin.")
        }
        return try await next(request, context)
    }
}
