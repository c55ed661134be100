import AvocaCore
import Foundation

/// Finds US street addresses: house number, street name and suffix, then optionally a unit, a city,
/// a state (code or full name) and a ZIP code.
enum InsightAddressRules {
    private typealias Words = InsightVocabulary

    /// One part of an address, as said and in USPS form.
    private struct Part {
        var said: String
        var usps: String
    }

    /// What follows the street: city, state and ZIP (each optional), and where it ends.
    private struct Locality {
        var end: Int
        var city: Part?
        var state: Part?
        var zip: String?
    }

    /// An address whose house number is at `index`. `normalized` is the USPS-style form
    /// ("1423 MAPLE AVE APT 4B, SPRINGFIELD, IL 62704") so the same place said twice is one fact.
    static func address(in text: InsightText, at index: Int) -> InsightCandidate? {
        guard isHouseNumber(text[index].core), var current = text.next(index) else { return nil }
        var street = [Part(said: text[index].core, usps: text[index].core.uppercased())]

        // "1423 N. Maple Ave" — but in "123 North Street" the compass word is the name itself.
        if let direction = Words.directions[text[current].lower], let following = text.next(current),
            suffix(of: text[following]) == nil
        {
            street.append(Part(said: text[current].core, usps: direction))
            current = following
        }

        var nameWordCount = 0
        var sawLowerCase = false
        var suffixIndex: Int?
        while nameWordCount <= 4 {
            let token = text[current]
            if nameWordCount > 0, let usps = suffix(of: token) {
                // "Park Lane Drive": a suffix followed by another suffix is part of the name.
                if let following = text.next(current), suffix(of: text[following]) != nil, !token.endsClause {
                    street.append(Part(said: token.core, usps: token.core.uppercased()))
                    nameWordCount += 1
                    current = following
                    continue
                }
                street.append(Part(said: token.core, usps: usps))
                suffixIndex = current
                break
            }
            guard isStreetWord(token) else { return nil }
            sawLowerCase = sawLowerCase || token.core.first!.isLowercase
            street.append(Part(said: token.core, usps: token.core.uppercased()))
            nameWordCount += 1
            guard !token.endsClause, let following = text.next(current) else { return nil }
            current = following
        }
        guard let suffixIndex else { return nil }
        // "2 kids way" is not an address; a lower-case street name needs a clear suffix and a cue.
        if sawLowerCase
            && (Words.weakStreetSuffixes.contains(text[suffixIndex].lower) || !hasAddressCue(before: index, in: text))
        {
            return nil
        }
        var end = suffixIndex

        if !text[end].endsClause, let following = text.next(end),
            let direction = Words.directions[text[following].lower], text[following].core == text[following].core.uppercased()
        {
            street.append(Part(said: text[following].core, usps: direction))
            end = following
        }
        var unit: Part?
        if let (found, unitEnd) = self.unit(in: text, after: end) {
            unit = found
            end = unitEnd
        }
        let locality = self.locality(in: text, after: end)
        if let locality { end = locality.end }

        let streetSaid = street.map(\.said).joined(separator: " ") + (unit.map { " " + $0.said } ?? "")
        let streetUSPS = street.map(\.usps).joined(separator: " ") + (unit.map { " " + $0.usps } ?? "")
        let value = compose(streetSaid, locality?.city?.said, locality?.state?.said, locality?.zip)
        let normalized = compose(streetUSPS, locality?.city?.usps, locality?.state?.usps, locality?.zip)
        return InsightCandidate(kind: .address, start: index, end: end, value: value, normalized: normalized)
    }

    /// "street, city, ST 12345"; without a state the ZIP follows the city directly ("Naperville 60540").
    private static func compose(_ street: String, _ city: String?, _ state: String?, _ zip: String?) -> String {
        let stateAndZip = [state, zip].compactMap { $0 }.joined(separator: " ")
        if let city, state == nil, let zip { return "\(street), \(city) \(zip)" }
        return ([street, city] + [stateAndZip.isEmpty ? nil : stateAndZip]).compactMap { $0 }.joined(separator: ", ")
    }

    private static func isHouseNumber(_ core: String) -> Bool {
        let digits = core.prefix { $0.isASCIIDigit }
        let rest = core.dropFirst(digits.count)
        return (1...6).contains(digits.count) && digits.first != "0" && (rest.isEmpty || (rest.count == 1 && rest.first!.isLetter))
    }

    private static func suffix(of token: InsightToken) -> String? {
        Words.streetSuffixes[token.lower]
    }

    private static func isStreetWord(_ token: InsightToken) -> Bool {
        let core = token.core
        if let first = core.first, first.isASCIIDigit {
            // ordinals: "5th", "21st"
            let digits = core.prefix { $0.isASCIIDigit }
            return ["st", "nd", "rd", "th"].contains(core.dropFirst(digits.count).lowercased())
        }
        return core.count >= 2 && core.allSatisfy({ $0.isLetter || "'-.".contains($0) }) && core.first!.isLetter
            && !Words.notStreetWords.contains(token.lower) && !Words.functionWords.contains(token.lower)
            && !token.endsSentence
    }

    private static let addressCues: Set<String> = ["at", "address", "is", "live", "located", "on", "to", "it's", "property", "house"]

    private static func hasAddressCue(before index: Int, in text: InsightText) -> Bool {
        var current = index
        for _ in 0..<3 {
            guard let before = text.previous(current) else { return false }
            if addressCues.contains(text[before].lower) { return true }
            current = before
        }
        return false
    }

    /// "Apt 4B", "apartment 12", "Suite 200", "unit number 3", "#4B".
    private static func unit(in text: InsightText, after end: Int) -> (Part, Int)? {
        guard let start = text.next(end) else { return nil }
        let token = text[start]
        if token.core.hasPrefix("#"), isUnitIdentifier(String(token.core.dropFirst())) {
            return (Part(said: token.core, usps: "# " + token.core.dropFirst().uppercased()), start)
        }
        guard let usps = Words.unitWords[token.lower], token.lower != "no" && token.lower != "number" else { return nil }
        guard var identifier = text.next(start) else { return nil }
        if ["number", "no", "#"].contains(text[identifier].lower), let following = text.next(identifier) {
            identifier = following
        }
        let raw = text[identifier].core.hasPrefix("#") ? String(text[identifier].core.dropFirst()) : text[identifier].core
        guard isUnitIdentifier(raw) else { return nil }
        return (Part(said: token.core + " " + raw, usps: usps + " " + raw.uppercased()), identifier)
    }

    private static func isUnitIdentifier(_ word: String) -> Bool {
        (1...6).contains(word.count) && word.allSatisfy({ $0.isASCIIDigit || $0.isLetter || $0 == "-" })
            && (word.contains(where: \.isASCIIDigit) || (word.count == 1 && word.first!.isUppercase))
    }

    /// The longest city / state / ZIP tail after the street. A city alone counts only when introduced by
    /// "in" or a comma and closed by punctuation or a lower-case word ("…Ave in Springfield and…").
    private static func locality(in text: InsightText, after streetEnd: Int) -> Locality? {
        guard var start = text.next(streetEnd) else { return nil }
        var introduced = text[streetEnd].endsClause
        if text[start].lower == "in", let following = text.next(start) {
            start = following
            introduced = true
        }
        var best: Locality?
        func consider(_ option: Locality) {
            if option.end > (best?.end ?? -1) { best = option }
        }
        func stateAndZip(from index: Int, city: Part?) {
            if let (state, stateEnd) = self.state(in: text, at: index) {
                var option = Locality(end: stateEnd, city: city, state: state, zip: nil)
                if let zipIndex = text.next(stateEnd), isZip(text[zipIndex].core) {
                    option.zip = text[zipIndex].core
                    option.end = zipIndex
                }
                consider(option)
            } else if isZip(text[index].core) {
                consider(Locality(end: index, city: city, state: nil, zip: text[index].core))
            }
        }

        stateAndZip(from: start, city: nil)
        var cityWords: [String] = []
        var current = start
        while cityWords.count < 3, isCityWord(text[current]) {
            cityWords.append(text[current].core)
            let city = Part(said: cityWords.joined(separator: " "), usps: cityWords.joined(separator: " ").uppercased())
            let following = text.next(current)
            if let following, !text[current].endsSentence { stateAndZip(from: following, city: city) }
            let closed =
                text[current].endsClause || text[current].endsSentence
                || following.map { !(text[$0].core.first?.isUppercase ?? false) } ?? true
            if introduced && closed { consider(Locality(end: current, city: city, state: nil, zip: nil)) }
            guard let following, !text[current].endsClause else { break }
            current = following
        }
        return best
    }

    private static func state(in text: InsightText, at index: Int) -> (Part, Int)? {
        var words: [String] = []
        var current: Int? = index
        var best: (Part, Int)?
        for _ in 0..<3 {
            guard let position = current else { break }
            words.append(text[position].lower)
            if let code = Words.stateNames[words.joined(separator: " ")] {
                let said = text.phrase(index, position)
                best = (Part(said: said, usps: code), position)
            }
            current = text[position].endsClause ? nil : text.next(position)
        }
        if let best { return best }
        let core = text[index].core
        if core.count == 2, core == core.uppercased(), Words.stateCodes.contains(core) {
            return (Part(said: core, usps: core), index)
        }
        return nil
    }

    private static func isZip(_ core: String) -> Bool {
        let parts = core.split(separator: "-", omittingEmptySubsequences: false)
        guard parts[0].count == 5, parts[0].allSatisfy(\.isASCIIDigit) else { return false }
        return parts.count == 1 || (parts.count == 2 && parts[1].count == 4 && parts[1].allSatisfy(\.isASCIIDigit))
    }

    private static func isCityWord(_ token: InsightToken) -> Bool {
        let core = token.core
        guard let first = core.first, first.isUppercase, core.count >= 2,
            core.allSatisfy({ $0.isLetter || "'-.".contains($0) }), core.contains(where: \.isLowercase)
        else { return false }
        return !Words.notNames.contains(token.lower) || token.lower == "new"
    }
}
