import AvocaCore
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// The service extensions a server announced in its EHLO reply.
struct SMTPExtensions {
    /// Upper-cased keyword → its parameters, e.g. `AUTH` → `["PLAIN", "LOGIN"]`.
    var keywords: [String: [String]] = [:]

    /// No extensions, as after a HELO.
    init() {}

    /// Reads the lines after the first of a `250` EHLO reply.
    init(ehloReply: SMTPReply) {
        for line in ehloReply.lines.dropFirst() {
            let words = line.split(separator: " ").map { $0.uppercased() }
            guard var keyword = words.first else { continue }
            var parameters = Array(words.dropFirst())
            // Some old servers announce `AUTH=PLAIN LOGIN` next to (or instead of) the standard form.
            if keyword.hasPrefix("AUTH=") {
                parameters.insert(String(keyword.dropFirst("AUTH=".count)), at: 0)
                keyword = "AUTH"
            }
            self.keywords[keyword, default: []].append(contentsOf: parameters)
        }
    }

    /// Whether the server announced `keyword`.
    func supports(_ keyword: String) -> Bool {
        self.keywords[keyword] != nil
    }

    /// The SASL mechanisms the server offers.
    var authMechanisms: [String] {
        var seen = Set<String>()
        return (self.keywords["AUTH"] ?? []).filter { seen.insert($0).inserted }
    }
}
