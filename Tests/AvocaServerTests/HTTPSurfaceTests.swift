import AvocaAPI
import Foundation
import HTTPTypes
import Testing

@testable import AvocaServer

@Suite("HTTP surface: errors, headers, limits, health, metrics, the served contract", .timeLimit(.minutes(4)))
struct HTTPSurfaceTests {
    @Test("every operation in openapi.yaml has an access rule (nothing becomes public by accident)")
    func everyOperationHasARule() throws {
        let spec = String(decoding: try OpenAPISpec.yaml(), as: UTF8.self)
        let operations = spec.matches(of: /operationId: (\w+)/).map { String($0.1) }
        #expect(operations.count > 10)
        #expect(Set(operations) == Set(OperationRules.all.keys))
    }

    @Test("unknown /api paths are a JSON 404, a known path with another method a 405 with Allow")
    func fallbacks() async throws {
        try await Harness.run { h in
            let missing = try await h.request(.get, "/api/nothing-here")
            #expect(missing.status == .notFound)
            #expect(missing.errorCode == "not_found")
            let wrongMethod = try await h.request(.get, "/api/auth/signup")
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.headers[.allow] == "POST")
            let withParam = try await h.request(.get, "/api/api-keys/abc")
            #expect(withParam.status == .methodNotAllowed)
        }
    }

    @Test("malformed JSON and wrong types are 400 with the error shape, never 500")
    func malformed() async throws {
        try await Harness.run { h in
            let broken = try await h.client.execute(
                uri: "/api/auth/signin", method: .post, headers: [.contentType: "application/json"], body: .init(string: "{\"email\":"))
            #expect(broken.status == .badRequest)
            let wrongType = try await h.request(.post, "/api/auth/signin", json: ["email": 42, "password": true])
            #expect(wrongType.status == .badRequest)
            #expect(wrongType.errorCode == "bad_request")
            let missing = try await h.request(.post, "/api/auth/signin", json: ["email": "a@b.co"])
            #expect(missing.status == .badRequest)
        }
    }

    @Test("bodies over the limit are refused with 413")
    func bodyLimit() async throws {
        try await Harness.run { h in
            let big = String(repeating: "x", count: 1_100_000)
            let response = try await h.request(.post, "/api/auth/signin", json: ["email": big, "password": "x"])
            #expect(response.status == .contentTooLarge)
        }
    }

    @Test("security headers and a request id are on every response")
    func securityHeaders() async throws {
        try await Harness.run { h in
            for path in ["/healthz", "/api/auth/me", "/api/nope"] {
                let response = try await h.request(.get, path)
                #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
                #expect(response.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                #expect(response.headers[HTTPField.Name("X-Request-Id")!]?.isEmpty == false)
            }
        }
    }

    @Test("health, readiness, metrics and the OpenAPI document are served")
    func operationalEndpoints() async throws {
        try await Harness.run { h in
            #expect(try await h.request(.get, "/healthz").status == .ok)
            #expect(try await h.request(.get, "/readyz").status == .ok)
            _ = try await h.request(.post, "/api/auth/signin", json: ["email": "m@example.com", "password": "wrong-password-1"])
            let metrics = try await h.request(.get, "/metrics")
            let text = String(decoding: metrics.data, as: UTF8.self)
            #expect(text.contains("avoca_auth_failures_total"))
            #expect(text.contains("hb_requests") || text.contains("http_server_request_duration"))
            let spec = try await h.request(.get, "/api/openapi.yaml")
            #expect(String(decoding: spec.data, as: UTF8.self).contains("operationId: signUp"))
        }
    }
}
