import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIRuntime
import Testing

@testable import AvocaServer

@Suite("Errors: a failure is the client's only when the request was wrong")
struct ErrorMappingTests {
    struct PoolTimedOut: Error {}

    func wrapped(_ underlying: any Error, decodedInput: Bool) -> ServerError {
        ServerError(
            operationID: "getCustomer", request: HTTPRequest(method: .get, scheme: nil, authority: nil, path: "/customers/1"), requestBody: nil,
            requestMetadata: ServerRequestMetadata(), operationInput: decodedInput ? "input" : nil, operationOutput: nil,
            causeDescription: "failed", underlyingError: underlying)
    }

    @Test("a handler that fails after its input was decoded (the database pool timed out) answers 500, not 400 malformed")
    func handlerFailure() {
        let mapped = ErrorMiddleware<AppRequestContext>.map(wrapped(PoolTimedOut(), decodedInput: true))
        #expect(mapped.status == .internalServerError)
        #expect(mapped.code == "internal_error")
    }

    @Test("input that cannot be decoded is still 400 bad_request")
    func decodingFailure() {
        let decoding = DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not JSON"))
        let mapped = ErrorMiddleware<AppRequestContext>.map(wrapped(decoding, decodedInput: false))
        #expect(mapped.status == .badRequest)
        #expect(mapped.code == "bad_request")
    }
}
