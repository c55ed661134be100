import AvocaCore
import Foundation

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
