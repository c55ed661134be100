import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIHummingbird
import OpenAPIRuntime
import Synchronization

/// The (method, path template) of every registered API operation.
final class RouteRecorder: Sendable {
    private let routes = Mutex<[(HTTPRequest.Method, [Substring])]>([])

    func record(method: HTTPRequest.Method, path: String) {
        routes.withLock { $0.append((method, path.split(separator: "/"))) }
    }

    /// The methods registered for templates matching `path` (`{param}` matches any one segment).
    func methods(matching path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/")
        return routes.withLock { routes in
            routes.filter { _, template in
                template.count == segments.count
                    && zip(template, segments).allSatisfy { pattern, segment in pattern.hasPrefix("{") || pattern == segment }
            }.map(\.0)
        }
    }
}

/// Registers OpenAPI operations on the router and remembers them for `APIFallbackMiddleware`. An
/// operation with a `DirectRoute` gets that responder in place of the generated one (Hummingbird
/// allows one responder per method and path).
struct RecordingTransport: ServerTransport {
    let router: Router<AppRequestContext>
    let recorder: RouteRecorder
    var directRoutes: [DirectRoute] = []

    func register(
        _ handler: @escaping @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?),
        method: HTTPRequest.Method, path: String
    ) throws {
        recorder.record(method: method, path: path)
        if let direct = directRoutes.first(where: { $0.method == method && $0.path == path }) {
            router.on(RouterPath(path), method: method) { request, context in try await direct.handler(request, context) }
        } else {
            router.register(handler, method: method, path: path)
        }
    }

    /// Fails unless every direct route replaced an operation of the spec: one whose path or
    /// method changed in openapi.yaml would otherwise be silently dropped.
    func checkDirectRoutesRegistered() throws {
        for route in directRoutes where !recorder.methods(matching: route.path).contains(route.method) {
            throw ConfigurationError(problems: ["direct route \(route.method) \(route.path) matches no operation of openapi.yaml"])
        }
    }
}

/// Under /api, an unknown path is a JSON 404 and a known path with an undeclared method a 405
/// with `Allow` — never the console's HTML or a 401.
struct APIFallbackMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteRecorder

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && request.uri.path.hasPrefix("/api/") {
            let allowed = routes.methods(matching: request.uri.path)
            guard !allowed.isEmpty else {
                throw APIError(status: .notFound, code: "not_found", message: "There is no API endpoint at \(request.uri.path).")
            }
            var response = try APIError(
                status: .methodNotAllowed, code: "method_not_allowed",
                message: "\(request.method) is not allowed here; use \(allowed.map(\.rawValue).joined(separator: ", "))."
            )
            .response(from: request, context: context)
            response.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
            return response
        }
    }
}
