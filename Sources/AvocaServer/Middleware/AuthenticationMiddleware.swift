import AvocaIdentity
import HTTPTypes
import Hummingbird

/// Resolves `Authorization: Bearer <access JWT>` or `Authorization: Token <api key>` (Housecall
/// Pro's scheme) into a `Principal` and publishes it, with client info and cookies, for the handlers.
/// It never rejects: which operations need which principal is decided by `OperationAccessMiddleware`.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let identity: IdentityService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var principal: Principal?
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2 {
                switch parts[0].lowercased() {
                case "bearer": principal = try await identity.authenticate(accessToken: parts[1]).map(Principal.employee)
                case "token": principal = try await identity.authenticate(apiKey: parts[1]).map(Principal.apiKey)
                default: break
                }
            }
        }
        let environment = RequestEnvironment(
            principal: principal,
            client: ClientInfo(ipAddress: context.remoteAddress?.ipAddress, userAgent: request.headers[.userAgent]),
            cookies: Self.cookies(request.headers[values: .cookie]), requestID: context.id)
        var response = try await RequestEnvironment.$current.withValue(environment) { try await next(request, context) }
        for cookie in environment.responseCookies.all { response.headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return response
    }

    static func cookies(_ headers: [String]) -> [String: String] {
        var cookies: [String: String] = [:]
        for header in headers {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { cookies[parts[0].trimmingCharacters(in: .whitespaces)] = String(parts[1]).trimmingCharacters(in: .whitespaces) }
            }
        }
        return cookies
    }
}
