import AvocaCore
import Foundation
import HTTPTypes
import NIOCore
import Testing

@testable import AvocaServer

/// Numbers a client controls must never reach arithmetic that traps: one such request would end
/// the process and every call on it.
@Suite("Hostile input: paging", .timeLimit(.minutes(4)))
struct HostileInputTests {
    @Test("absurd page numbers on every paged list answer 422 naming page, and the server keeps serving")
    func absurdPages() async throws {
        try await Harness.run { h in
            let admin = try await h.enrolledEmployee("admin@example.com")
            let (_, readKey) = try await h.services.identity.createAPIKey(name: "reader", scopes: [.directoryRead, .callsRead])
            let customer = try await h.request(
                .post, "/api/customers", json: ["first_name": "Ann"], bearer: admin.accessToken)
            let customerID = try #require(customer["id"] as? String)
            let paths = [
                "/api/customers", "/api/jobs", "/api/phone-calls", "/api/employees", "/api/customers/\(customerID)/addresses",
            ]
            for path in paths {
                for page in ["9223372036854775807", "100001", "0", "-9223372036854775808"] {
                    let response = try await h.request(.get, "\(path)?page=\(page)&page_size=2", token: readKey)
                    let asAdmin = try await h.request(.get, "\(path)?page=\(page)&page_size=2", bearer: admin.accessToken)
                    for answer in [response, asAdmin] where answer.status != .forbidden {
                        #expect(answer.status == .unprocessableContent, "\(path) page=\(page): \(answer.status)")
                        #expect(answer.errorFields["page"] != nil, "\(path) page=\(page)")
                    }
                }
                let last = try await h.request(.get, "\(path)?page=100000&page_size=100", bearer: admin.accessToken)
                #expect(last.status == .ok, "\(path): the highest page is still a page")
                #expect(last["page"] as? Int == 100_000)
            }
            #expect(try await h.request(.get, "/healthz").status == .ok)
        }
    }

    @Test("a page window is checked before its offset is computed")
    func windowBounds() throws {
        #expect(throws: DomainError.self) { try PageWindow(page: Int.max, pageSize: 100) }
        #expect(throws: DomainError.self) { try PageWindow(page: 1, pageSize: Int.max) }
        #expect(throws: DomainError.self) { try PageWindow(page: Int.min, pageSize: 1) }
        let last = try PageWindow(page: PageWindow.maxPage, pageSize: PageWindow.maxPageSize)
        #expect(last.rows == 9_999_900..<10_000_000)
    }
}

/// PostgreSQL cannot store U+0000 in text: a NUL must be the client's 400 at the door, the same on
/// both databases, never a statement failing inside a handler.
@Suite("Hostile input: the NUL character", .timeLimit(.minutes(4)))
struct NULInputTests {
    @Test("a NUL in a JSON string or in the query is refused with 400 and stores nothing; an escaped backslash before u0000 is plain text")
    func refused() async throws {
        try await Harness.run { h in
            let admin = try await h.enrolledEmployee("admin@example.com")
            let before = try await h.request(.get, "/api/customers", bearer: admin.accessToken)["total_items"] as? Int
            for name in ["a\u{0}b", "\u{0}"] {
                let response = try await h.request(.post, "/api/customers", json: ["first_name": name], bearer: admin.accessToken)
                #expect(response.status == .badRequest)
                #expect(response.errorCode == "bad_request")
            }
            #expect(try await h.request(.get, "/api/customers", bearer: admin.accessToken)["total_items"] as? Int == before)
            for query in ["q=%00", "q=ann%00", "page=1&q=%00x"] {
                let response = try await h.request(.get, "/api/customers?\(query)", bearer: admin.accessToken)
                #expect(response.status == .badRequest, "\(query)")
            }
            // `\\u0000` in JSON is a backslash and five letters, not a NUL.
            let literal = try await h.request(.post, "/api/customers", json: ["first_name": "C:\\u0000"], bearer: admin.accessToken)
            #expect(literal.status == .created)
            #expect(literal["first_name"] as? String == "C:\\u0000")
            #expect(try await h.request(.get, "/api/customers?q=%2500", bearer: admin.accessToken).status == .ok)
        }
    }

    @Test("the body scan finds every escaped NUL and nothing else")
    func scan() {
        func scan(_ text: String) -> Bool { ByteBuffer(string: text).containsJSONEscapedNUL }
        #expect(scan(#"{"a":"\u0000"}"#))
        #expect(scan(#"{"a":"x\\\u0000"}"#), "an escaped backslash, then a NUL")
        #expect(!scan(#"{"a":"\\u0000"}"#))
        #expect(scan(#"{"a":"\u00001"}"#))
        #expect(!scan(#"{"a":"\u0001"}"#))
        #expect(!scan(#"\u000"#), "cut short")
        #expect(!scan(#"\"#))
        #expect("a=%00".utf8.containsPercentEncodedNUL)
        #expect(!"a=%2500".utf8.containsPercentEncodedNUL)
        #expect(!"a=%0".utf8.containsPercentEncodedNUL)
    }
}
