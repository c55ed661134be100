import Foundation
import HTTPTypes
import Testing

@testable import AvocaServer

@Suite("Directory: editing and removing addresses", .timeLimit(.minutes(4)))
struct AddressEditTests {
    static var elm: [String: Any] { ["street": "12 Elm St", "city": "Springfield", "state": "IL", "zip": "62704", "country": "US"] }
    static var oak: [String: Any] {
        ["street": "40 Oak Ave", "street_line_2": "Unit 3", "city": "Springfield", "state": "IL", "zip": "62701", "country": "US"]
    }

    @Test("an edit replaces the address's fields and keeps its id and created_at; the customer shows it and search finds it")
    func editAddress() async throws {
        try await Directory.run { d in
            let (customer, address) = try await d.customer()
            let path = "/api/customers/\(customer)/addresses/\(address)"
            let before = try await d.call(.get, path)
            let edited = try await d.call(.put, path, Self.oak)
            #expect(edited.status == .ok, "\(String(decoding: edited.data, as: UTF8.self))")
            #expect(edited["id"] as? String == address)
            #expect(edited["street"] as? String == "40 Oak Ave")
            #expect(edited["street_line_2"] as? String == "Unit 3")
            #expect(edited["zip"] as? String == "62701")
            #expect(edited["created_at"] as? String == before["created_at"] as? String)
            #expect(edited["type"] as? String == "service", "an absent type keeps the address's type")
            let addresses = try await d.call(.get, "/api/customers/\(customer)")["addresses"] as? [[String: Any]]
            #expect(addresses?.map { $0["street"] as? String } == ["40 Oak Ave"])
            let found = try await d.call(.get, "/api/customers?q=oak%20ave")
            #expect((found["customers"] as? [[String: Any]])?.map { $0["id"] as? String } == [customer])
            #expect(try await d.call(.get, "/api/customers?q=elm%20st")["total_items"] as? Int == 0, "the old street is no longer searchable")
            // The same place spelled differently is the address itself, not a duplicate of it.
            let respelled = try await d.call(.put, path, Self.oak.merging(["street": "40 oak ave."]) { $1 })
            #expect(respelled.status == .ok)
        }
    }

    @Test("an edit into a copy of another address on file is refused with 409 duplicate_address and changes nothing")
    func editIntoDuplicateRefused() async throws {
        try await Directory.run { d in
            let (customer, elm) = try await d.customer()
            let oak = try #require(try await d.call(.post, "/api/customers/\(customer)/addresses", Self.oak)["id"] as? String)
            let path = "/api/customers/\(customer)/addresses/\(oak)"
            let copy = try await d.call(.put, path, Self.elm.merging(["street": "12 ELM st.", "zip": "62704-1234"]) { $1 })
            #expect(copy.status == .conflict)
            #expect(copy.errorCode == "duplicate_address")
            #expect(copy.errorMessage?.contains("already on file") == true)
            #expect(try await d.call(.get, path)["street"] as? String == "40 Oak Ave")
            #expect(try await d.call(.get, "/api/customers/\(customer)/addresses/\(elm)")["street"] as? String == "12 Elm St")
        }
    }

    @Test("a bad edit gets a clear error and changes nothing; another customer's address or an unknown one is 404")
    func badEdits() async throws {
        try await Directory.run { d in
            let (customer, address) = try await d.customer()
            let (other, otherAddress) = try await d.customer(["first_name": "Lee", "mobile_number": "(555) 010-3000"])
            let path = "/api/customers/\(customer)/addresses/\(address)"
            let blank = try await d.call(.put, path, Self.oak.merging(["street": "  "]) { $1 })
            #expect(blank.status == .unprocessableContent)
            #expect(blank.errorFields["street"] == "Required.")
            let long = try await d.call(.put, path, Self.oak.merging(["city": String(repeating: "x", count: 300)]) { $1 })
            #expect(long.status == .unprocessableContent)
            #expect(long.errorFields["city"] == "At most 255 characters.")
            #expect(try await d.call(.put, path, ["street": 12]).status == .badRequest)
            #expect(try await d.call(.get, path)["street"] as? String == "12 Elm St")
            #expect(try await d.call(.put, "/api/customers/\(customer)/addresses/\(otherAddress)", Self.oak).status == .notFound)
            #expect(try await d.call(.put, "/api/customers/\(customer)/addresses/\(UUID().uuidString)", Self.oak).status == .notFound)
            #expect(try await d.call(.put, "/api/customers/\(customer)/addresses/not-an-id", Self.oak).status == .notFound)
            #expect(try await d.call(.delete, "/api/customers/\(customer)/addresses/\(otherAddress)").status == .notFound)
            #expect(try await d.call(.get, "/api/customers/\(other)/addresses/\(otherAddress)")["street"] as? String == "12 Elm St")
        }
    }

    @Test("an address no job uses is removed; one a job uses, canceled or not, stays and the refusal names the jobs")
    func removeAddress() async throws {
        try await Directory.run { d in
            let (customer, elm) = try await d.customer()
            let oak = try #require(try await d.call(.post, "/api/customers/\(customer)/addresses", Self.oak)["id"] as? String)
            let job = try await d.book((customer, elm), "2030-01-10T15:00:00Z", "2030-01-10T16:00:00Z")
            let jobID = try #require(job["id"] as? String)
            #expect(try await d.call(.post, "/api/jobs/\(jobID)/cancel").status == .ok)

            let used = try await d.call(.delete, "/api/customers/\(customer)/addresses/\(elm)")
            #expect(used.status == .conflict)
            #expect(used.errorCode == "address_in_use")
            #expect(used.errorMessage?.contains("#\(job["invoice_number"] as? String ?? "?")") == true, "\(used.errorMessage ?? "")")
            #expect((used.json["error"] as? [String: Any])?["conflicting_job_ids"] as? [String] == [jobID])
            #expect(try await d.call(.get, "/api/customers/\(customer)/addresses/\(elm)").status == .ok)
            #expect((try await d.call(.get, "/api/jobs/\(jobID)")["address"] as? [String: Any])?["id"] as? String == elm)

            let removed = try await d.call(.delete, "/api/customers/\(customer)/addresses/\(oak)")
            #expect(removed.status == .noContent)
            #expect(try await d.call(.get, "/api/customers/\(customer)/addresses/\(oak)").status == .notFound)
            #expect(try await d.call(.get, "/api/customers/\(customer)/addresses")["total_items"] as? Int == 1)
            #expect(try await d.call(.get, "/api/customers?q=oak%20ave")["total_items"] as? Int == 0, "a removed address is not searchable")
            #expect(try await d.call(.delete, "/api/customers/\(customer)/addresses/\(oak)").status == .notFound)
        }
    }
}
