import Foundation
import HTTPTypes
import Testing

/// Responses follow `openapi.yaml`: every key the spec requires is present (as `null` when it
/// allows null), and no value has a type the spec does not allow. Records are created as sparse as
/// the API allows, so every nullable field is exercised empty.
@Suite("Responses conform to the spec", .timeLimit(.minutes(4)))
struct ResponseShapeTests {
    @Test("sparse customers, addresses, jobs, calls and employees render every required key, nulls included")
    func sparseRecords() async throws {
        try await Harness.run { h in
            let spec = try SpecConformance()
            let admin = try await h.enrolledEmployee("admin@example.com")
            let (_, ingestKey) = try await h.services.identity.createAPIKey(name: "bridge", scopes: [.callsIngest, .callsRead])
            @discardableResult
            func checked(_ method: HTTPRequest.Method, _ path: String, _ json: Any? = nil, token: String? = nil) async throws -> APIResponse {
                let response = try await h.request(method, path, json: json, bearer: token == nil ? admin.accessToken : nil, token: token)
                let problems = try spec.problems(method: method, path: path, status: Int(response.status.code), body: response.data)
                #expect(problems.isEmpty, "\(method) \(path): \(problems.joined(separator: "; "))")
                return response
            }

            let customer = try await checked(.post, "/api/customers", ["first_name": "Ann"])
            let customerID = try #require(customer["id"] as? String)
            let address = try await checked(
                .post, "/api/customers/\(customerID)/addresses",
                ["street": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701", "country": "US"])
            let addressID = try #require(address["id"] as? String)
            try await checked(.get, "/api/customers/\(customerID)")
            try await checked(.get, "/api/customers")
            try await checked(.get, "/api/customers?q=Ann")
            try await checked(.get, "/api/customers/\(customerID)/addresses")
            try await checked(.get, "/api/customers/\(customerID)/addresses/\(addressID)")

            let job = try await checked(.post, "/api/jobs", ["customer_id": customerID, "address_id": addressID])
            let jobID = try #require(job["id"] as? String)
            try await checked(.get, "/api/jobs/\(jobID)")
            try await checked(.get, "/api/jobs")
            // The keys Housecall Pro clients read without checking for absence.
            let timestamps = try #require(job["work_timestamps"] as? [String: Any])
            #expect(Set(timestamps.keys) == ["on_my_way_at", "started_at", "completed_at"])
            #expect(timestamps.values.allSatisfy { $0 is NSNull })
            #expect(job["description"] as? String == "", "Housecall Pro declares a job's description a string")

            let call = try await checked(.post, "/api/phone-calls", ["phone_number": "+15125550100"], token: ingestKey)
            let callID = try #require(call["phone_call_id"] as? String)
            try await checked(.get, "/api/phone-calls/\(callID)")
            try await checked(.get, "/api/phone-calls")
            // A call with two jobs booked on it, and the address edits and removals around them.
            try await checked(.post, "/api/phone-calls/\(callID)/accept")
            let second = try await checked(.post, "/api/jobs", ["customer_id": customerID, "address_id": addressID])
            try await checked(.put, "/api/phone-calls/\(callID)", ["job_id": jobID])
            let linked = try await checked(.put, "/api/phone-calls/\(callID)", ["job_id": try #require(second["id"] as? String)])
            #expect((linked["job_ids"] as? [String])?.count == 2)
            try await checked(.get, "/api/phone-calls/\(callID)")
            let spare = try await checked(
                .post, "/api/customers/\(customerID)/addresses",
                ["street": "2 Main St", "city": "Austin", "state": "TX", "zip": "78701", "country": "US"])
            let spareID = try #require(spare["id"] as? String)
            try await checked(
                .put, "/api/customers/\(customerID)/addresses/\(spareID)",
                ["street": "3 Main St", "city": "Austin", "state": "TX", "zip": "78701", "country": "US"])
            let duplicate = try await checked(
                .put, "/api/customers/\(customerID)/addresses/\(spareID)",
                ["street": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701", "country": "US"])
            #expect(duplicate.status == .conflict)
            #expect(try await checked(.delete, "/api/customers/\(customerID)/addresses/\(addressID)").status == .conflict)
            let removed = try await h.request(.delete, "/api/customers/\(customerID)/addresses/\(spareID)", bearer: admin.accessToken)
            #expect(removed.status == .noContent && removed.data.isEmpty)
            try await checked(.get, "/api/employees")
            try await checked(.get, "/api/auth/me")
        }
    }
}
