import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIRuntime
import Testing

@testable import AvocaServer

@Suite("Errors: a failure is the client's only when the request was wrong")
struct ErrorMappingTests {
    /// Stands in for AsyncKit's error of the same name (the mapping matches the type's name).
    enum ConnectionPoolTimeoutError: Error { case connectionRequestTimeout }

    func wrapped(_ underlying: any Error, decodedInput: Bool) -> ServerError {
        ServerError(
            operationID: "getCustomer", request: HTTPRequest(method: .get, scheme: nil, authority: nil, path: "/customers/1"), requestBody: nil,
            requestMetadata: ServerRequestMetadata(), operationInput: decodedInput ? "input" : nil, operationOutput: nil,
            causeDescription: "failed", underlyingError: underlying)
    }

    @Test("a handler whose database pool timed out answers 503 busy, not 400 malformed")
    func poolTimeout() {
        let mapped = ErrorMiddleware<AppRequestContext>.map(wrapped(ConnectionPoolTimeoutError.connectionRequestTimeout, decodedInput: true))
        #expect(mapped.status == .serviceUnavailable)
        #expect(mapped.code == "busy")
    }

    @Test("input that cannot be decoded is still 400 bad_request")
    func decodingFailure() {
        let decoding = DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not JSON"))
        let mapped = ErrorMiddleware<AppRequestContext>.map(wrapped(decoding, decodedInput: false))
        #expect(mapped.status == .badRequest)
        #expect(mapped.code == "bad_request")
    }

    /// A database error as PostgresNIO or SQLite would throw it from inside a handler.
    struct StatementFailed: Error {}

    @Test("a handler whose statement failed after the input decoded answers 500, not 400 malformed")
    func handlerFailure() {
        let mapped = ErrorMiddleware<AppRequestContext>.map(wrapped(StatementFailed(), decodedInput: true))
        #expect(mapped.status == .internalServerError)
        #expect(mapped.code == "internal_error")
        #expect(!mapped.message.contains("StatementFailed"), "no internals in the answer")
    }
}
