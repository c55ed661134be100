import AvocaAPI
import AvocaCore
import AvocaDirectory
import Foundation
import HTTPTypes
import Hummingbird
@_spi(Generated) import OpenAPIRuntime

/// An OpenAPI operation answered by a plain route instead of its generated handler. The generated
/// path decodes through the OpenAPI runtime's converters and encodes with its own `JSONEncoder`;
/// for the hottest reads that was most of the CPU a request cost. `RecordingTransport` registers
/// the direct responder in the operation's place (same path, same router middleware), so the two
/// can never both be mounted, and the operation still counts as declared for `APIFallbackMiddleware`.
struct DirectRoute: Sendable {
    /// The operation's method and path as the generator registers them (`/api/customers/{customer_id}`).
    let method: HTTPRequest.Method
    let path: String
    /// The `operationId`, whose `OperationRules` entry decides who may call it.
    let operationID: String
    let handler: @Sendable (Request, AppRequestContext) async throws -> Response
}

/// The direct routes and what they need. Each one does, in order, what the generated server does
/// for its operation: the access rule (`OperationRules`, as `OperationAccessMiddleware` applies it),
/// the `Accept` header parse, the path parameter, the handler's lookup and errors, the `Accept`
/// check of a 200, and the spec's JSON; `DirectReadTests` compares both paths response by response.
struct DirectReads: Sendable {
    let customers: CustomerService
    /// The runtime's converter, for the `Accept` rules and the rare path segment that needs URI
    /// decoding: the same code the generated handler calls, so the answers cannot drift apart.
    let converter: Converter

    init(customers: CustomerService, configuration: Configuration) {
        self.customers = customers
        self.converter = Converter(configuration: configuration)
    }

    /// The operations served directly.
    var routes: [DirectRoute] {
        [DirectRoute(method: .get, path: "/api/customers/{customer_id}", operationID: "getCustomer", handler: getCustomer)]
    }

    /// `GET /customers/{customer_id}`.
    @Sendable func getCustomer(_ request: Request, context: AppRequestContext) async throws -> Response {
        try OperationRules.authorize("getCustomer", principal: RequestEnvironment.current.principal)
        try malformedAsBadRequest {
            _ =
                try converter.extractAcceptHeaderIfPresent(in: request.headers)
                as [AcceptHeaderContentType<Operations.GetCustomer.AcceptableContentType>]
        }
        let raw = context.parameters.get("customer_id") ?? ""
        let id: CustomerID
        if let parsed = CustomerID(raw) {
            // A UUID has nothing to percent-decode: the common case skips the URI decoder.
            id = parsed
        } else {
            let decoded = try malformedAsBadRequest {
                try converter.getPathParameterAsURI(in: ["customer_id": Substring(raw)], name: "customer_id", as: String.self)
            }
            id = try APIHandler.customerID(decoded)
        }
        let customer = try await customers.customer(id)
        try malformedAsBadRequest { try converter.validateAcceptIfPresent("application/json", in: request.headers) }
        return Self.json(CustomerJSON.encodedBytes(customer))
    }

    /// A 200 with the headers the OpenAPI runtime gives a JSON body.
    static func json(_ body: [UInt8]) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// Runs `body`, answering a failure the way `ErrorMiddleware` answers the runtime's own
    /// request-decoding errors (`400 bad_request`), since here they are not wrapped in a `ServerError`.
    private func malformedAsBadRequest<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw APIError(
                status: .badRequest, code: "bad_request",
                message: "The request is malformed: \(ErrorMiddleware<AppRequestContext>.describe(error, hadBody: true))")
        }
    }
}
