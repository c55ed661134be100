import AvocaDirectory
import Foundation
import HTTPTypes
import Testing

@testable import AvocaServer

/// A signed-in employee's token plus helpers for the directory endpoints.
struct Directory {
    let h: Harness
    let token: String

    static func run(_ body: @escaping @Sendable (Directory) async throws -> Void) async throws {
        try await Harness.run { h in
            let employee = try await h.enrolledEmployee("csr@example.com")
            try await body(Directory(h: h, token: employee.accessToken))
        }
    }

    @discardableResult
    func call(_ method: HTTPRequest.Method, _ path: String, _ json: Any? = nil) async throws -> APIResponse {
        try await h.request(method, path, json: json, bearer: token)
    }

    /// Creates a customer with one address; returns (customer id, address id).
    func customer(_ fields: [String: Any] = [:]) async throws -> (String, String) {
        var body: [String: Any] = ["first_name": "Dana", "last_name": "Reyes", "mobile_number": "(555) 010-2000"]
        body.merge(fields) { $1 }
        if body["addresses"] == nil {
            body["addresses"] = [["street": "12 Elm St", "city": "Springfield", "state": "IL", "zip": "62704", "country": "US"]]
        }
        let created = try await call(.post, "/api/customers", body)
        try #require(created.status == .created, "\(String(decoding: created.data, as: UTF8.self))")
        let addresses = try #require(created["addresses"] as? [[String: Any]])
        return (try #require(created["id"] as? String), try #require(addresses.first?["id"] as? String))
    }

    func book(_ customer: (String, String), _ start: String, _ end: String) async throws -> APIResponse {
        try await call(
            .post, "/api/jobs", ["customer_id": customer.0, "address_id": customer.1, "schedule": ["scheduled_start": start, "scheduled_end": end]])
    }

    func jobCount() async throws -> Int { try await call(.get, "/api/jobs?page_size=100")["total_items"] as? Int ?? -1 }
    func customerCount() async throws -> Int { try await call(.get, "/api/customers")["total_items"] as? Int ?? -1 }
}

@Suite("Directory: customers and addresses (Housecall Pro shapes)", .timeLimit(.minutes(4)))
struct CustomerTests {
    @Test("an address already on file (case, spacing, punctuation aside) is refused with 409, not stored twice")
    func duplicateAddressRefused() async throws {
        try await Directory.run { d in
            let (customer, _) = try await d.customer()
            let path = "/api/customers/\(customer)/addresses"
            let again = try await d.call(
                .post, path, ["street": "12 elm st.", "city": " SPRINGFIELD", "state": "il", "zip": "62704-1234", "country": "US"])
            #expect(again.status == .conflict)
            #expect(again.errorCode == "duplicate_address")
            #expect(again.errorMessage?.contains("already on file") == true)
            #expect(try await d.call(.get, path)["total_items"] as? Int == 1)
            // Another unit in the same building is another place.
            let unit = try await d.call(
                .post, path, ["street": "12 Elm St", "street_line_2": "Apt 2", "city": "Springfield", "state": "IL", "zip": "62704", "country": "US"])
            #expect(unit.status == .ok)
            #expect(try await d.call(.get, path)["total_items"] as? Int == 2)
        }
    }

    @Test("eight simultaneous requests adding one new address store it once: one 200, seven 409 duplicate_address")
    func simultaneousDuplicateAddresses() async throws {
        try await Directory.run { d in
            let (customer, _) = try await d.customer()
            let path = "/api/customers/\(customer)/addresses"
            let statuses = try await withThrowingTaskGroup(of: String.self) { group in
                for attempt in 0..<8 {
                    group.addTask {
                        let street = attempt % 2 == 0 ? "90 Oak Ridge Rd" : "90 oak ridge rd."
                        let answer = try await d.call(
                            .post, path, ["street": street, "city": "Springfield", "state": "IL", "zip": "62704", "country": "US"])
                        return answer.status == .ok ? "ok" : "\(answer.status.code) \(answer.errorCode ?? "")"
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == "ok" }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == "409 duplicate_address" }.count == 7, "\(statuses)")
            #expect(try await d.call(.get, path)["total_items"] as? Int == 2, "the first address and the new one, once")
        }
    }

    @Test("a created customer has exactly Housecall Pro's fields, with its addresses, and answers 201")
    func goldenShape() async throws {
        try await Directory.run { d in
            let (id, addressID) = try await d.customer(["email": "Dana@Example.com", "tags": ["vip"], "company": "Reyes Bakery"])
            let customer = try await d.call(.get, "/api/customers/\(id)")
            #expect(customer.status == .ok)
            #expect(
                Set(customer.json.keys) == [
                    "id", "first_name", "last_name", "email", "mobile_number", "home_number", "work_number", "company",
                    "notifications_enabled", "lead_source", "notes", "tags", "addresses", "created_at", "updated_at",
                ])
            #expect(customer["email"] as? String == "dana@example.com")
            #expect(customer["home_number"] is NSNull)
            #expect(customer["tags"] as? [String] == ["vip"])
            let address = try #require((customer["addresses"] as? [[String: Any]])?.first)
            #expect(Set(address.keys).isSuperset(of: ["id", "type", "street", "street_line_2", "city", "state", "zip", "country"]))
            #expect(address["type"] as? String == "service")
            let list = try await d.call(.get, "/api/customers")
            #expect(Set(list.json.keys) == ["page", "page_size", "total_pages", "total_items", "total_items_capped", "customers"])
            #expect(list["total_items_capped"] as? Bool == false)
            #expect(list["page"] as? Int == 1)
            #expect(list["page_size"] as? Int == 10)
            let one = try await d.call(.get, "/api/customers/\(id)/addresses/\(addressID)")
            #expect(one["zip"] as? String == "62704")
            let addresses = try await d.call(.get, "/api/customers/\(id)/addresses")
            #expect(addresses["total_items"] as? Int == 1)
        }
    }

    @Test("a customer is found by any format of its phone number")
    func phoneSearch() async throws {
        try await Directory.run { d in
            let (id, _) = try await d.customer()
            _ = try await d.customer(["first_name": "Other", "mobile_number": "312-555-0199"])
            for query in ["(555) 010-2000", "555-010-2000", "5550102000", "+15550102000", "010-2000"] {
                let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let found = try await d.call(.get, "/api/customers?q=\(encoded)")
                let ids = (found["customers"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
                #expect(ids == [id], "query \(query)")
            }
        }
    }

    @Test("search matches partial names, full name, e-mail, company, street, city and zip, case-insensitively")
    func textSearch() async throws {
        try await Directory.run { d in
            let (id, _) = try await d.customer(["email": "dana.reyes@example.com", "company": "Reyes Bakery"])
            _ = try await d.customer([
                "first_name": "Sam", "last_name": "Ortiz", "mobile_number": "312-555-0100",
                "addresses": [["street": "9 Oak Ave", "city": "Chicago", "state": "IL", "zip": "60601", "country": "US"]],
            ])
            for query in ["ana", "REYES", "dana reyes", "reyes@exa", "bakery", "elm st", "springf", "62704", "Da"] {
                let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let found = try await d.call(.get, "/api/customers?q=\(encoded)")
                let ids = (found["customers"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
                #expect(ids == [id], "query \(query)")
            }
            #expect(try await d.call(.get, "/api/customers?q=zzzz")["total_items"] as? Int == 0)
        }
    }

    @Test("% and _ in a search are plain characters, not wildcards")
    func literalSearch() async throws {
        try await Directory.run { d in
            let (id, _) = try await d.customer(["last_name": "Under_score", "company": "100% Plumbing"])
            _ = try await d.customer(["last_name": "Underxscore", "company": "1000 Plumbing"])
            for query in ["r_s", "100%"] {
                let found = try await d.call(.get, "/api/customers?q=\(query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
                #expect((found["customers"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id], "query \(query)")
            }
        }
    }

    @Test("a search counts up to 1,000 matches exactly; past that the total is capped and pages still come in order")
    func cappedTotals() async throws {
        try await Directory.run { d in
            // 1,005 customers named Quillon or Quillery, 10 ms apart (newest last).
            var created: [String] = []
            for index in 0..<1005 {
                d.h.clock.advance(by: 0.01)
                let input = CustomerInput(firstName: "Pat\(index)", lastName: index % 500 == 7 ? "Quillery" : "Quillon")
                created.append(try await d.h.services.customers.create(input).id.description)
            }
            func ids(_ response: APIResponse) -> [String] { (response["customers"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }
            let newestFirst = Array(created.reversed())
            // Trigram needle and name-prefix needle, each past the limit.
            for query in ["quill", "qu"] {
                let first = try await d.call(.get, "/api/customers?q=\(query)")
                #expect(first["total_items"] as? Int == 1000, "query \(query)")
                #expect(first["total_items_capped"] as? Bool == true)
                #expect(first["total_pages"] as? Int == 100)
                #expect(ids(first) == Array(newestFirst[0..<10]), "query \(query)")
                // Beyond the counted thousand the order continues.
                let last = try await d.call(.get, "/api/customers?q=\(query)&page=101")
                #expect(ids(last) == Array(newestFirst[1000..<1005]), "query \(query)")
            }
            let byName = try await d.call(.get, "/api/customers?q=quill&sort_by=first_name&sort_direction=asc&page_size=3")
            #expect(byName.status == .ok)
            #expect((byName["customers"] as? [[String: Any]])?.compactMap { $0["first_name"] as? String } == ["Pat0", "Pat1", "Pat10"])
            // Few matches: exact, sorted, not capped.
            let narrow = try await d.call(.get, "/api/customers?q=quillery")
            #expect(narrow["total_items"] as? Int == 2)
            #expect(narrow["total_items_capped"] as? Bool == false)
            #expect(ids(narrow) == [created[507], created[7]])
            // No search: always exact.
            let all = try await d.call(.get, "/api/customers")
            #expect(all["total_items"] as? Int == 1005)
            #expect(all["total_items_capped"] as? Bool == false)
        }
    }

    @Test("a one- or two-letter search counts first and last names together: once each, exact, and capped past 1,000 in all")
    func shortNeedleTotals() async throws {
        try await Directory.run { d in
            let customers = d.h.services.customers
            func add(_ count: Int, first: String, last: String) async throws {
                for index in 0..<count { _ = try await customers.create(CustomerInput(firstName: "\(first)\(index)", lastName: last)) }
            }
            // 30 first names, 20 last names and 10 with both start with "Qu": 60 customers.
            try await add(30, first: "Quinn", last: "Pat")
            try await add(20, first: "Lee", last: "Quade")
            try await add(10, first: "Quinn", last: "Quade")
            let few = try await d.call(.get, "/api/customers?q=qu")
            #expect(few["total_items"] as? Int == 60)
            #expect(few["total_items_capped"] as? Bool == false)
            // 530 first names, 490 last names: neither reaches the limit alone, together they pass it.
            try await add(490, first: "Quinn", last: "Smith")
            try await add(470, first: "Ann", last: "Quade")
            let many = try await d.call(.get, "/api/customers?q=qu&page_size=100&page=11")
            #expect(many["total_items"] as? Int == 1000)
            #expect(many["total_items_capped"] as? Bool == true)
            #expect((many["customers"] as? [[String: Any]])?.count == 20, "1,020 matches in all: the 11th page of 100 has 20")
        }
    }

    @Test("paging walks every customer exactly once, in a stable order")
    func paging() async throws {
        try await Directory.run { d in
            var created: Set<String> = []
            for index in 0..<23 { created.insert(try await d.customer(["first_name": "Person\(index)"]).0) }
            var seen: [String] = []
            for page in 1...3 {
                let response = try await d.call(.get, "/api/customers?page=\(page)&page_size=10&sort_direction=asc")
                #expect(response["total_pages"] as? Int == 3)
                #expect(response["total_items"] as? Int == 23)
                seen += (response["customers"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            }
            #expect(seen.count == 23)
            #expect(Set(seen) == created)
            #expect(try await d.call(.get, "/api/customers?page=0").status == .unprocessableContent)
            #expect(try await d.call(.get, "/api/customers?page_size=101").status == .unprocessableContent)
        }
    }

    @Test("bad customer input answers 4xx with field errors and writes nothing")
    func validation() async throws {
        try await Directory.run { d in
            let nameless = try await d.call(.post, "/api/customers", ["company": "Nobody Inc"])
            #expect(nameless.status == .unprocessableContent)
            let badFields = try await d.call(.post, "/api/customers", ["first_name": "A", "email": "nope", "mobile_number": "call me"])
            #expect(Set(badFields.errorFields.keys) == ["email", "mobile_number"])
            let badAddress = try await d.call(
                .post, "/api/customers",
                ["first_name": "A", "addresses": [["street": "1 Main St", "city": "", "state": "IL", "zip": "1", "country": "US"]]])
            #expect(badAddress.status == .unprocessableContent)
            #expect(badAddress.errorFields["addresses[0].city"] != nil)
            let missingRequired = try await d.call(.post, "/api/customers", ["first_name": "A", "addresses": [["street": "1 Main St"]]])
            #expect(missingRequired.status == .badRequest)
            #expect(try await d.call(.post, "/api/customers", ["first_name": 42]).status == .badRequest)
            #expect(try await d.customerCount() == 0)
            #expect(try await d.call(.get, "/api/customers/\(UUID().uuidString)").status == .notFound)
            #expect(try await d.call(.get, "/api/customers/not-a-uuid").status == .notFound)
            #expect(
                try await d.call(
                    .post, "/api/customers/\(UUID().uuidString)/addresses",
                    ["street": "1 A St", "city": "B", "state": "C", "zip": "1", "country": "US"]
                ).status == .notFound)
        }
    }

    @Test("read-only fields in a body are ignored, and injection strings are stored and returned verbatim")
    func massAssignmentAndInjection() async throws {
        try await Directory.run { d in
            let forged = UUID().uuidString.lowercased()
            let injection = "Robert'); DROP TABLE customers;--"
            let html = "<img src=x onerror=alert(1)>"
            let created = try await d.call(
                .post, "/api/customers", ["id": forged, "created_at": "1999-01-01T00:00:00Z", "first_name": injection, "last_name": html])
            #expect(created.status == .created)
            #expect(created["id"] as? String != forged)
            #expect(created["first_name"] as? String == injection)
            #expect(created["last_name"] as? String == html)
            let id = try #require(created["id"] as? String)
            let found = try await d.call(.get, "/api/customers?q=\("drop table".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
            #expect((found["customers"] as? [[String: Any]])?.first?["id"] as? String == id)
            let percent = try await d.call(.get, "/api/customers?q=%25%25%25")
            #expect(percent.status == .ok)
        }
    }

    @Test("update sets given fields, keeps absent ones, and an empty string clears")
    func update() async throws {
        try await Directory.run { d in
            let (id, _) = try await d.customer(["email": "d@example.com", "company": "Bakery"])
            let updated = try await d.call(.put, "/api/customers/\(id)", ["last_name": "Reyes-Smith", "company": "", "note": "Gate code 1234"])
            #expect(updated.status == .ok)
            #expect(updated["last_name"] as? String == "Reyes-Smith")
            #expect(updated["first_name"] as? String == "Dana")
            #expect(updated["company"] is NSNull)
            #expect(updated["notes"] as? String == "Gate code 1234")
            let found = try await d.call(.get, "/api/customers?q=smith")
            #expect(found["total_items"] as? Int == 1)
            // The old search text is replaced, not kept beside the new one.
            #expect(try await d.call(.get, "/api/customers?q=bakery")["total_items"] as? Int == 0)
            #expect(try await d.call(.get, "/api/customers?q=reyes")["total_items"] as? Int == 1)
            let address = try await d.call(
                .post, "/api/customers/\(id)/addresses", ["street": "4 Birch Rd", "city": "Peoria", "state": "IL", "zip": "61602", "country": "US"])
            #expect(address.status == .ok)
            #expect(try await d.call(.get, "/api/customers?q=birch")["total_items"] as? Int == 1)
            #expect(try await d.call(.get, "/api/customers?q=reyes")["total_items"] as? Int == 1)
            #expect(try await d.call(.put, "/api/customers/\(id)", ["email": "bad"]).status == .unprocessableContent)
        }
    }

    @Test("GET /company names the company's time zone, for employees and directory keys")
    func company() async throws {
        try await Directory.run { d in
            let company = try await d.call(.get, "/api/company")
            #expect(company.status == .ok)
            #expect(company["time_zone"] as? String == d.h.services.jobs.timeZone.identifier)
            #expect(try await d.h.request(.get, "/api/company").status == .unauthorized)
        }
    }

    @Test("API keys reach the directory with the right scopes only")
    func apiKeyAccess() async throws {
        try await Directory.run { d in
            let (_, reader) = try await d.h.services.identity.createAPIKey(name: "reader", scopes: [.directoryRead])
            let (_, writer) = try await d.h.services.identity.createAPIKey(name: "writer", scopes: [.directoryWrite, .directoryRead])
            #expect(try await d.h.request(.get, "/api/customers", token: reader).status == .ok)
            #expect(try await d.h.request(.post, "/api/customers", json: ["first_name": "K"], token: reader).status == .forbidden)
            #expect(try await d.h.request(.post, "/api/customers", json: ["first_name": "K"], token: writer).status == .created)
            #expect(try await d.h.request(.get, "/api/customers").status == .unauthorized)
        }
    }
}

@Suite("Directory: jobs and the no-overlap rule", .timeLimit(.minutes(4)))
struct JobTests {
    @Test("the original's example: 10th→15th exists, 12th→17th is refused with 409 naming the job; 16th→17th fits")
    func dateOverlap() async throws {
        try await Directory.run { d in
            let customer = try await d.customer()
            let first = try await d.book(customer, "2024-11-10", "2024-11-15")
            #expect(first.status == .ok)
            let firstID = try #require(first["id"] as? String)
            let overlapping = try await d.book(customer, "2024-11-12", "2024-11-17")
            #expect(overlapping.status == .conflict)
            #expect(overlapping.errorCode == "job_overlap")
            #expect((overlapping.json["error"] as? [String: Any])?["conflicting_job_ids"] as? [String] == [firstID])
            #expect(try await d.book(customer, "2024-11-15", "2024-11-16").status == .conflict)
            #expect(try await d.book(customer, "2024-11-16", "2024-11-17").status == .ok)
            // Another customer's calendar is independent.
            #expect(try await d.book(try await d.customer(["first_name": "Other"]), "2024-11-12", "2024-11-17").status == .ok)
        }
    }

    @Test("datetime slots are half-open: back-to-back is allowed, one minute of overlap is not")
    func datetimeSlots() async throws {
        try await Directory.run { d in
            let customer = try await d.customer()
            #expect(try await d.book(customer, "2024-11-10T09:00:00Z", "2024-11-10T11:00:00Z").status == .ok)
            #expect(try await d.book(customer, "2024-11-10T11:00:00Z", "2024-11-10T13:00:00Z").status == .ok)
            #expect(try await d.book(customer, "2024-11-10T12:59:00Z", "2024-11-10T14:00:00Z").status == .conflict)
            // A whole-day job (company time zone, America/Chicago) collides with a slot that day.
            #expect(try await d.book(customer, "2024-11-10", "2024-11-10").status == .conflict)
        }
    }

    @Test("a canceled job does not block; a reschedule into an overlap is refused")
    func cancelAndReschedule() async throws {
        try await Directory.run { d in
            let customer = try await d.customer()
            let first = try #require(try await d.book(customer, "2024-11-10", "2024-11-15")["id"] as? String)
            let second = try #require(try await d.book(customer, "2024-11-20", "2024-11-21")["id"] as? String)
            let moved = try await d.call(.put, "/api/jobs/\(second)/schedule", ["start_time": "2024-11-14", "end_time": "2024-11-16"])
            #expect(moved.status == .conflict)
            #expect((moved.json["error"] as? [String: Any])?["conflicting_job_ids"] as? [String] == [first])
            #expect(
                try await d.call(.get, "/api/jobs/\(second)")["schedule"].flatMap { ($0 as? [String: Any])?["scheduled_start"] as? String }
                    == "2024-11-20")
            let canceled = try await d.call(.post, "/api/jobs/\(first)/cancel")
            #expect(canceled["work_status"] as? String == "pro_canceled")
            #expect(try await d.call(.put, "/api/jobs/\(second)/schedule", ["start_time": "2024-11-14", "end_time": "2024-11-16"]).status == .ok)
            #expect(try await d.book(customer, "2024-11-11", "2024-11-12").status == .ok)
            #expect(
                try await d.call(.put, "/api/jobs/\(first)/schedule", ["start_time": "2024-12-01", "end_time": "2024-12-01"]).status == .conflict)
        }
    }

    @Test("50 concurrent overlapping bookings for one customer: exactly one succeeds, 49 get 409, one job is stored")
    func concurrentBookings() async throws {
        try await Directory.run { d in
            let customer = try await d.customer()
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<50 {
                    group.addTask { try await d.book(customer, "2024-11-\(10 + index % 5)", "2024-11-\(15 + index % 5)").status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .conflict }.count == 49, "\(statuses)")
            #expect(try await d.jobCount() == 1)
        }
    }

    @Test("a job has Housecall Pro's shape: embedded customer and address, schedule, status, unique invoice numbers, 200")
    func jobShape() async throws {
        try await Directory.run { d in
            let customer = try await d.customer()
            let job = try await d.call(
                .post, "/api/jobs",
                [
                    "customer_id": customer.0, "address_id": customer.1, "description": "Water heater leaking",
                    "notes": "Gate code 4411\n\nDog in yard",
                    "schedule": ["scheduled_start": "2024-11-10T15:00:00Z", "scheduled_end": "2024-11-10T17:00:00Z", "arrival_window": 30],
                    "work_status": "complete_rated", "total_amount": 999,
                ])
            #expect(job.status == .ok)
            #expect(
                Set(job.json.keys).isSuperset(of: [
                    "id", "invoice_number", "description", "customer", "address", "notes", "work_status", "work_timestamps", "schedule",
                    "total_amount", "outstanding_balance", "assigned_employees", "tags", "lead_source", "created_at", "updated_at",
                ]))
            #expect(job["work_status"] as? String == "scheduled")
            #expect(job["total_amount"] as? Int == 0)
            #expect((job["customer"] as? [String: Any])?["id"] as? String == customer.0)
            #expect((job["address"] as? [String: Any])?["id"] as? String == customer.1)
            #expect((job["notes"] as? [[String: Any]])?.map { $0["content"] as? String } == ["Gate code 4411", "Dog in yard"])
            #expect((job["schedule"] as? [String: Any])?["arrival_window"] as? Int == 30)
            let unscheduled = try await d.call(.post, "/api/jobs", ["customer_id": customer.0, "address_id": customer.1])
            #expect(unscheduled["work_status"] as? String == "unscheduled")
            let numbers = [job["invoice_number"] as? String, unscheduled["invoice_number"] as? String]
            #expect(Set(numbers).count == 2)
            let duplicate = try await d.call(
                .post, "/api/jobs", ["customer_id": customer.0, "address_id": customer.1, "invoice_number": Int(numbers[0]!)!])
            #expect(duplicate.status == .conflict)
            #expect(duplicate.errorCode == "invoice_number_taken")
        }
    }

    @Test("bad job input answers 4xx with field errors and writes nothing")
    func jobValidation() async throws {
        try await Directory.run { d in
            let customer = try await d.customer()
            let other = try await d.customer(["first_name": "Other"])
            let wrongAddress = try await d.call(.post, "/api/jobs", ["customer_id": customer.0, "address_id": other.1])
            #expect(wrongAddress.errorFields["address_id"] != nil)
            let unknownCustomer = try await d.call(.post, "/api/jobs", ["customer_id": UUID().uuidString, "address_id": customer.1])
            #expect(unknownCustomer.errorFields["customer_id"] != nil)
            let backwards = try await d.book(customer, "2024-11-15", "2024-11-10")
            #expect(backwards.errorFields["schedule.scheduled_end"] != nil)
            let badDate = try await d.book(customer, "2024-13-40", "next tuesday")
            #expect(Set(badDate.errorFields.keys) == ["schedule.scheduled_start", "schedule.scheduled_end"])
            let halfSchedule = try await d.call(
                .post, "/api/jobs", ["customer_id": customer.0, "address_id": customer.1, "schedule": ["scheduled_start": "2024-11-10"]])
            #expect(halfSchedule.status == .unprocessableContent)
            let badEmployee = try await d.call(
                .post, "/api/jobs", ["customer_id": customer.0, "address_id": customer.1, "assigned_employee_ids": [UUID().uuidString]])
            #expect(badEmployee.errorFields["assigned_employee_ids"] != nil)
            #expect(try await d.call(.post, "/api/jobs", ["customer_id": customer.0]).status == .badRequest)
            #expect(try await d.jobCount() == 0)
            #expect(try await d.call(.get, "/api/jobs/\(UUID().uuidString)").status == .notFound)
            #expect(
                try await d.call(.put, "/api/jobs/\(UUID().uuidString)/schedule", ["start_time": "2024-11-10", "end_time": "2024-11-10"]).status
                    == .notFound)
        }
    }

    @Test("list filters: customer, status, each schedule bound on its own, dispatched employee")
    func filters() async throws {
        try await Directory.run { d in
            let me = try await d.call(.get, "/api/auth/me")
            let employeeID = try #require(me["id"] as? String)
            let a = try await d.customer()
            let b = try await d.customer(["first_name": "Bea"])
            let early = try #require(try await d.book(a, "2024-11-01", "2024-11-02")["id"] as? String)
            let late = try #require(try await d.book(a, "2024-11-20", "2024-11-21")["id"] as? String)
            let other = try #require(try await d.book(b, "2024-11-05", "2024-11-05")["id"] as? String)
            _ = try await d.call(.post, "/api/jobs/\(other)/cancel")
            func ids(_ query: String) async throws -> Set<String> {
                let response = try await d.call(.get, "/api/jobs?\(query)")
                #expect(response.status == .ok, "\(query)")
                return Set((response["jobs"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
            }
            #expect(try await ids("customer_id=\(a.0)") == [early, late])
            #expect(try await ids("work_status=canceled") == [other])
            #expect(try await ids("work_status=scheduled&work_status=pro_canceled") == [early, late, other])
            #expect(try await ids("scheduled_start_min=2024-11-05") == [late, other])
            #expect(try await ids("scheduled_start_max=2024-11-05") == [early, other])
            #expect(try await ids("scheduled_end_max=2024-11-02") == [early])
            let dispatched = try await d.call(.put, "/api/jobs/\(late)/dispatch", ["dispatched_employees": [["employee_id": employeeID]]])
            #expect((dispatched["assigned_employees"] as? [[String: Any]])?.first?["id"] as? String == employeeID)
            #expect(try await ids("employee_ids=\(employeeID)") == [late])
            #expect(try await d.call(.get, "/api/jobs?scheduled_start_min=yesterday").status == .unprocessableContent)
        }
    }

    @Test("notes are added with 201 and deleted; the schedule can be removed")
    func notesAndUnschedule() async throws {
        try await Directory.run { d in
            let customer = try await d.customer()
            let job = try #require(try await d.book(customer, "2024-11-01", "2024-11-02")["id"] as? String)
            let note = try await d.call(.post, "/api/jobs/\(job)/notes", ["content": "Bring ladder"])
            #expect(note.status == .created)
            let noteID = try #require(note["id"] as? String)
            #expect(try await d.call(.post, "/api/jobs/\(job)/notes", ["content": "   "]).status == .unprocessableContent)
            #expect(try await d.call(.delete, "/api/jobs/\(job)/notes/\(noteID)").status == .noContent)
            #expect(try await d.call(.delete, "/api/jobs/\(job)/notes/\(noteID)").status == .notFound)
            let unscheduled = try await d.call(.delete, "/api/jobs/\(job)/schedule")
            #expect(unscheduled["work_status"] as? String == "unscheduled")
            #expect(try await d.book(customer, "2024-11-01", "2024-11-02").status == .ok)
        }
    }
}
