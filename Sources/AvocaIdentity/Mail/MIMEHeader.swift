import AvocaCore
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// RFC 2047 encoding for header text.
enum MIMEHeader {
    /// UTF-8 bytes per encoded word; 45 bytes become 60 base64 characters, keeping each word within the
    /// 75-character limit together with `=?utf-8?B?` and `?=`.
    private static let bytesPerWord = 45

    /// `text` as one or more `=?utf-8?B?…?=` words, split between Unicode scalars so no word holds half a character.
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > Self.bytesPerWord {
                words.append(Self.encodedWord(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty {
            words.append(Self.encodedWord(chunk))
        }
        return words
    }

    private static func encodedWord(_ bytes: [UInt8]) -> String {
        "=?utf-8?B?\(Data(bytes).base64EncodedString())?="
    }

    /// A header value that is left as it is when plain, short ASCII and encoded (folded over several lines)
    /// otherwise. Text that merely looks like an encoded word is encoded too, so it reads back literally.
    static func unstructuredValue(_ text: String) -> String {
        let plain = text.allSatisfy(\.isASCII) && !text.contains("=?") && text.utf8.count <= 900
        return plain ? text : Self.encodedWords(text).joined(separator: "\r\n ")
    }
}
