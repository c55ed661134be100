import AvocaCore
import AvocaDirectory
import Foundation
import Testing

/// Housecall Pro's customer rules in `CustomerService`, without HTTP.
@Suite("Directory: customer validation", .timeLimit(.minutes(4)))
struct CustomerServiceTests {
    @Test("a customer needs a name, an e-mail or a phone; bad e-mails, phones and addresses are named, nothing is stored")
    func validation() async throws {
        try await DirectoryFixture.run { f in
            let nameless = await DirectoryFixture.problems { _ = try await f.customers.create(CustomerInput(company: "Acme")) }
            #expect(nameless?.keys.sorted() == ["first_name"])
            let bad = await DirectoryFixture.problems {
                _ = try await f.customers.create(
                    CustomerInput(
                        firstName: "Ann", email: "not-an-email", mobileNumber: "12",
                        addresses: [AddressInput(street: " ", city: "Springfield", state: "IL", zip: "62704", country: "US")]))
            }
            #expect(bad?.keys.sorted() == ["addresses[0].street", "email", "mobile_number"], "\(bad ?? [:])")
            let all = try await f.customers.search(CustomerQuery(search: nil, page: 1, pageSize: 10))
            #expect(all.totalItems == 1, "only the fixture's customer exists")
        }
    }

    @Test("an update changes only the given fields; an empty string clears one; the caller's number finds the customer")
    func partialUpdate() async throws {
        try await DirectoryFixture.run { f in
            let updated = try await f.customers.update(f.customerID, with: CustomerInput(lastName: "", email: "Maria@Example.com"))
            #expect(updated.firstName == "Maria")
            #expect(updated.lastName == nil)
            #expect(updated.email == "maria@example.com")
            #expect(try await f.customers.matching(phone: "+1 312-555-0142").map(\.id) == [f.customerID])
        }
    }

    @Test("ten simultaneous adds of one place, however spelt, store it once; the nine others are told it is on file")
    func simultaneousDuplicateAddresses() async throws {
        try await DirectoryFixture.run { f in
            let spellings = ["77 Birch Lane", "77 birch lane", "77 Birch Lane.", "77 BIRCH LANE"]
            let customers = f.customers
            let customerID = f.customerID
            let outcomes = await withTaskGroup(of: String.self) { group in
                for attempt in 0..<10 {
                    group.addTask {
                        let input = AddressInput(
                            street: spellings[attempt % spellings.count], city: "Madison", state: "WI", zip: "53703", country: "US")
                        do {
                            _ = try await customers.addAddress(input, to: customerID)
                            return "added"
                        } catch DomainError.conflict(let code, _, _) {
                            return code
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == "added" }.count == 1, "\(outcomes)")
            #expect(outcomes.filter { $0 == "duplicate_address" }.count == 9, "\(outcomes)")
            let stored = try await f.customers.customer(f.customerID)
            #expect(stored.addresses.filter { $0.city == "Madison" }.count == 1, "\(stored.addresses.map(\.street))")
        }
    }
}
