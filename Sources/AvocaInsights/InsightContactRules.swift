import AvocaCore
import Foundation

/// Finds the caller's name, phone number and e-mail address.
enum InsightContactRules {
    private typealias Words = InsightVocabulary

    // MARK: Name

    /// How much a cue vouches for what follows: after "my name is" a lower-case "dana" is still a name;
    /// after "this is" or "I'm" only a capitalised word is.
    private enum NameCue { case strong, weak }

    /// A name of one to three words starting at `index`, introduced by a cue just before it
    /// ("my name is", "name's", "this is", "I'm", "I am", "hi, it's") or followed by "speaking".
    static func name(in text: InsightText, at index: Int) -> InsightCandidate? {
        if let cue = nameCue(before: index, in: text) {
            return nameWords(in: text, from: index, cue: cue)
        }
        return speakingName(in: text, at: index)
    }

    private static func nameCue(before index: Int, in text: InsightText) -> NameCue? {
        var last = text.previous(index)
        for _ in 0..<3 {
            guard let current = last, Words.fillers.contains(text[current].lower) else { break }
            last = text.previous(current)
        }
        guard let last else { return nil }
        let word = text[last].lower
        let before = text.lower(text.previous(last))
        if (word == "is" && before == "name") || word == "name's" { return .strong }
        if (word == "is" && before == "this") || word == "i'm" || (word == "am" && before == "i") { return .weak }
        if word == "it's" {
            // Only as an introduction ("Hi, it's Dana"), not "it's Tuesday" mid-sentence.
            guard let before else { return .weak }
            return Words.greetings.contains(before) ? .weak : nil
        }
        if word == "me" && before == "call" {
            // "you can call me Dana", not "call me back".
            let callIndex = text.previous(last)
            return callIndex.flatMap { text.lower(text.previous($0)) } == "can" ? .weak : nil
        }
        return nil
    }

    private static func nameWords(in text: InsightText, from start: Int, cue: NameCue) -> InsightCandidate? {
        var position: Int? = start
        if Words.honorifics.contains(text[start].lower) {
            guard !text[start].endsSentence else { return nil }
            position = text.next(start)
        }
        var words: [String] = []
        var end = start
        while let current = position, words.count < 3 {
            let token = text[current]
            if isNameWord(token, cue: cue, first: words.isEmpty) {
                words.append(titleCased(token.core))
            } else if !words.isEmpty, isInitial(token), let following = text.next(current),
                isNameWord(text[following], cue: cue, first: false)
            {
                words.append(String(token.core.prefix(1)).uppercased() + ".")
            } else {
                break
            }
            end = current
            if token.endsClause { break }
            position = text.next(current)
        }
        guard !words.isEmpty, !words.contains(where: { Words.businessWords.contains($0.lowercased()) }) else { return nil }
        // A business name ("Springfield Property Management") is not cut short into a person.
        if let following = text.next(end), !text[end].endsClause, Words.businessWords.contains(text[following].lower) {
            return nil
        }
        return InsightCandidate(kind: .name, start: start, end: end, value: words.joined(separator: " "), normalized: nil)
    }

    private static func speakingName(in text: InsightText, at start: Int) -> InsightCandidate? {
        // "Hi, Dana Whitfield speaking": the words must open the sentence or follow a greeting.
        if let before = text.previous(start), !Words.greetings.contains(text[before].lower), text[before].lower != "it's" {
            return nil
        }
        var words: [String] = []
        var current = start
        while words.count < 3, isNameWord(text[current], cue: .weak, first: words.isEmpty) {
            words.append(text[current].core)
            guard let following = text.next(current) else { return nil }
            if text[following].lower == "speaking" {
                return InsightCandidate(
                    kind: .name, start: start, end: current, value: words.joined(separator: " "), normalized: nil)
            }
            current = following
        }
        return nil
    }

    private static func isNameWord(_ token: InsightToken, cue: NameCue, first: Bool) -> Bool {
        let core = token.core
        guard core.count >= 2, core.allSatisfy({ $0.isLetter || $0 == "'" || $0 == "-" }),
            core.first!.isLetter, !Words.notNames.contains(token.lower), !token.lower.hasSuffix("'s")
        else { return false }
        if core.first!.isUppercase {
            // All capitals is an acronym or a state code ("AC", "IL"), not a name.
            return core.contains(where: \.isLowercase) && !(first && token.lower.hasSuffix("ing"))
        }
        guard cue == .strong, core.allSatisfy({ !$0.isUppercase }) else { return false }
        // A lower-case word after "my name is" is only trusted when it does not read like a verb or adverb.
        return !["ing", "ed", "ly"].contains(where: { token.lower.hasSuffix($0) })
    }

    private static func isInitial(_ token: InsightToken) -> Bool {
        token.core.count == 1 && token.core.first!.isUppercase
    }

    private static func titleCased(_ word: String) -> String {
        guard let first = word.first, first.isLowercase else { return word }
        return first.uppercased() + word.dropFirst()
    }

    // MARK: Phone

    /// A US phone number starting at `index`, written ("(312) 555-0142", "312.555.0142", "+1 312 555 0142")
    /// or spoken ("three one two five five five oh one four two", "double five").
    static func phone(in text: InsightText, at index: Int) -> InsightCandidate? {
        // Not from the middle of a longer written digit run ("011 44 20 7946 0958" holds no US number).
        if let before = text.previous(index), writtenDigits(text[before]) != nil, !text[before].endsClause { return nil }
        var digits = ""
        var spoken = false
        var repeatCount: Int?
        var best: (end: Int, digits: String)?
        var current = index
        // At most 11 digits, each its own word, plus a few "dash"/"double" words.
        for _ in 0..<16 {
            let token = text[current]
            if let written = writtenDigits(token) {
                guard repeatCount == nil else { break }
                digits += written
            } else if let digit = Words.digitWords[token.lower] {
                digits += String(repeating: String(digit), count: repeatCount ?? 1)
                repeatCount = nil
                spoken = true
            } else if token.lower == "double" || token.lower == "triple", repeatCount == nil {
                repeatCount = token.lower == "double" ? 2 : 3
                spoken = true
            } else if token.lower == "dash" || token.lower == "hyphen", !digits.isEmpty {
                // spoken separator: carries no digit
            } else {
                break
            }
            if digits.count > 11 { break }
            if repeatCount == nil, isDialable(digits) { best = (current, digits) }
            // Transcribers sometimes end each digit group with a period ("312. 555. 0142.").
            let crossesPeriod =
                token.endsSentence && writtenDigits(token) != nil && current + 1 < text.count
                && text[current + 1].turn == token.turn
            guard let following = text.next(current) ?? (crossesPeriod ? current + 1 : nil) else { break }
            current = following
        }
        guard let best else { return nil }
        let national = String(best.digits.suffix(10))
        let e164 = PhoneNumber(national)?.e164 ?? "+1" + national
        let value: String
        if spoken {
            value = "(\(national.prefix(3))) \(national.dropFirst(3).prefix(3))-\(national.suffix(4))"
        } else {
            value = (index...best.end).map { trimmedRaw(text[$0]) }.joined(separator: " ")
        }
        return InsightCandidate(kind: .phone, start: index, end: best.end, value: value, normalized: e164)
    }

    /// The digits of a word made only of digits and phone punctuation ("(312)", "555-0142,", "+1").
    private static func writtenDigits(_ token: InsightToken) -> String? {
        let body = trimmedRaw(token)
        guard body.contains(where: \.isASCIIDigit), body.allSatisfy({ $0.isASCIIDigit || "()+-.".contains($0) }) else {
            return nil
        }
        return body.filter(\.isASCIIDigit)
    }

    private static func trimmedRaw(_ token: InsightToken) -> String {
        var body = Substring(token.raw)
        while let last = body.last, ".,;:!?\"'".contains(last) { body = body.dropLast() }
        while let first = body.first, "\"'".contains(first) { body = body.dropFirst() }
        return String(body)
    }

    /// Ten NANP digits (area code and exchange not starting with 0 or 1), optionally after a leading 1.
    private static func isDialable(_ digits: String) -> Bool {
        let national: Substring
        if digits.count == 10 {
            national = Substring(digits)
        } else if digits.count == 11, digits.first == "1" {
            national = digits.dropFirst()
        } else {
            return false
        }
        let areaCode = national.first!
        let exchange = national.dropFirst(3).first!
        return areaCode >= "2" && exchange >= "2"
    }

    // MARK: E-mail

    /// An e-mail address starting at `index`: written ("maria.g@gmail.com") or spoken
    /// ("john dot smith at gmail dot com", "my email is dana w 42 at yahoo").
    static func email(in text: InsightText, at index: Int) -> InsightCandidate? {
        let token = text[index]
        if token.core.contains("@") {
            guard let address = EmailAddress(token.core), isLocalPart(String(address.value.prefix { $0 != "@" })) else {
                return nil
            }
            return InsightCandidate(kind: .email, start: index, end: index, value: token.core, normalized: address.value)
        }
        // After a cue every word up to "at" is the local part, so the cue's own words must not start one.
        let cued = hasEmailCue(before: index, in: text) && !["is", "address", "email", "e-mail"].contains(token.lower)
        guard let (local, atIndex) = spokenLocalPart(in: text, from: index, cued: cued),
            let (domain, end) = spokenDomain(in: text, after: atIndex),
            let address = EmailAddress(local + "@" + domain)
        else { return nil }
        return InsightCandidate(kind: .email, start: index, end: end, value: address.value, normalized: address.value)
    }

    private static let emailWords: Set<String> = ["email", "e-mail", "email's", "e-mail's", "emails"]

    private static func hasEmailCue(before index: Int, in text: InsightText) -> Bool {
        guard let last = text.previous(index) else { return false }
        if emailWords.contains(text[last].lower) { return true }
        guard text[last].lower == "is", let before = text.previous(last) else { return false }
        if emailWords.contains(text[before].lower) { return true }
        return text[before].lower == "address" && emailWords.contains(text.lower(text.previous(before)) ?? "")
    }

    /// The local part from `start` up to the word "at". After an e-mail cue every word counts
    /// ("dana whitfield 42"); without one the words must be joined by spoken punctuation or be single
    /// letters, so "it's john dot smith at…" starts at "john".
    private static func spokenLocalPart(in text: InsightText, from start: Int, cued: Bool) -> (String, Int)? {
        var local = ""
        var previousWasPiece = false
        var previousWasLetter = false
        var current = start
        for _ in 0..<10 {
            let word = text[current].lower
            if word == "at" || word == "@" {
                guard previousWasPiece, isLocalPart(local) else { return nil }
                return (local, current)
            }
            if let separator = Words.emailSeparators[word], previousWasPiece {
                local += separator
                previousWasPiece = false
                previousWasLetter = false
            } else if isLocalPart(word) {
                let isLetter = word.count == 1
                let isNumber = word.allSatisfy(\.isASCIIDigit)
                if previousWasPiece && !cued && !(isLetter && previousWasLetter) && !isNumber { return nil }
                local += word
                previousWasPiece = true
                previousWasLetter = isLetter
            } else {
                return nil
            }
            guard let following = text.next(current) else { return nil }
            current = following
        }
        return nil
    }

    /// "gmail dot com", "gmail.com", "yahoo" (a provider alone means .com), "mail dot example dot co dot uk".
    private static func spokenDomain(in text: InsightText, after atIndex: Int) -> (String, Int)? {
        guard var current = text.next(atIndex) else { return nil }
        if ["sign", "symbol"].contains(text[current].lower) {
            guard let following = text.next(current) else { return nil }
            current = following
        }
        guard isDomainPiece(text[current].lower) else { return nil }
        var labels = text[current].lower.split(separator: ".").map(String.init)
        var end = current
        while labels.count < 5, let separator = text.next(end) {
            let word = text[separator].lower
            if word == "dotcom" || word == ".com" {
                labels.append("com")
                end = separator
                continue
            }
            guard word == "dot" || word == "period", let piece = text.next(separator), isDomainPiece(text[piece].lower)
            else { break }
            labels += text[piece].lower.split(separator: ".").map(String.init)
            end = piece
        }
        if labels.count >= 2, Words.topLevelDomains.contains(labels.last!) {
            return (labels.joined(separator: "."), end)
        }
        if labels.count == 1, Words.mailProviders.contains(labels[0]) {
            return (labels[0] + ".com", end)
        }
        return nil
    }

    private static func isLocalPart(_ word: String) -> Bool {
        !word.isEmpty && word.count <= 64 && !word.hasPrefix(".") && !word.hasSuffix(".") && !word.contains("..")
            && word.allSatisfy { $0.isASCIIDigit || ("a"..."z").contains($0) || "._%+-".contains($0) }
    }

    private static func isDomainPiece(_ word: String) -> Bool {
        !word.isEmpty && !word.hasPrefix(".") && !word.hasSuffix(".") && !word.hasPrefix("-")
            && word.allSatisfy { $0.isASCIIDigit || ("a"..."z").contains($0) || ".-".contains($0) }
    }
}
