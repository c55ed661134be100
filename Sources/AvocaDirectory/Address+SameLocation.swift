import AvocaCore
import Foundation

extension Address {
    /// Whether both name the same place, ignoring case, spacing and punctuation ("1423 Maple Ave."
    /// is "1423 maple ave"); the kind (service or billing) does not make a second place.
    func sameLocation(as other: Address) -> Bool {
        Self.folded(street) == Self.folded(other.street) && Self.folded(streetLine2 ?? "") == Self.folded(other.streetLine2 ?? "")
            && Self.folded(city) == Self.folded(other.city) && Self.folded(state) == Self.folded(other.state)
            && Self.folded(String(zip.prefix(5))) == Self.folded(String(other.zip.prefix(5)))
    }

    private static func folded(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }
}
