import Foundation

extension Optional where Wrapped == String {
    /// `nil` for nil, empty or whitespace-only strings; otherwise the trimmed text.
    var nilIfBlank: String? {
        guard let trimmed = self?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}
