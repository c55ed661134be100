import AvocaCore

/// HCP paging parameters: 1-based `page` (at most `PageWindow.maxPage`), `page_size` 1…100.
enum Paging {
    static func validate(page: Int?, pageSize: Int?) throws -> (Int, Int) {
        let window = try PageWindow(page: page ?? 1, pageSize: pageSize ?? 10)
        return (window.page, window.pageSize)
    }
}
