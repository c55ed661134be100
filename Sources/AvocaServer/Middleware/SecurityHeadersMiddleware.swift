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
        for field in SecurityHeaders.fixed where response.headers[field.name] == nil { response.headers.append(field) }
        if strictTransportSecurity && response.headers[.strictTransportSecurity] == nil {
            response.headers[.strictTransportSecurity] = "max-age=31536000"
        }
        let requestID = HTTPField.Name.requestID
        if response.headers[requestID] == nil { response.headers[requestID] = context.id }
        if request.uri.path.hasPrefix("/api/") && response.headers[.cacheControl] == nil {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }
}

/// The headers that are the same on every response, built once (they are on the path of every request).
enum SecurityHeaders {
    static let fixed: [HTTPField] = [
        HTTPField(
            name: .contentSecurityPolicy,
            value:
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        ),
        HTTPField(name: .xContentTypeOptions, value: "nosniff"),
        HTTPField(name: HTTPField.Name("X-Frame-Options")!, value: "DENY"),
        HTTPField(name: HTTPField.Name("Referrer-Policy")!, value: "no-referrer"),
        HTTPField(name: HTTPField.Name("Cross-Origin-Opener-Policy")!, value: "same-origin"),
        HTTPField(name: HTTPField.Name("Permissions-Policy")!, value: "camera=(), microphone=(), geolocation=()"),
    ]
}

extension HTTPField.Name {
    static let requestID = HTTPField.Name("X-Request-Id")!
}
