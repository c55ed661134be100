import Foundation

/// SplitMix64: a tiny, fast, well-distributed PRNG whose whole state is one integer, so demo data
/// is reproducible from a `--seed` on every platform (the system generator is not seedable).
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Starts the sequence at `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// The SplitMix64 finaliser; also used to derive independent streams from (seed, index).
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A generator for item `index` of stream `seed`. Adjacent SplitMix seeds would yield shifted
    /// copies of one sequence, so both inputs go through the finaliser first.
    public init(seed: UInt64, index: Int, stream: UInt64 = 0) {
        self.init(seed: Self.mix(seed ^ Self.mix(UInt64(bitPattern: Int64(index)) &+ stream &* 0xD1B5_4A32_D192_ED03)))
    }

    /// A random element of a non-empty array.
    public mutating func pick<T>(_ values: [T]) -> T { values[Int(next() % UInt64(values.count))] }

    /// `true` with probability `percent`/100.
    public mutating func chance(_ percent: Int) -> Bool { Int(next() % 100) < percent }

    /// A uniformly random integer in `range`.
    public mutating func int(in range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    /// A version-4 UUID made of generator bits, so seeded rows get reproducible identifiers.
    public mutating func uuid() -> UUID {
        let high = next()
        let low = next()
        var bytes = [UInt8](repeating: 0, count: 16)
        for offset in 0..<8 {
            bytes[offset] = UInt8(truncatingIfNeeded: high >> (56 - 8 * offset))
            bytes[offset + 8] = UInt8(truncatingIfNeeded: low >> (56 - 8 * offset))
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10], bytes[11],
                bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}

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
        let line2: String? = random.chance(12) ? random.pick(["Apt ", "Unit ", "Suite ", "#"]) + String(random.int(in: 1...40)) + random.pick(["", "", "A", "B"]) : nil
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

/// Name lists behind the demo data: common US given names and surnames of many origins.
public enum DemoNames {
    /// Given names (≥ 150).
    public static let first = [
        "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William", "Barbara",
        "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Christopher", "Karen", "Charles", "Lisa", "Daniel", "Nancy",
        "Matthew", "Betty", "Anthony", "Sandra", "Mark", "Margaret", "Donald", "Ashley", "Steven", "Kimberly", "Andrew", "Emily",
        "Paul", "Donna", "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "Timothy", "Deborah",
        "Ronald", "Stephanie", "George", "Dorothy", "Jason", "Rebecca", "Edward", "Sharon", "Jeffrey", "Laura", "Ryan", "Cynthia",
        "Jacob", "Amy", "Nicholas", "Kathleen", "Gary", "Angela", "Eric", "Shirley", "Jonathan", "Brenda", "Stephen", "Emma",
        "Larry", "Anna", "Justin", "Pamela", "Scott", "Nicole", "Brandon", "Samantha", "Benjamin", "Katherine", "Samuel", "Christine",
        "Gregory", "Helen", "Alexander", "Debra", "Patrick", "Rachel", "Frank", "Carolyn", "Raymond", "Janet", "Jack", "Maria",
        "Dennis", "Catherine", "Jerry", "Heather", "Tyler", "Diane", "Aaron", "Olivia", "Jose", "Julie", "Adam", "Joyce", "Nathan",
        "Victoria", "Henry", "Ruth", "Zachary", "Virginia", "Douglas", "Lauren", "Peter", "Kelly", "Kyle", "Christina", "Noah",
        "Joan", "Ethan", "Evelyn", "Jeremy", "Judith", "Christian", "Andrea", "Walter", "Hannah", "Keith", "Megan", "Austin",
        "Cheryl", "Roger", "Jacqueline", "Terry", "Martha", "Sean", "Madison", "Gerald", "Teresa", "Carl", "Gloria", "Dylan", "Sara",
        "Harold", "Janice", "Jordan", "Ann", "Jesse", "Kathryn", "Bryan", "Abigail", "Lawrence", "Sophia", "Arthur", "Frances",
        "Gabriel", "Jean", "Bruce", "Alice", "Logan", "Judy", "Billy", "Isabella", "Joe", "Julia", "Alan", "Grace", "Juan", "Amber",
        "Elijah", "Denise", "Willie", "Danielle", "Albert", "Marilyn", "Wayne", "Beverly", "Randy", "Charlotte", "Mason", "Natalie",
        "Vincent", "Theresa", "Liam", "Diana", "Roy", "Brittany", "Bobby", "Doris", "Caleb", "Kayla", "Bradley", "Alexis", "Russell",
        "Lori", "Lucas", "Marie", "Carlos", "Luis", "Miguel", "Sofia", "Camila", "Valentina", "Mateo", "Diego", "Priya", "Ravi",
        "Wei", "Mei", "Hiroshi", "Yuki", "Minh", "Linh", "Omar", "Fatima", "Aisha", "Malik", "DeShawn", "Imani", "Jamal", "Keisha",
        "Tamika", "Darnell", "Ingrid", "Sven", "Anya", "Dmitri", "Giulia", "Marco", "Siobhan", "Declan", "Chloe", "Zoe", "Aiden",
        "Harper", "Leah", "Owen", "Mia", "Ava", "Layla", "Elena", "Nora", "Hazel", "Wyatt", "Riley", "Quinn", "Rosa", "Guadalupe",
    ]

    /// Surnames (≥ 150).
    public static let last = [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez",
        "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
        "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres",
        "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
        "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris", "Morales",
        "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos",
        "Kim", "Cox", "Ward", "Richardson", "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz",
        "Hughes", "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez", "Powell", "Jenkins",
        "Perry", "Russell", "Sullivan", "Bell", "Coleman", "Butler", "Henderson", "Barnes", "Gonzales", "Fisher", "Vasquez", "Simmons",
        "Romero", "Jordan", "Patterson", "Alexander", "Hamilton", "Graham", "Reynolds", "Griffin", "Wallace", "Moreno", "West", "Cole",
        "Hayes", "Bryant", "Herrera", "Gibson", "Ellis", "Tran", "Medina", "Aguilar", "Stevens", "Murray", "Ford", "Castro", "Marshall",
        "Owens", "Harrison", "Fernandez", "McDonald", "Woods", "Washington", "Kennedy", "Wells", "Vargas", "Henry", "Chen", "Freeman",
        "Webb", "Tucker", "Guzman", "Burns", "Crawford", "Olson", "Simpson", "Porter", "Hunter", "Gordon", "Mendez", "Silva", "Shaw",
        "Snyder", "Mason", "Dixon", "Munoz", "Hunt", "Hicks", "Holmes", "Palmer", "Wagner", "Black", "Robertson", "Boyd", "Rose",
        "Stone", "Salazar", "Fox", "Warren", "Mills", "Meyer", "Rice", "Schmidt", "Garza", "Daniels", "Ferguson", "Nichols", "Stephens",
        "Soto", "Weaver", "Ryan", "Gardner", "Payne", "Grant", "Dunn", "Kowalski", "Novak", "Schneider", "O'Brien", "O'Connor",
        "Fitzgerald", "Yamamoto", "Tanaka", "Wang", "Li", "Zhang", "Liu", "Singh", "Shah", "Khan", "Ali", "Haddad", "Cohen", "Levy",
        "Rossi", "Russo", "Bianchi", "Larsen", "Johansson", "Ivanov", "Petrov", "Dubois", "Moreau", "Okafor", "Adeyemi", "Mensah",
    ]

    /// Where people keep their mail.
    static let emailDomains = [
        "gmail.com", "gmail.com", "gmail.com", "gmail.com", "yahoo.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com",
        "aol.com", "comcast.net", "att.net", "verizon.net", "protonmail.com", "me.com", "msn.com", "sbcglobal.net", "live.com",
    ]

    /// Words that turn a name into a business.
    static let companyKinds = [
        "Properties", "Property Management", "Realty", "Dental", "Family Medicine", "Cafe", "Bakery", "Auto Repair", "Law Group",
        "Holdings LLC", "Rentals", "Apartments", "Insurance", "Veterinary Clinic", "Salon", "Fitness", "Builders", "Landscaping",
        "Bistro", "Hardware", "Accounting", "Daycare", "Church", "Self Storage",
    ]
}

/// Places behind the demo data: real city/state/zip triples with their area codes.
public enum DemoPlaces {
    /// A real US city with some of its zip codes and area codes.
    public struct City: Sendable {
        /// City name.
        public let name: String
        /// Two-letter state.
        public let state: String
        /// Some zip codes of the city.
        public let zips: [String]
        /// Area codes in use there.
        public let areaCodes: [Int]
    }

    /// About fifty cities across the country.
    public static let cities: [City] = [
        City(name: "Chicago", state: "IL", zips: ["60601", "60614", "60618", "60625", "60640", "60647", "60657"], areaCodes: [312, 773, 872]),
        City(name: "Evanston", state: "IL", zips: ["60201", "60202"], areaCodes: [847, 224]),
        City(name: "Naperville", state: "IL", zips: ["60540", "60563", "60565"], areaCodes: [630, 331]),
        City(name: "Springfield", state: "IL", zips: ["62701", "62704", "62711"], areaCodes: [217]),
        City(name: "New York", state: "NY", zips: ["10001", "10011", "10025", "10028", "10463"], areaCodes: [212, 646, 917]),
        City(name: "Brooklyn", state: "NY", zips: ["11201", "11215", "11218", "11238"], areaCodes: [718, 347, 929]),
        City(name: "Buffalo", state: "NY", zips: ["14201", "14209", "14216"], areaCodes: [716]),
        City(name: "Los Angeles", state: "CA", zips: ["90004", "90026", "90034", "90045", "90066"], areaCodes: [213, 310, 323]),
        City(name: "San Diego", state: "CA", zips: ["92101", "92103", "92107", "92117"], areaCodes: [619, 858]),
        City(name: "San Jose", state: "CA", zips: ["95112", "95125", "95128"], areaCodes: [408, 669]),
        City(name: "Sacramento", state: "CA", zips: ["95814", "95818", "95822"], areaCodes: [916, 279]),
        City(name: "Fresno", state: "CA", zips: ["93701", "93704", "93711"], areaCodes: [559]),
        City(name: "Houston", state: "TX", zips: ["77002", "77006", "77019", "77025", "77077"], areaCodes: [713, 281, 832]),
        City(name: "Dallas", state: "TX", zips: ["75201", "75204", "75214", "75230"], areaCodes: [214, 469, 972]),
        City(name: "Austin", state: "TX", zips: ["78701", "78704", "78731", "78745"], areaCodes: [512, 737]),
        City(name: "San Antonio", state: "TX", zips: ["78205", "78209", "78229"], areaCodes: [210, 726]),
        City(name: "Fort Worth", state: "TX", zips: ["76102", "76107", "76116"], areaCodes: [817, 682]),
        City(name: "Phoenix", state: "AZ", zips: ["85004", "85012", "85016", "85032"], areaCodes: [602, 480, 623]),
        City(name: "Tucson", state: "AZ", zips: ["85701", "85705", "85716"], areaCodes: [520]),
        City(name: "Philadelphia", state: "PA", zips: ["19103", "19107", "19125", "19147"], areaCodes: [215, 267, 445]),
        City(name: "Pittsburgh", state: "PA", zips: ["15213", "15217", "15222"], areaCodes: [412, 878]),
        City(name: "Jacksonville", state: "FL", zips: ["32202", "32207", "32256"], areaCodes: [904]),
        City(name: "Miami", state: "FL", zips: ["33125", "33130", "33139", "33156"], areaCodes: [305, 786]),
        City(name: "Tampa", state: "FL", zips: ["33602", "33606", "33611"], areaCodes: [813, 656]),
        City(name: "Orlando", state: "FL", zips: ["32801", "32803", "32806"], areaCodes: [407, 689]),
        City(name: "Columbus", state: "OH", zips: ["43201", "43205", "43215"], areaCodes: [614, 380]),
        City(name: "Cleveland", state: "OH", zips: ["44102", "44113", "44120"], areaCodes: [216]),
        City(name: "Cincinnati", state: "OH", zips: ["45202", "45208", "45219"], areaCodes: [513]),
        City(name: "Indianapolis", state: "IN", zips: ["46202", "46205", "46220"], areaCodes: [317, 463]),
        City(name: "Charlotte", state: "NC", zips: ["28202", "28203", "28205", "28210"], areaCodes: [704, 980]),
        City(name: "Raleigh", state: "NC", zips: ["27601", "27603", "27608"], areaCodes: [919, 984]),
        City(name: "Seattle", state: "WA", zips: ["98101", "98103", "98107", "98115", "98122"], areaCodes: [206]),
        City(name: "Spokane", state: "WA", zips: ["99201", "99203", "99205"], areaCodes: [509]),
        City(name: "Denver", state: "CO", zips: ["80202", "80205", "80210", "80220"], areaCodes: [303, 720]),
        City(name: "Colorado Springs", state: "CO", zips: ["80903", "80907", "80918"], areaCodes: [719]),
        City(name: "Boston", state: "MA", zips: ["02108", "02116", "02127", "02130"], areaCodes: [617, 857]),
        City(name: "Worcester", state: "MA", zips: ["01602", "01605", "01609"], areaCodes: [508, 774]),
        City(name: "Nashville", state: "TN", zips: ["37203", "37206", "37212"], areaCodes: [615, 629]),
        City(name: "Memphis", state: "TN", zips: ["38103", "38104", "38117"], areaCodes: [901]),
        City(name: "Detroit", state: "MI", zips: ["48201", "48207", "48226"], areaCodes: [313]),
        City(name: "Grand Rapids", state: "MI", zips: ["49503", "49504", "49506"], areaCodes: [616]),
        City(name: "Portland", state: "OR", zips: ["97201", "97205", "97212", "97214"], areaCodes: [503, 971]),
        City(name: "Las Vegas", state: "NV", zips: ["89101", "89117", "89123"], areaCodes: [702, 725]),
        City(name: "Baltimore", state: "MD", zips: ["21201", "21218", "21224"], areaCodes: [410, 443]),
        City(name: "Milwaukee", state: "WI", zips: ["53202", "53207", "53211"], areaCodes: [414]),
        City(name: "Madison", state: "WI", zips: ["53703", "53705", "53711"], areaCodes: [608]),
        City(name: "Albuquerque", state: "NM", zips: ["87102", "87106", "87110"], areaCodes: [505]),
        City(name: "Kansas City", state: "MO", zips: ["64105", "64111", "64113"], areaCodes: [816]),
        City(name: "St. Louis", state: "MO", zips: ["63103", "63110", "63116"], areaCodes: [314]),
        City(name: "Atlanta", state: "GA", zips: ["30303", "30306", "30309", "30318"], areaCodes: [404, 678, 470]),
        City(name: "Minneapolis", state: "MN", zips: ["55401", "55404", "55408", "55419"], areaCodes: [612]),
        City(name: "Omaha", state: "NE", zips: ["68102", "68105", "68114"], areaCodes: [402, 531]),
        City(name: "Salt Lake City", state: "UT", zips: ["84101", "84102", "84105"], areaCodes: [801, 385]),
        City(name: "Louisville", state: "KY", zips: ["40202", "40204", "40205"], areaCodes: [502]),
        City(name: "New Orleans", state: "LA", zips: ["70112", "70115", "70119"], areaCodes: [504]),
    ]

    /// Street names (combined with a suffix).
    static let streetNames = [
        "Maple", "Oak", "Elm", "Pine", "Cedar", "Birch", "Walnut", "Willow", "Cherry", "Spruce", "Hickory", "Chestnut", "Main",
        "Washington", "Lincoln", "Jefferson", "Madison", "Franklin", "Jackson", "Adams", "Highland", "Park", "Lake", "Hillside",
        "Sunset", "Meadow", "River", "Ridge", "Forest", "Spring", "Church", "Mill", "Prospect", "Center", "Union", "Grove", "Fairview",
        "Lakeview", "Magnolia", "Dogwood", "Sycamore", "Aspen", "Juniper", "Laurel", "Greenwood", "Orchard", "Brookside", "Clinton",
    ]

    /// Street suffixes, as written on envelopes.
    static let streetSuffixes = ["St", "Ave", "Rd", "Dr", "Ln", "Blvd", "Ct", "Way", "Pl", "Ter", "Cir", "Pkwy"]
}

/// Home-services vocabulary behind the demo jobs.
public enum DemoWork {
    /// A kind of job with a few ways to describe it.
    struct Service: Sendable {
        let name: String
        let descriptions: [String]
    }

    /// Typical plumbing, HVAC and electrical jobs.
    static let services = [
        Service(name: "Water heater replacement", descriptions: ["40 gal gas heater leaking at the base", "No hot water since yesterday"]),
        Service(name: "Drain cleaning", descriptions: ["Kitchen sink backs up", "Main line clog, basement floor drain overflowing"]),
        Service(name: "AC tune-up", descriptions: ["Annual maintenance before summer", "Unit runs but blows warm air"]),
        Service(name: "Furnace repair", descriptions: ["Furnace short-cycling", "Pilot light will not stay lit"]),
        Service(name: "Leak repair", descriptions: ["Drip under bathroom vanity", "Water stain on ceiling below bathroom"]),
        Service(name: "Toilet replacement", descriptions: ["Cracked tank", "Replace with comfort-height model"]),
        Service(name: "Panel upgrade", descriptions: ["100A to 200A service upgrade", "Breakers tripping frequently"]),
        Service(name: "Outlet installation", descriptions: ["Add GFCI outlets in kitchen", "Two outlets in garage"]),
        Service(name: "Ceiling fan installation", descriptions: ["Replace light fixture with fan", "Two bedroom fans"]),
        Service(name: "Sump pump replacement", descriptions: ["Pump runs constantly", "Add battery backup"]),
        Service(name: "Garbage disposal repair", descriptions: ["Disposal hums but does not spin", "Leaking from the bottom"]),
        Service(name: "Thermostat installation", descriptions: ["Install smart thermostat", "Thermostat display blank"]),
        Service(name: "Duct cleaning", descriptions: ["Whole-house duct cleaning", "Dust coming from vents"]),
        Service(name: "Sewer line inspection", descriptions: ["Camera inspection before home purchase", "Recurring backups"]),
        Service(name: "EV charger installation", descriptions: ["Level 2 charger in garage", "Run 50A circuit for charger"]),
    ]

    /// Where customers heard of the company.
    static let leadSources = ["Google", "Referral", "Yelp", "Facebook", "Nextdoor", "Repeat customer", "Angi", "Yard sign", "Radio"]

    /// Things CSRs write down about a customer.
    static let customerNotes = [
        "Gate code 4417", "Dog in the backyard, please call before arriving", "Prefers text messages", "Park on the street",
        "Elderly homeowner, allow extra time", "Key under the mat for service visits", "Tenant occupied; coordinate with tenant",
        "Spanish speaking", "Bill to property manager",
    ]
}
