import AvocaCore
import AvocaTestSupport
import Foundation
import SQLKit
import Testing

@testable import AvocaPersistence

/// PostgreSQL's trigram search re-checks every candidate row against the indexed text; that text
/// is a stored column, so the re-check reads it instead of computing `translate()` per row.
@Suite(
    "Persistence: the PostgreSQL search index covers a stored column", .timeLimit(.minutes(2)),
    .enabled(if: TestDatabase.adminURL != nil, "PostgreSQL only: SQLite searches through FTS5"))
struct SearchWordsTests {
    @Test("search_words is the search text with in-word punctuation replaced, and the trigram index is on it")
    func storedAndIndexed() async throws {
        try await TestDatabase.withMigrated { database in
            let directory = FluentDirectoryRepository(database: database)
            let now = Date()
            var customer = Customer(id: .random(), createdAt: now, updatedAt: now)
            customer.firstName = "Jo-Ann"
            customer.lastName = "O'Lau"
            customer.email = "jo.ann+home@lau-family.example"
            try await directory.createCustomer(customer)
            let sql = try database.db.sql
            let row = try #require(try await sql.raw("SELECT search_text, search_words FROM customers").first())
            let text = try row.decode(column: "search_text", as: String.self)
            let words = try row.decode(column: "search_words", as: String.self)
            #expect(words == String(text.map { IndexSearchWordsWithPunctuation.punctuation.contains($0) ? "q" : $0 }))
            #expect(words.contains("joqannqhomeqlauqfamilyqexample"))

            try await sql.raw("SET enable_seqscan = off").run()
            let plan = try await sql.raw("EXPLAIN SELECT id FROM customers WHERE search_words LIKE '%lau%'").all()
                .map { try $0.decode(column: "QUERY PLAN", as: String.self) }.joined(separator: "\n")
            #expect(plan.contains("customers_search_words_column_trgm_idx"), "\(plan)")
            #expect(!plan.contains("translate"), "\(plan)")

            let found = try await directory.customers(CustomerQuery(search: CustomerSearchTerm("ann+home@lau"), page: 1, pageSize: 10))
            #expect(found.items.map(\.id) == [customer.id])
        }
    }
}
