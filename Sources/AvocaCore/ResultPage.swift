import Foundation

/// One page of a list, with exact totals.
public struct ResultPage<Item: Sendable>: Sendable {
    /// The items on this page.
    public var items: [Item]
    /// 1-based page number.
    public var page: Int
    /// Requested size.
    public var pageSize: Int
    /// Rows matching, over all pages (a lower bound when `totalIsCapped`).
    public var totalItems: Int
    /// `true` when counting stopped at `totalItems` and more rows match (see `CustomerQuery.exactTotalLimit`).
    public var totalIsCapped: Bool
    /// Number of pages (at least 1... or 0 when nothing matches).
    public var totalPages: Int { totalItems == 0 ? 0 : (totalItems + pageSize - 1) / pageSize }

    /// Creates a page.
    public init(items: [Item], page: Int, pageSize: Int, totalItems: Int, totalIsCapped: Bool = false) {
        self.items = items
        self.page = page
        self.pageSize = pageSize
        self.totalItems = totalItems
        self.totalIsCapped = totalIsCapped
    }
}
