import AvocaAPI
import AvocaCore
import AvocaIdentity
import Foundation

/// HCP paging parameters: 1-based `page`, `page_size` 1…100 (default 10).
enum Paging {
    static func validate(page: Int?, pageSize: Int?) throws -> (Int, Int) {
        let page = page ?? 1
        let size = pageSize ?? 10
        var fields: [String: String] = [:]
        if page < 1 { fields["page"] = "Pages start at 1." }
        if !(1...100).contains(size) { fields["page_size"] = "Choose 1 to 100." }
        guard fields.isEmpty else { throw DomainError.validation(message: "Invalid paging.", fields: fields) }
        return (page, size)
    }
}
