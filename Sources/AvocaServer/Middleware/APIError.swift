import AvocaCore
import Foundation
import Hummingbird
import OpenAPIRuntime

/// The one error shape of the API: `{"error": {"code", "message", "fields"?, "conflicting_job_ids"?, "owner_employee_id"?}}`.
struct APIError: HTTPResponseError {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var fields: [String: String]?
    var conflictingJobIDs: [String]?
    var ownerEmployeeID: String?
    var expectedSeq: Int?
    var retryAfter: Int?

    init(status: HTTPResponse.Status, code: String, message: String, fields: [String: String]? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
    }

    /// Maps a domain error to its HTTP form.
    init(_ error: DomainError) {
        switch error {
        case .validation(let message, let fields):
            self.init(status: .unprocessableContent, code: "validation_failed", message: message, fields: fields.isEmpty ? nil : fields)
        case .notFound(let entity):
            self.init(status: .notFound, code: "not_found", message: "No such \(entity.replacingOccurrences(of: "_", with: " ")).")
        case .unauthorized(let code, let message):
            self.init(status: .unauthorized, code: code, message: message)
        case .forbidden(let message, let code):
            self.init(status: .forbidden, code: code, message: message)
        case .conflict(let code, let message, let details):
            self.init(status: .conflict, code: code, message: message)
            conflictingJobIDs = details.conflictingJobIDs.isEmpty ? nil : details.conflictingJobIDs
            ownerEmployeeID = details.ownerEmployeeID
            expectedSeq = details.expectedSeq
        case .rateLimited(let retryAfter, let message):
            self.init(status: .tooManyRequests, code: "rate_limited", message: message)
            self.retryAfter = retryAfter
        case .badRequest(let message):
            self.init(status: .badRequest, code: "bad_request", message: message)
        }
    }

    var body: [String: Any] {
        var error: [String: Any] = ["code": code, "message": message]
        if let fields { error["fields"] = fields }
        if let conflictingJobIDs { error["conflicting_job_ids"] = conflictingJobIDs }
        if let ownerEmployeeID { error["owner_employee_id"] = ownerEmployeeID }
        if let expectedSeq { error["expected_seq"] = expectedSeq }
        return ["error": error]
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Turns every error escaping a handler into the API's JSON shape; 5xx are logged with detail but
/// answered with a generic message (never SQL or stack text).
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let mapped = Self.map(error)
            if mapped.status.code >= 500 {
                context.logger.error("request failed: \(String(reflecting: error))")
            } else {
                context.logger.debug("request rejected: \(mapped.code)")
            }
            return try mapped.response(from: request, context: context)
        }
    }

    static func map(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError: return error
        case let error as DomainError: return APIError(error)
        case let error as ServerError:
            // OpenAPIRuntime wraps both handler errors and decoding failures.
            if error.underlyingError is DomainError || error.underlyingError is APIError { return map(error.underlyingError) }
            // The database had no connection to spare in time: the server is busy, the request
            // was fine (it used to be answered 400 "malformed"). Matched by name: the type is
            // AsyncKit's, which this module does not import.
            if String(describing: type(of: error.underlyingError)) == "ConnectionPoolTimeoutError" {
                return APIError(status: .serviceUnavailable, code: "busy", message: "The server is busy right now. Please try again.")
            }
            // The input decoded and the runtime did not object (its own errors, such as an Accept
            // it cannot serve, concern the request), so the handler itself failed: a database
            // refused a connection or a statement failed. The request was fine.
            if error.operationInput != nil, !String(reflecting: type(of: error.underlyingError)).hasPrefix("OpenAPIRuntime.") {
                return APIError(status: .internalServerError, code: "internal_error", message: "Something went wrong on our side. Please try again.")
            }
            return APIError(
                status: .badRequest, code: "bad_request",
                message: "The request is malformed: \(Self.describe(error.underlyingError, hadBody: error.requestBody != nil))")
        case let error as HTTPError:
            let status = error.status
            return APIError(
                status: status, code: status == .notFound ? "not_found" : "http_\(status.code)", message: error.body ?? status.reasonPhrase)
        default:
            return APIError(status: .internalServerError, code: "internal_error", message: "Something went wrong on our side. Please try again.")
        }
    }

    /// A safe description of a request-decoding failure (names the field, never echoes internals).
    static func describe(_ error: any Error, hadBody: Bool = true) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context): return "missing field \(field(context.codingPath + [key]))."
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type for \(field(context.codingPath).nonEmpty ?? (hadBody ? "the body" : "a parameter"))."
        case DecodingError.dataCorrupted(let context):
            if !context.codingPath.isEmpty { return "invalid value for \(field(context.codingPath))." }
            return hadBody ? "the body is not valid JSON." : "a query or path parameter has an invalid value."
        default:
            return "check the JSON body, parameters and content type."
        }
    }
}

/// A coding path as a client writes it: `addresses[0].latitude`, not `addresses.Index 0.latitude`.
private func field(_ path: [any CodingKey]) -> String {
    path.reduce(into: "") { text, key in
        if let index = key.intValue, key.stringValue.hasPrefix("Index") {
            text += "[\(index)]"
        } else {
            text += text.isEmpty ? key.stringValue : "." + key.stringValue
        }
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
