import AvocaCore
import FluentKit
import Foundation
import SQLKit

/// Customer search. A search first collects the ids of its matches through the index, stopping
/// one past `CustomerQuery.exactTotalLimit`:
/// * few matches (the usual case while a CSR types a name, a number or an e-mail): the total is
///   exact and the page is sorted from just those ids;
/// * more than the limit: the total is reported as capped and the page comes from walking the
///   sort column's index, keeping rows that contain the needle — with this many matches the first
///   pages are found after a few thousand rows, where sorting every match would read them all.
/// Both ways avoid what made broad fragments slow at a million customers: counting every match
/// exactly and sorting every match to return ten.
extension FluentDirectoryRepository {
    public func customers(_ query: CustomerQuery) async throws -> ResultPage<Customer> {
        guard let term = query.search else {
            let countRow = try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from("customers").first()
            let total = try countRow?.decode(column: "count", as: Int.self) ?? 0
            let ids = try await pageIDs(where: SQLQueryString("1 = 1"), query)
            return ResultPage(items: try await customers(ids: ids), page: query.page, pageSize: query.pageSize, totalItems: total)
        }
        let limit = CustomerQuery.exactTotalLimit
        let matches = try await matchingIDs(term, limit: limit + 1)
        if matches.count <= limit {
            let ids =
                matches.isEmpty
                ? [] : try await pageIDs(where: SQLBinaryExpression(SQLIdentifier("id"), .in, SQLGroupExpression(matches.map(SQLBind.init))), query)
            return ResultPage(items: try await customers(ids: ids), page: query.page, pageSize: query.pageSize, totalItems: matches.count)
        }
        let ids = try await pageIDs(where: scanFilter(term), query)
        return ResultPage(items: try await customers(ids: ids), page: query.page, pageSize: query.pageSize, totalItems: limit, totalIsCapped: true)
    }

    public func customers(phoneDigits: String, limit: Int) async throws -> [Customer] {
        guard phoneDigits.count >= 7, let term = CustomerSearchTerm(phoneDigits) else { return [] }
        // The digits are part of the indexed search text, so the index finds candidates; only
        // customers with exactly this number are kept.
        let candidates = try await customers(ids: try await matchingIDs(term, limit: 50))
        return Array(candidates.filter { $0.phoneNumbers.contains { $0.digits == phoneDigits } }.prefix(limit))
    }

    /// Ids of up to `limit` customers matching `term`, in no particular order, found through an
    /// index: name-prefix ranges for needles under three characters, else the trigram index.
    func matchingIDs(_ term: CustomerSearchTerm, limit: Int) async throws -> [UUID] {
        let needle = term.needle
        let query: SQLQueryString
        if needle.count < 3 {
            // Each name's range is read on its own and stops after `limit` ids (an index-only scan
            // of a few hundred entries); an OR of the two ranges built a bitmap of every match
            // first — 17,000 for "ca" at a million customers, 20 ms instead of 4. If either range
            // has `limit` matches the union has too, so the count stays exact up to the limit. The
            // ORDER BY keeps PostgreSQL walking the index even when its visibility map is stale
            // (it chose a full bitmap again right after a table rewrite).
            let upper = needle + "\u{10FFFF}"
            query = """
                SELECT id FROM (SELECT id FROM customers WHERE first_name_key >= \(bind: needle) AND first_name_key < \(bind: upper) \
                ORDER BY first_name_key LIMIT \(bind: limit)) AS first_names UNION SELECT id FROM (SELECT id FROM customers WHERE last_name_key >= \(bind: needle) \
                AND last_name_key < \(bind: upper) ORDER BY last_name_key LIMIT \(bind: limit)) AS last_names LIMIT \(bind: limit)
                """
        } else if isPostgres {
            // The trigram index covers `search_words`, the text with in-word punctuation replaced
            // (see IndexSearchWordsWithPunctuation, StoreSearchWords); strpos keeps only true matches.
            let indexed = IndexSearchWordsWithPunctuation.indexed(needle).replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            query = """
                SELECT id FROM customers WHERE strpos(search_text, \(bind: needle)) > 0 \
                AND search_words LIKE \(bind: "%" + indexed + "%") LIMIT \(bind: limit)
                """
        } else {
            // An FTS5 phrase over trigrams is an exact substring match answered from the index
            // alone (LIKE would re-read every candidate's text); inside quotes nothing is syntax.
            let phrase = "\"" + needle.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            query = "SELECT customer_id AS id FROM customers_fts WHERE customers_fts MATCH \(bind: phrase) LIMIT \(bind: limit)"
        }
        return try await db.sql.raw(query).all().map { try $0.decode(column: "id", as: UUID.self) }
    }

    /// The same match as `matchingIDs`, written so no index can serve it: the planner then walks
    /// the sort column's index and stops after one page, instead of collecting every match.
    private func scanFilter(_ term: CustomerSearchTerm) -> SQLQueryString {
        let needle = term.needle
        if needle.count < 3 {
            let length = needle.unicodeScalars.count
            return
                "(substr(first_name_key, 1, \(literal: length)) = \(bind: needle) OR substr(last_name_key, 1, \(literal: length)) = \(bind: needle))"
        }
        return isPostgres ? "strpos(search_text, \(bind: needle)) > 0" : "instr(search_text, \(bind: needle)) > 0"
    }

    /// One page of customer ids matching `filter`, in the query's order (id breaks ties).
    private func pageIDs(where filter: any SQLExpression, _ query: CustomerQuery) async throws -> [UUID] {
        let sortColumn: String =
            switch query.sortBy {
            case .createdAt: "created_at"
            case .updatedAt: "updated_at"
            case .firstName: "first_name_key"
            case .lastName: "last_name_key"
            }
        let direction: SQLDirection = query.direction == .asc ? .ascending : .descending
        let rows = try await db.sql.select().column("id").from("customers").where(filter)
            .orderBy(sortColumn, direction).orderBy("id", direction)
            .limit(query.pageSize).offset(try PageWindow(page: query.page, pageSize: query.pageSize).offset).all()
        return try rows.map { try $0.decode(column: "id", as: UUID.self) }
    }

    /// Keeps the SQLite FTS row of a customer in step with its search text, finding an existing
    /// row by its recorded rowid (see `AddCustomerSearchRows`).
    static func writeSearchRow(_ customer: Customer, isNew: Bool, on db: any Database) async throws {
        let text = CustomerSearchTerm.searchText(for: customer)
        if isNew {
            try await db.sql.insert(into: "customers_fts").columns("customer_id", "search_text").values(SQLBind(customer.id.uuid), SQLBind(text))
                .run()
            try await db.sql.raw(CustomerSearchRows.recordNewRows).run()
        } else {
            try await db.sql.raw(
                "UPDATE customers_fts SET search_text = \(bind: text) WHERE rowid = (SELECT fts_rowid FROM customer_search_rows WHERE customer_id = \(bind: customer.id.uuid))"
            ).run()
        }
    }
}
