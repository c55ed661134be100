import HTTPTypes
import Hummingbird

/// Adds the security headers of DESIGN §4 and the request id to every response.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Sends HSTS, when the public URL is https: a browser that once reached Avoca over TLS never
    /// again tries plain HTTP, where a network attacker could strip it.
    var strictTransportSecurity = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        let headers: [(HTTPField.Name, String)] =
            [
                (
                    .contentSecurityPolicy,
                    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
                ),
                (.xContentTypeOptions, "nosniff"),
                (HTTPField.Name("X-Frame-Options")!, "DENY"),
                (HTTPField.Name("Referrer-Policy")!, "no-referrer"),
                (HTTPField.Name("Cross-Origin-Opener-Policy")!, "same-origin"),
                (HTTPField.Name("Permissions-Policy")!, "camera=(), microphone=(), geolocation=()"),
                (HTTPField.Name("X-Request-Id")!, context.id),
            ] + (strictTransportSecurity ? [(.strictTransportSecurity, "max-age=31536000")] : [])
        for (name, value) in headers where response.headers[name] == nil { response.headers[name] = value }
        if request.uri.path.hasPrefix("/api/") && response.headers[.cacheControl] == nil {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }
}
