import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Housecall Pro clients expect nullable fields to be present as `null`, but the generated
/// encoders omit `nil` values. This writes the missing nullable keys back into JSON responses,
/// recognising each object by a field only it has.
struct ExplicitNullMiddleware: ServerMiddleware {
    /// (a key only this kind of object has, the nullable keys it must always carry)
    static let shapes: [(marker: String, nullable: [String])] = [
        (
            "notifications_enabled",
            ["first_name", "last_name", "email", "mobile_number", "home_number", "work_number", "company", "lead_source", "notes"]
        ),
        ("zip", ["street", "street_line_2", "city", "state", "zip", "country", "latitude", "longitude"]),
        ("work_status", ["name", "description", "lead_source", "original_estimate_id"]),
        ("arrival_window", ["scheduled_start", "scheduled_end"]),
        ("on_my_way_at", ["on_my_way_at", "started_at", "completed_at"]),
        ("permissions", ["mobile_number", "color_hex", "avatar_url"]),
        ("phone_call_id", ["end_date_time", "employee_id", "employee_name", "customer_id", "job_id", "outcome", "notes", "end_reason"]),
    ]

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var (response, responseBody) = try await next(request, body, metadata)
        guard let responseBody, response.headerFields[.contentType]?.hasPrefix("application/json") == true else {
            return (response, responseBody)
        }
        let data = try await Data(collecting: responseBody, upTo: 64 * 1024 * 1024)
        guard let object = try? JSONSerialization.jsonObject(with: data),
            let filled = try? JSONSerialization.data(withJSONObject: Self.fill(object), options: [.sortedKeys, .withoutEscapingSlashes])
        else { return (response, HTTPBody(data)) }
        response.headerFields[.contentLength] = String(filled.count)
        return (response, HTTPBody(filled))
    }

    static func fill(_ value: Any) -> Any {
        if let array = value as? [Any] { return array.map(fill) }
        guard var object = value as? [String: Any] else { return value }
        for (key, child) in object { object[key] = fill(child) }
        for shape in shapes where object[shape.marker] != nil {
            for key in shape.nullable where object[key] == nil { object[key] = NSNull() }
        }
        return object
    }
}
