import AvocaCore
import Foundation

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
