/// Which rows one page covers. Built from client-given numbers, so it is checked before any
/// arithmetic: a page of `Int.max` must be an error, never an overflow trap that ends the process.
public struct PageWindow: Sendable, Equatable {
    /// The highest page a client may ask for. 100,000 pages of 100 cover ten million rows, more
    /// than any list holds; the offset it implies stays far from overflowing.
    public static let maxPage = 100_000
    /// The largest page.
    public static let maxPageSize = 100

    /// 1-based page number.
    public let page: Int
    /// Rows per page.
    public let pageSize: Int

    /// A checked window; `DomainError.validation` naming `page` / `page_size` when out of range.
    public init(page: Int, pageSize: Int) throws {
        var fields: [String: String] = [:]
        if !(1...Self.maxPage).contains(page) { fields["page"] = "Pages run from 1 to \(Self.maxPage)." }
        if !(1...Self.maxPageSize).contains(pageSize) { fields["page_size"] = "Choose 1 to \(Self.maxPageSize)." }
        guard fields.isEmpty else { throw DomainError.validation(message: "Invalid paging.", fields: fields) }
        self.page = page
        self.pageSize = pageSize
    }

    /// Rows before this page (at most 9,999,900 by the bounds above).
    public var offset: Int { (page - 1) * pageSize }
    /// The row positions of this page.
    public var rows: Range<Int> { offset..<(offset + pageSize) }
}
