import AvocaCore
import Foundation
import HTTPTypes
import Testing

@testable import AvocaServer

/// `GET /customers/{customer_id}` is answered by a direct route (`DirectReads`) instead of its
/// generated handler. Each test sends the same request to two instances on one database — one
/// with the direct route, one built with `directReads` off, so the generated handler answers —
/// and holds the answers equal: status, headers, and the body read back as JSON (a missing,
/// renamed or dropped-`null` key makes the two differ).
@Suite("The direct customer read answers exactly as the generated handler", .timeLimit(.minutes(4)))
struct DirectReadTests {
    /// The same request to both instances; `fast` must be the direct route's own rendering.
    @discardableResult
    func same(
        _ direct: Harness, _ generated: Harness, _ path: String, bearer: String? = nil, token: String? = nil, headers: HTTPFields = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> APIResponse {
        let fast = try await direct.request(.get, path, bearer: bearer, token: token, headers: headers)
        let slow = try await generated.request(.get, path, bearer: bearer, token: token, headers: headers)
        #expect(fast.status == slow.status, "\(path): status", sourceLocation: sourceLocation)
        #expect(
            try Self.canonical(fast.data) == Self.canonical(slow.data),
            "\(path): bodies differ\ndirect:    \(String(decoding: fast.data, as: UTF8.self))\ngenerated: \(String(decoding: slow.data, as: UTF8.self))",
            sourceLocation: sourceLocation)
        #expect(Self.comparable(fast.headers) == Self.comparable(slow.headers), "\(path): headers", sourceLocation: sourceLocation)
        return fast
    }

    /// The body parsed and written again with sorted keys: equal for equal JSON whatever the key
    /// order (the generated encoder's order varies from run to run); `null`s stay.
    static func canonical(_ data: Data) throws -> String {
        let value = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        return String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
    }

    /// Every header but the per-request id, as name/value pairs in order.
    static func comparable(_ headers: HTTPFields) -> [String] {
        headers.filter { $0.name.canonicalName != "x-request-id" }.map { "\($0.name.canonicalName): \($0.value)" }
    }

    /// Runs `body` on the direct instance and the generated one, over one database.
    func withBothPaths(_ body: @escaping @Sendable (Harness, Harness) async throws -> Void) async throws {
        try await Harness.runPair(configureSecond: { $0.directReads = false }, body)
    }

    @Test("sparse and full customers — nulls, several addresses, tags, Unicode, quotes and control characters — read back identically")
    func bodies() async throws {
        try await withBothPaths { direct, generated in
            let admin = try await direct.enrolledEmployee("admin@example.com")
            let hostile = "say \"hi\" \\ back\\slash\nline\ttab\u{1}\u{1f} </script> 🚰 Ünïcödé e\u{301} \u{2028}"
            let sparse = try await direct.request(.post, "/api/customers", json: ["first_name": "Ann"], bearer: admin.accessToken)
            let full = try await direct.request(
                .post, "/api/customers",
                json: [
                    "first_name": "Zoë \"Z\"", "last_name": "O'Brien\\Ng", "email": "zoe@example.com", "company": "Ünïcödé Plumbing/Heating",
                    "mobile_number": "+15125550100", "home_number": "(512) 555-0101", "work_number": "512.555.0102", "lead_source": "phone",
                    "notes": hostile, "notifications_enabled": true, "tags": ["vip", "say \"hi\"", "ü", ""],
                    "addresses": [
                        ["street": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701", "country": "US"],
                        [
                            "type": "billing", "street": "2 \"Quoted\" Ave", "street_line_2": "Apt 4\\B", "city": "São Paulo", "state": "SP",
                            "zip": "01000", "country": "BR", "latitude": 30.25, "longitude": -97.75,
                        ],
                        ["street": "3 Elm St", "street_line_2": "Suite 🚪", "city": "Austin", "state": "TX", "zip": "78702", "country": "US"],
                    ],
                ], bearer: admin.accessToken)
            try #require(sparse.status == .created && full.status == .created)
            for created in [sparse, full] {
                let id = try #require(created["id"] as? String)
                let read = try await same(direct, generated, "/api/customers/\(id)", bearer: admin.accessToken)
                #expect(read.status == .ok)
                // The direct route wrote this body (not the generated handler, which would also pass the comparison).
                let customer = try await direct.services.customers.customer(try #require(CustomerID(id)))
                #expect(String(decoding: read.data, as: UTF8.self) == CustomerJSON.encoded(customer))
            }
            let addresses = try #require(full["addresses"] as? [[String: Any]])
            #expect(addresses.count == 3)
            let sparseRead = try await direct.request(.get, "/api/customers/\(try #require(sparse["id"] as? String))", bearer: admin.accessToken)
            #expect(sparseRead["email"] is NSNull && sparseRead["notes"] is NSNull, "empty fields are explicit nulls")
            #expect((sparseRead["addresses"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("credentials are checked by the operation's rule: none or bad is 401, a key without directory:read is 403")
    func access() async throws {
        try await withBothPaths { direct, generated in
            let admin = try await direct.enrolledEmployee("admin@example.com")
            let created = try await direct.request(.post, "/api/customers", json: ["first_name": "Ann"], bearer: admin.accessToken)
            let path = "/api/customers/\(try #require(created["id"] as? String))"
            let (_, reader) = try await direct.services.identity.createAPIKey(name: "sync", scopes: [.directoryRead])
            let (_, ingest) = try await direct.services.identity.createAPIKey(name: "bridge", scopes: [.callsIngest, .callsRead])
            let (revokedKey, revoked) = try await direct.services.identity.createAPIKey(name: "old", scopes: [.directoryRead])
            try await direct.services.identity.revokeAPIKey(revokedKey.id)

            #expect(try await same(direct, generated, path).status == .unauthorized)
            #expect(try await same(direct, generated, path, bearer: "not-a-jwt").status == .unauthorized)
            #expect(try await same(direct, generated, path, token: "not-a-key").status == .unauthorized)
            #expect(try await same(direct, generated, path, token: revoked).status == .unauthorized)
            #expect(try await same(direct, generated, path, headers: [.authorization: "Basic YWRtaW46YWRtaW4="]).status == .unauthorized)
            let refused = try await same(direct, generated, path, token: ingest)
            #expect(refused.status == .forbidden && refused.errorMessage?.contains("directory:read") == true)
            #expect(try await same(direct, generated, path, token: reader).status == .ok)
            #expect(try await same(direct, generated, path, bearer: admin.accessToken).status == .ok)
        }
    }

    @Test("unknown and malformed ids are 404, percent-encoded ids decode, and Accept is enforced as the runtime does")
    func errors() async throws {
        try await withBothPaths { direct, generated in
            let admin = try await direct.enrolledEmployee("admin@example.com")
            let created = try await direct.request(.post, "/api/customers", json: ["first_name": "Ann"], bearer: admin.accessToken)
            let id = try #require(created["id"] as? String)
            let token = admin.accessToken

            let unknown = try await same(direct, generated, "/api/customers/\(UUID().uuidString)", bearer: token)
            #expect(unknown.status == .notFound && unknown.errorCode == "not_found")
            for malformed in ["not-a-uuid", "123", "\(id)x", "%zz", "a,b", "%20"] {
                #expect(try await same(direct, generated, "/api/customers/\(malformed)", bearer: token).status.code >= 400)
            }
            #expect(try await same(direct, generated, "/api/customers/\(id.uppercased())", bearer: token).status == .ok)
            let encoded = id.replacingOccurrences(of: "-", with: "%2D")
            #expect(try await same(direct, generated, "/api/customers/\(encoded)", bearer: token).status == .ok)

            let path = "/api/customers/\(id)"
            for accept in ["application/json", "*/*", "application/*", "text/html, application/json;q=0.5", "APPLICATION/JSON"] {
                #expect(try await same(direct, generated, path, bearer: token, headers: [.accept: accept]).status == .ok, "\(accept)")
            }
            let html = try await same(direct, generated, path, bearer: token, headers: [.accept: "text/html"])
            #expect(html.status == .badRequest)
            // The handler's 404 comes before the runtime looks at Accept for a 200.
            #expect(
                try await same(direct, generated, "/api/customers/\(UUID().uuidString)", bearer: token, headers: [.accept: "text/html"]).status
                    == .notFound)
            for accept in ["application/json;q=x", "", ";"] {
                try await same(direct, generated, path, bearer: token, headers: [.accept: accept])
            }
            #expect(try await same(direct, generated, path, bearer: token, headers: [.accept: "application/json;q=x"]).status == .badRequest)
        }
    }
}
