import AvocaCore
import Foundation

/// Realistic, reproducible US demo customers and jobs for `avoca seed`, the benchmarks and the
/// development database. Customer `n` of a seed is a pure function of (seed, n), so any customer
/// can be regenerated without reading the database and batches can be produced in any order.
public struct DemoDataGenerator: Sendable {
    /// The seed every value derives from.
    public let seed: UInt64
    /// Customers are created during the three years before this instant.
    public let referenceDate: Date

    /// Creates a generator.
    public init(seed: UInt64, referenceDate: Date) {
        self.seed = seed
        self.referenceDate = referenceDate
    }

    /// Customer number `index`, with one or two service addresses.
    public func customer(index: Int) -> Customer {
        var random = SeededRandom(seed: seed, index: index)
        let first = random.pick(DemoNames.first)
        let last = random.pick(DemoNames.last)
        let id = CustomerID(random.uuid())
        let home = random.pick(DemoPlaces.cities)
        let createdAt = referenceDate.addingTimeInterval(-Double(random.int(in: 3600...(3 * 365 * 86_400))))
        let updatedAt = min(referenceDate, createdAt.addingTimeInterval(random.chance(30) ? Double(random.int(in: 60...(90 * 86_400))) : 0))

        // Most callers give a mobile number; landlines and office lines are the exception.
        let mobile = random.chance(92) ? Self.phone(areaCode: random.pick(home.areaCodes), &random) : nil
        let homeNumber = random.chance(mobile == nil ? 70 : 15) ? Self.phone(areaCode: random.pick(home.areaCodes), &random) : nil
        let company = random.chance(12) ? Self.company(lastName: last, city: home.name, &random) : nil
        let work = company != nil && random.chance(60) ? Self.phone(areaCode: random.pick(home.areaCodes), &random) : nil
        let email = random.chance(88) ? Self.email(first: first, last: last, company: company, &random) : nil

        var addresses = [Self.address(customerID: id, city: home, createdAt: createdAt, &random)]
        if random.chance(20) {
            // A second property (rental, parents' house) is usually nearby, sometimes elsewhere.
            let city = random.chance(70) ? home : random.pick(DemoPlaces.cities)
            addresses.append(Self.address(customerID: id, city: city, createdAt: createdAt, &random))
        }
        var tags: [String] = []
        if company != nil { tags.append("commercial") }
        if random.chance(4) { tags.append("vip") }
        return Customer(
            id: id, firstName: first, lastName: last, email: email, mobileNumber: mobile, homeNumber: homeNumber, workNumber: work,
            company: company, notificationsEnabled: random.chance(65), leadSource: random.chance(75) ? random.pick(DemoWork.leadSources) : nil,
            notes: random.chance(15) ? random.pick(DemoWork.customerNotes) : nil, tags: tags, addresses: addresses, createdAt: createdAt,
            updatedAt: updatedAt)
    }

    /// When in its week a job happens: a whole (date-only) day, or a two-hour window that day.
    public struct JobTiming: Hashable, Sendable {
        /// 0 = Monday … 4 = Friday.
        public var weekday: Int
        /// Local start hour of a datetime job; `nil` for a date-only, whole-day job.
        public var startHour: Int?

        /// Creates a timing.
        public init(weekday: Int, startHour: Int?) {
            self.weekday = weekday
            self.startHour = startHour
        }

        /// Every timing the generator uses.
        public static let all: [JobTiming] = (0..<5).flatMap { day in [nil, 8, 10, 13, 15].map { JobTiming(weekday: day, startHour: $0) } }
    }

    /// What a job needs besides its customer: a title, maybe a description and lead source, a timing.
    public struct JobDetails: Sendable, Equatable {
        /// The job title ("Water heater replacement").
        public var name: String
        /// A longer note about the work, sometimes absent.
        public var description: String?
        /// Where the job came from, sometimes absent.
        public var leadSource: String?
        /// Day and time within the job's week.
        public var timing: JobTiming
    }

    /// The details of job number `index`.
    public func jobDetails(index: Int) -> JobDetails {
        var random = SeededRandom(seed: seed, index: index, stream: 1)
        let service = random.pick(DemoWork.services)
        return JobDetails(
            name: service.name, description: random.chance(60) ? random.pick(service.descriptions) : nil,
            leadSource: random.chance(50) ? random.pick(DemoWork.leadSources) : nil, timing: random.pick(JobTiming.all))
    }

    /// The week (relative to the week of `referenceDate`) of customer `index`'s first demo job;
    /// job `k` of that customer falls `k` weeks later, so one customer's jobs never overlap.
    public func firstJobWeek(customerIndex: Int) -> Int {
        var random = SeededRandom(seed: seed, index: customerIndex, stream: 2)
        return random.int(in: -8...8)
    }

    /// The schedule of a job in `week` (0 = the week of `referenceDate`, Monday-based, in `timeZone`).
    /// Every timing stays inside its own day, so different weeks can never collide.
    public func schedule(week: Int, timing: JobTiming, timeZone: TimeZone) -> JobSchedule {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let today = calendar.startOfDay(for: referenceDate)
        // Calendar weekday: 1 = Sunday, 2 = Monday …
        let sinceMonday = (calendar.component(.weekday, from: today) + 5) % 7
        let day = calendar.date(byAdding: .day, value: week * 7 - sinceMonday + timing.weekday, to: today)!
        let parts = calendar.dateComponents([.year, .month, .day], from: day)
        guard let hour = timing.startHour else {
            let bound = ScheduleBound.day(year: parts.year!, month: parts.month!, day: parts.day!)
            // A single whole day is a valid, non-empty interval, so this cannot throw.
            return try! JobSchedule(start: bound, end: bound, arrivalWindow: 0, timeZone: timeZone)
        }
        // Set the wall-clock hour (not "midnight + n hours"), so DST days keep their local times.
        let start = calendar.date(bySettingHour: hour, minute: 0, second: 0, of: day)!
        let end = calendar.date(byAdding: .hour, value: 2, to: start)!
        return try! JobSchedule(start: .instant(start), end: .instant(end), arrivalWindow: 60, timeZone: timeZone)
    }

    /// A 10-digit US number in one of the ways people write them.
    static func phone(areaCode: Int, _ random: inout SeededRandom) -> String {
        // Exchanges never start with 0/1; N11 codes are service numbers.
        var exchange = random.int(in: 200...999)
        if exchange % 100 == 11 { exchange += 1 }
        let line = random.int(in: 0...9999)
        let (a, e, l) = (String(areaCode), String(exchange), String(format: "%04d", line))
        switch random.next() % 10 {
        case 0...3: return "(\(a)) \(e)-\(l)"
        case 4...6: return "\(a)-\(e)-\(l)"
        case 7: return "+1\(a)\(e)\(l)"
        case 8: return "\(a).\(e).\(l)"
        default: return "\(a)\(e)\(l)"
        }
    }

    /// An address at a real city/state/zip with an invented street.
    static func address(customerID: CustomerID, city: DemoPlaces.City, createdAt: Date, _ random: inout SeededRandom) -> Address {
        let number = random.chance(70) ? random.int(in: 100...9999) : random.int(in: 10_000...24_999)
        let street = "\(number) \(random.pick(DemoPlaces.streetNames)) \(random.pick(DemoPlaces.streetSuffixes))"
        let line2: String? =
            random.chance(12)
            ? random.pick(["Apt ", "Unit ", "Suite ", "#"]) + String(random.int(in: 1...40)) + random.pick(["", "", "A", "B"]) : nil
        return Address(
            id: AddressID(random.uuid()), customerID: customerID, kind: .service, street: street, streetLine2: line2, city: city.name,
            state: city.state, zip: random.pick(city.zips), country: "US", createdAt: createdAt, updatedAt: createdAt)
    }

    /// An e-mail derived from the name, as people actually pick them.
    static func email(first: String, last: String, company: String?, _ random: inout SeededRandom) -> String {
        let f = first.lowercased().filter(\.isLetter)
        let l = last.lowercased().filter(\.isLetter)
        let number = String(random.int(in: 1...99))
        if let company, random.chance(50) {
            let domain = company.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(18)
            return "\(f)@\(domain).com"
        }
        let local: String
        switch random.next() % 7 {
        case 0: local = "\(f).\(l)"
        case 1: local = "\(f).\(l)\(number)"
        case 2: local = "\(f.prefix(1))\(l)\(number)"
        case 3: local = "\(f)\(l)\(random.int(in: 1950...2005))"
        case 4: local = "\(f)_\(l)"
        case 5: local = "\(l).\(f)\(number)"
        default: local = "\(f)\(l.prefix(1))\(number)"
        }
        return "\(local)@\(random.pick(DemoNames.emailDomains))"
    }

    /// A small-business or property name.
    static func company(lastName: String, city: String, _ random: inout SeededRandom) -> String {
        switch random.next() % 4 {
        case 0: return "\(lastName) \(random.pick(DemoNames.companyKinds))"
        case 1: return "\(city) \(random.pick(DemoNames.companyKinds))"
        case 2: return "\(random.pick(DemoPlaces.streetNames)) \(random.pick(DemoNames.companyKinds))"
        default: return "\(lastName) & \(random.pick(DemoNames.last)) \(random.pick(DemoNames.companyKinds))"
        }
    }
}
