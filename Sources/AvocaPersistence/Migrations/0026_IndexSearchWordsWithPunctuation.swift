import FluentKit
import SQLKit

/// PostgreSQL only: re-creates the customer search index so fragments with punctuation stay
/// selective. pg_trgm splits text into words at every non-alphanumeric character, so an e-mail
/// fragment like "on.ca" became the two-letter words "on" and "ca", whose padded trigrams match
/// nearly every row (45,000 candidates to re-check at a million customers, ~90 ms). Indexing the
/// text with the punctuation found inside words replaced by a letter keeps "on.ca" one word
/// ("onqca"); the search re-checks the real text, so the stand-in letter never adds a match. The
/// digits-only phone index is dropped: phone searches use the search text.
struct IndexSearchWordsWithPunctuation: AsyncMigration {
    /// Characters that occur inside e-mail addresses, names and street numbers.
    static let punctuation = ".@_-'+#/&"
    /// The letter they become in the indexed text (and in the needle).
    static let standIn: Character = "q"
    /// The indexed expression; a query must repeat it exactly for the index to be used.
    static var indexedText: String {
        let from = punctuation.replacingOccurrences(of: "'", with: "''")
        return "translate(search_text, '\(from)', '\(String(repeating: standIn, count: punctuation.count))')"
    }

    /// `needle` as it appears in the indexed text.
    static func indexed(_ needle: String) -> String {
        String(needle.map { punctuation.contains($0) ? standIn : $0 })
    }

    func prepare(on database: any Database) async throws {
        let sql = try database.sql
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("CREATE INDEX customers_search_words_trgm_idx ON customers USING gin ((\(unsafeRaw: Self.indexedText)) gin_trgm_ops)").run()
        try await sql.raw("DROP INDEX customers_search_trgm_idx").run()
        try await sql.raw("DROP INDEX customers_phone_trgm_idx").run()
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("CREATE INDEX customers_search_trgm_idx ON customers USING gin (search_text gin_trgm_ops)").run()
        try await sql.raw("CREATE INDEX customers_phone_trgm_idx ON customers USING gin (phone_digits gin_trgm_ops)").run()
        try await sql.raw("DROP INDEX customers_search_words_trgm_idx").run()
    }
}
