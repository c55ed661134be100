import AvocaCore
import Foundation

/// Finds a requested appointment time and resolves it against the call's start.
enum InsightTimeRules {
    private typealias Words = InsightVocabulary

    /// A part of the day and the hours it stands for; a request for one reports its start.
    enum PartOfDay: Sendable {
        case morning, afternoon, evening

        /// When it starts.
        var startHour: Int {
            switch self {
            case .morning: 8
            case .afternoon: 12
            case .evening: 17
            }
        }
        /// When it ends.
        var endHour: Int {
            switch self {
            case .morning: 12
            case .afternoon: 17
            case .evening: 21
            }
        }

        init?(_ word: String) {
            switch word {
            case "morning": self = .morning
            case "afternoon": self = .afternoon
            case "evening", "night": self = .evening
            default: return nil
            }
        }
    }

    /// Which day was said.
    enum DaySpec: Sendable, Equatable {
        /// Today plus a number of days ("today", "tomorrow", "the day after tomorrow").
        case offset(Int)
        /// A weekday: the coming one, or with `next` the one in the following calendar week.
        case weekday(Int, next: Bool)
        /// The coming (or next week's) Saturday.
        case weekend(next: Bool)
        /// A day of the month ("on the 14th"), optionally with the weekday the caller believes it is.
        case dayOfMonth(Int, weekday: Int?)
        /// A calendar date ("November 20th", "11/20", "11/20/2026").
        case monthDay(month: Int, day: Int, year: Int?)
    }

    /// A clock time as said.
    struct ClockTime: Sendable, Equatable {
        /// The hour as said (3 in "3 pm").
        var hour: Int
        /// The minutes.
        var minute: Int
        /// `true` for am, `false` for pm, `nil` when not said.
        var isAM: Bool?
    }

    /// Everything said in one time expression.
    private struct Expression {
        var day: DaySpec?
        var part: PartOfDay?
        var thisPart = false
        var time: ClockTime?
        var end = -1
    }

    /// The requested time starting at `index`, resolved to an ISO-8601 date ("2026-11-27") or date-time
    /// ("2026-11-25T08:00:00-06:00"). Times already past ("this morning" at 10:15) are not requests and are
    /// dropped; "since Monday", "last Tuesday" and "yesterday" are swallowed so their parts are not read alone.
    static func requestedTime(in text: InsightText, at index: Int, clock: InsightClock) -> InsightCandidate? {
        let word = text[index].lower
        if word == "yesterday" || word == "since" || word == "last" || word == "every" || word == "until" {
            var end = index
            if word != "yesterday", let following = text.next(index) {
                if let expression = expression(in: text, at: following) {
                    end = expression.end
                } else if ["week", "weekend", "night", "month", "time", "year"].contains(text[following].lower) {
                    end = following
                }
            }
            return InsightCandidate(kind: .requestedTime, start: index, end: end, value: "", normalized: nil, reportable: false)
        }
        guard let expression = expression(in: text, at: index) else { return nil }
        var valueStart = index
        while valueStart < expression.end,
            ["at", "on", "for", "around", "about", "say", "maybe", "sometime", "ideally", "probably", "hopefully"].contains(text[valueStart].lower)
        {
            valueStart += 1
        }
        let value = text.phrase(valueStart, expression.end)
        guard !isPastEvent(in: text, start: index, end: expression.end), let normalized = resolve(expression, clock: clock) else {
            // Still covers its words, so "this morning" (past) does not leave "morning" to be read alone.
            return InsightCandidate(kind: .requestedTime, start: index, end: expression.end, value: value, normalized: nil, reportable: false)
        }
        return InsightCandidate(kind: .requestedTime, start: index, end: expression.end, value: value, normalized: normalized)
    }

    /// Whether the clause around the expression tells what happened then ("this morning it started
    /// leaking", "it broke on Monday") rather than asks for a visit.
    private static func isPastEvent(in text: InsightText, start: Int, end: Int) -> Bool {
        var low = start
        while low > 0, start - low < 8, let before = text.previous(low), !text[before].endsClause,
            text[before].sentence == text[start].sentence
        {
            low = before
        }
        var high = end
        while high - end < 4, !text[high].endsClause, let after = text.next(high) { high = after }
        return (low...high).contains { Words.pastEvents.contains(text[$0].lower) }
    }

    // MARK: Parsing

    private static func expression(in text: InsightText, at index: Int) -> Expression? {
        var expression = Expression()
        var position: Int? = index
        var components = 0
        while let current = position, components < 4 {
            if expression.day == nil, let (day, impliedPart, end) = self.day(in: text, at: current) {
                expression.day = day
                if let impliedPart, expression.part == nil {
                    expression.part = impliedPart
                    expression.thisPart = true
                }
                expression.end = end
            } else if expression.time == nil, let (time, end) = clockTime(in: text, at: current) {
                expression.time = time
                expression.end = end
            } else if expression.part == nil,
                let (part, isThis, end) = partOfDay(in: text, at: current, standalone: expression.day == nil && expression.time == nil)
            {
                expression.part = part
                expression.thisPart = isThis
                expression.end = end
            } else {
                break
            }
            components += 1
            position = text.next(expression.end)
        }
        return expression.end >= 0 ? expression : nil
    }

    private static func day(in text: InsightText, at index: Int) -> (DaySpec, PartOfDay?, Int)? {
        var current = index
        var saidOn = false
        if text[index].lower == "on" || text[index].lower == "for" {
            guard let following = text.next(index) else { return nil }
            current = following
            saidOn = true
        }
        let word = text[current].key
        let following = text.next(current)
        let nextWord = text.lower(following)
        switch word {
        case "today":
            // "how are you today", "I called earlier today"
            if let before = text.lower(text.previous(current)), ["you", "doing", "earlier", "already"].contains(before) { return nil }
            return (.offset(0), nil, current)
        case "tonight":
            return (.offset(0), .evening, current)
        case "tomorrow":
            return (.offset(1), nil, current)
        case "the" where nextWord == "day", "day":
            let dayIndex = word == "the" ? following! : current
            guard let after = text.next(dayIndex), text[after].lower == "after", let target = text.next(after),
                text[target].key == "tomorrow"
            else { return nil }
            return (.offset(2), nil, target)
        case "this", "next", "coming":
            guard var target = following else { return nil }
            if word == "this", text[target].lower == "coming", let after = text.next(target) { target = after }
            if let weekday = Words.weekdays[text[target].key] {
                return (.weekday(weekday, next: word == "next"), nil, target)
            }
            if text[target].lower == "weekend" { return (.weekend(next: word == "next"), nil, target) }
            if word == "this", let part = PartOfDay(text[target].lower) { return (.offset(0), part, target) }
            return nil
        default:
            break
        }
        if let weekday = Words.weekdays[word] {
            // "Saturday, Dec 5th": the date says it all.
            if let dateIndex = following, let (date, end) = calendarDate(in: text, at: dateIndex) { return (date, nil, end) }
            // "Friday the 4th"
            if nextWord == "the", let ordinalIndex = text.next(following!), let day = dayNumber(text[ordinalIndex].lower, needsSuffix: true) {
                return (.dayOfMonth(day, weekday: weekday), nil, ordinalIndex)
            }
            return (.weekday(weekday, next: false), nil, current)
        }
        if word == "the", let following {
            if text[following].lower == "weekend" { return (.weekend(next: false), nil, following) }
            if let (date, end) = calendarDate(in: text, at: current) { return (date, nil, end) }
            // "the 2nd" alone could be a floor or a bathroom; only "on the 2nd" / "for the 2nd" is a date.
            if saidOn, let day = dayNumber(text[following].lower, needsSuffix: true) { return (.dayOfMonth(day, weekday: nil), nil, following) }
            return nil
        }
        return calendarDate(in: text, at: current).map { ($0.0, nil, $0.1) }
    }

    /// A calendar date: "December 2nd", "Dec 2, 2027", "the 9th of December", "9th of December", "12/9".
    private static func calendarDate(in text: InsightText, at index: Int) -> (DaySpec, Int)? {
        var current = index
        if text[index].lower == "the", let following = text.next(index) { current = following }
        let word = text[current].lower
        if let day = dayNumber(word, needsSuffix: true), let (month, end) = ofMonth(in: text, after: current) {
            return (.monthDay(month: month, day: day, year: nil), end)
        }
        guard current == index else { return nil }
        if let month = Words.months[word], let dayIndex = text.next(current), let day = dayNumber(text[dayIndex].lower, needsSuffix: false) {
            var end = dayIndex
            var year: Int?
            if let yearIndex = text.next(dayIndex), let said = Int(text[yearIndex].core), (2000...2100).contains(said) {
                year = said
                end = yearIndex
            }
            return (.monthDay(month: month, day: day, year: year), end)
        }
        if let (month, day, year) = numericDate(text[current].core) {
            return (.monthDay(month: month, day: day, year: year), current)
        }
        return nil
    }

    /// "of November" after an ordinal.
    private static func ofMonth(in text: InsightText, after index: Int) -> (Int, Int)? {
        guard let of = text.next(index), text[of].lower == "of", let monthIndex = text.next(of),
            let month = Words.months[text[monthIndex].lower]
        else { return nil }
        return (month, monthIndex)
    }

    /// "14th", "1st", "22nd"; with `needsSuffix` false also "14".
    private static func dayNumber(_ word: String, needsSuffix: Bool) -> Int? {
        let digits = word.prefix { $0.isASCIIDigit }
        let suffix = word.dropFirst(digits.count)
        guard (1...2).contains(digits.count), let day = Int(digits), (1...31).contains(day) else { return nil }
        if suffix.isEmpty { return needsSuffix ? nil : day }
        return ["st", "nd", "rd", "th"].contains(String(suffix)) ? day : nil
    }

    /// "11/20", "11/20/26", "11/20/2026" (US order).
    private static func numericDate(_ word: String) -> (Int, Int, Int?)? {
        let parts = word.split(separator: "/", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }),
            parts[0].count <= 2, parts[1].count <= 2, let month = Int(parts[0]), let day = Int(parts[1]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        guard parts.count == 3 else { return (month, day, nil) }
        guard let year = Int(parts[2]), parts[2].count == 2 || parts[2].count == 4 else { return nil }
        return (month, day, parts[2].count == 2 ? 2000 + year : year)
    }

    private static func clockTime(in text: InsightText, at index: Int) -> (ClockTime, Int)? {
        var current = index
        var connector: String?
        for _ in 0..<2 {
            guard Words.timeConnectors.contains(text[current].lower), let following = text.next(current) else { break }
            connector = text[current].lower
            current = following
        }
        let word = text[current].lower
        if word == "noon" || word == "midday" {
            return (ClockTime(hour: 12, minute: 0, isAM: false), current)
        }
        var time: ClockTime
        var saidMinutes = false
        var end = current
        if let parsed = clockWord(word) {
            time = parsed.time
            saidMinutes = parsed.hasMinutes
        } else if let hour = Words.hourWords[word] {
            // Hours as words are everyday numbers too ("I'd like one"), so they need a clear connector.
            guard let connector, ["at", "around", "by", "after", "before", "between", "from"].contains(connector) else { return nil }
            time = ClockTime(hour: hour, minute: 0, isAM: nil)
            if let minuteIndex = text.next(current), let minute = Words.minuteWords[text[minuteIndex].lower] {
                if minute == 40 {
                    if let five = text.next(minuteIndex), text[five].lower == "five" {
                        time.minute = 45
                        end = five
                        saidMinutes = true
                    }
                } else {
                    time.minute = minute
                    end = minuteIndex
                    saidMinutes = true
                }
            }
        } else {
            return nil
        }
        var saidOClock = false
        if time.isAM == nil, let following = text.next(end) {
            switch text[following].lower {
            case "am", "a.m":
                time.isAM = true
                end = following
            case "pm", "p.m":
                time.isAM = false
                end = following
            case "o'clock", "oclock":
                saidOClock = true
                end = following
            default: break
            }
        }
        // A range ("between 2 and 4", "from 9 to 12", "3 or 4 pm") asks for its start; the end may carry the am/pm.
        if let joiner = text.next(end), ["and", "to", "or", "til", "till", "until"].contains(text[joiner].lower),
            let other = text.next(joiner),
            let second = clockWord(text[other].lower)?.time ?? Words.hourWords[text[other].lower].map({ ClockTime(hour: $0, minute: 0, isAM: nil) })
        {
            var rangeEnd = other
            var secondIsAM = second.isAM
            if secondIsAM == nil, let marker = text.next(other) {
                if ["am", "a.m"].contains(text[marker].lower) {
                    secondIsAM = true
                    rangeEnd = marker
                }
                if ["pm", "p.m"].contains(text[marker].lower) {
                    secondIsAM = false
                    rangeEnd = marker
                }
            }
            let following = text.next(rangeEnd)
            if following.map({ !Words.notClockFollowers.contains(text[$0].lower) }) ?? true, second.hour <= 12 {
                if time.isAM == nil, let secondIsAM { time.isAM = secondIsAM || (time.hour > second.hour && time.hour != 12) }
                end = rangeEnd
                saidMinutes = saidMinutes || second.minute != 0
                if connector == nil { connector = "between" }
            }
        }
        let isBare = time.isAM == nil && !saidMinutes && !saidOClock
        // A bare number is only a time after "at", "around", …, and not in "about 2 hours" or "at one point".
        guard connector != nil || !isBare else { return nil }
        if isBare, let following = text.next(end) {
            // "at 3 different places": a bare hour must end the phrase or lead into more of the time.
            let next = text[following]
            let leadsOn =
                Words.bareClockFollowers.contains(next.lower) || Words.weekdays[next.key] != nil
                || PartOfDay(next.lower) != nil || !next.core.contains(where: \.isLetter)
            if Words.notClockFollowers.contains(next.lower) || !leadsOn { return nil }
            // "at 3 or 4 is fine" is a time; "about 2 or 3 days" is not.
            if ["or", "to", "and"].contains(next.lower), let other = text.next(following), let after = text.next(other),
                Words.notClockFollowers.contains(text[after].lower)
            {
                return nil
            }
        }
        // "reach me at three one two…" is a phone number; "I live at 12 Oak Street" an address.
        if InsightContactRules.phone(in: text, at: current) != nil || InsightAddressRules.address(in: text, at: current) != nil {
            return nil
        }
        let hourRange = time.isAM == nil ? 0...23 : 1...12
        guard hourRange.contains(time.hour), (0...59).contains(time.minute), time.hour > 0 || saidMinutes else { return nil }
        return (time, end)
    }

    /// "3", "3:30", "3pm", "3:30pm", "10am", "10a.m".
    private static func clockWord(_ word: String) -> (time: ClockTime, hasMinutes: Bool)? {
        var body = Substring(word)
        var isAM: Bool?
        for (suffix, am) in [("a.m", true), ("p.m", false), ("am", true), ("pm", false)] where body.hasSuffix(suffix) {
            body = body.dropLast(suffix.count)
            isAM = am
            break
        }
        let pieces = body.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count), pieces.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }),
            pieces[0].count <= 2, let hour = Int(pieces[0])
        else { return nil }
        var minute = 0
        if pieces.count == 2 {
            guard pieces[1].count == 2, let parsed = Int(pieces[1]) else { return nil }
            minute = parsed
        }
        return (ClockTime(hour: hour, minute: minute, isAM: isAM), pieces.count == 2)
    }

    private static func partOfDay(in text: InsightText, at index: Int, standalone: Bool) -> (PartOfDay, Bool, Int)? {
        let word = text[index].lower
        if word == "in" || word == "this" || word == "at" {
            guard var target = text.next(index) else { return nil }
            if word == "in" {
                guard text[target].lower == "the", let after = text.next(target) else { return nil }
                target = after
            }
            if word == "at" && text[target].lower != "night" { return nil }
            guard let part = PartOfDay(text[target].lower) else { return nil }
            return (part, word == "this", target)
        }
        // "Friday morning", "at 9 in the morning"; a lone "morning" is a greeting.
        guard !standalone, let part = PartOfDay(word) else { return nil }
        return (part, false, index)
    }

    // MARK: Resolution

    private static func resolve(_ expression: Expression, clock: InsightClock) -> String? {
        var hour: Int?
        var minute = 0
        if let time = expression.time {
            hour = resolvedHour(time, part: expression.part)
            minute = time.minute
        } else if let part = expression.part {
            hour = part.startHour
        }
        guard let daySpec = expression.day else {
            // No day: the next time this clock time (or part of the day) comes round.
            guard let hour, let todayAt = clock.instant(clock.today, hour: hour, minute: minute) else { return nil }
            if todayAt > clock.callStart { return clock.isoDateTime(todayAt) }
            return clock.instant(clock.day(after: 1), hour: hour, minute: minute).map(clock.isoDateTime)
        }
        guard let day = resolve(daySpec, clock: clock) else { return nil }
        guard let hour else { return clock.isoDate(day) }
        guard let instant = clock.instant(day, hour: hour, minute: minute) else { return nil }
        if instant <= clock.callStart {
            // "this afternoon" said at 1 pm still asks for this afternoon; "this morning" at 1 pm is the past.
            guard expression.time == nil, let part = expression.part, expression.thisPart,
                let partEnd = clock.instant(day, hour: part.endHour, minute: 0), partEnd > clock.callStart
            else { return nil }
        }
        return clock.isoDateTime(instant)
    }

    /// Picks am or pm when it was not said: from the part of the day if given, otherwise business hours
    /// (1–6 is afternoon, 7–11 morning).
    private static func resolvedHour(_ time: ClockTime, part: PartOfDay?) -> Int {
        if let isAM = time.isAM {
            return isAM ? time.hour % 12 : time.hour % 12 + 12
        }
        if time.hour > 12 || time.hour == 0 { return time.hour }
        switch part {
        case .morning?: return time.hour % 12
        case .afternoon?, .evening?: return time.hour % 12 + 12
        case nil: return (1...6).contains(time.hour) ? time.hour + 12 : time.hour
        }
    }

    private static func resolve(_ spec: DaySpec, clock: InsightClock) -> InsightClock.Day? {
        let weekday = clock.todayWeekday
        // Days from today to the Monday that starts next week (weeks start on Monday).
        let toNextMonday = (9 - weekday) % 7 == 0 ? 7 : (9 - weekday) % 7
        switch spec {
        case .offset(let days):
            return clock.day(after: days)
        case .weekday(let target, next: false):
            let ahead = (target - weekday + 7) % 7
            return clock.day(after: ahead == 0 ? 7 : ahead)
        case .weekday(let target, next: true):
            return clock.day(after: toNextMonday + (target + 5) % 7)
        case .weekend(next: false):
            return clock.day(after: weekday == 1 ? 0 : 7 - weekday)
        case .weekend(next: true):
            return clock.day(after: toNextMonday + 5)
        case .dayOfMonth(let dayNumber, let statedWeekday):
            // The next three times that day of the month comes round; prefer the one on the weekday the
            // caller named, else the nearest (the date is more specific than the weekday).
            var occurrences: [InsightClock.Day] = []
            var year = clock.today.year
            var month = clock.today.month
            while occurrences.count < 3 {
                let candidate = InsightClock.Day(year: year, month: month, day: dayNumber)
                if clock.isValid(candidate), candidate >= clock.today { occurrences.append(candidate) }
                month += 1
                if month > 12 {
                    month = 1
                    year += 1
                }
            }
            if let statedWeekday, let match = occurrences.first(where: { clock.weekday(of: $0) == statedWeekday }) {
                return match
            }
            return occurrences.first
        case .monthDay(let month, let dayNumber, let year?):
            let day = InsightClock.Day(year: year, month: month, day: dayNumber)
            return clock.isValid(day) && day >= clock.today ? day : nil
        case .monthDay(let month, let dayNumber, nil):
            var day = InsightClock.Day(year: clock.today.year, month: month, day: dayNumber)
            if day < clock.today { day.year += 1 }
            // 29 February: the next year that has one, at most four years on.
            for _ in 0..<4 where !clock.isValid(day) { day.year += 1 }
            return clock.isValid(day) ? day : nil
        }
    }
}
