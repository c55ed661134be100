import AvocaCore
import Foundation

extension Character {
    /// Whether this is one of 0–9 (not any Unicode digit).
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
