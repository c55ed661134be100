import AvocaCalls
import AvocaCore
import AvocaDirectory
import AvocaPersistence
import Foundation
import HTTPTypes
import Testing

@testable import AvocaServer

/// A day of calls in the company zone (America/Chicago, UTC−6 in January), driven through the real
/// call service and router with a manual clock, from 02:00 on 2027-01-15 to 00:11 the next day.
struct ScriptedDay {
    static let zone = TimeZone(identifier: "America/Chicago")!
    /// 2027-01-15 02:00 in Chicago.
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    let h: Harness
    let admin: SignedIn
    let ann: EmployeeID
    let bob: EmployeeID
    let customerID: CustomerID
    let jobID: JobID
    /// The calls by letter, in the order they rang.
    var calls: [String: PhoneCallID] = [:]
    /// Each agent's open console socket (its `realtime_connections` row).
    var sockets: [EmployeeID: UUID] = [:]

    /// Moves the clock forward to `hh:mm:ss` local on 2027-01-15 (`nextDay` for the 16th).
    func at(_ hour: Int, _ minute: Int, _ second: Int = 0, nextDay: Bool = false) throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.zone
        let target = try #require(
            calendar.date(from: DateComponents(year: 2027, month: 1, day: nextDay ? 16 : 15, hour: hour, minute: minute, second: second)))
        let step = target.timeIntervalSince(h.clock.now())
        try #require(step >= 0, "the script runs forward only")
        h.clock.advance(by: step)
    }

    /// Both agents' sockets were seen just now (presence counts connections seen in the last 30 s).
    func online() async throws {
        for agent in [ann, bob] { try await h.services.callRepository.touchConnection(sockets[agent] ?? UUID(), employee: agent, at: h.clock.now()) }
    }

    /// The agent opens the console.
    mutating func connect(_ agent: EmployeeID) async throws {
        let socket = UUID()
        sockets[agent] = socket
        try await h.services.callRepository.touchConnection(socket, employee: agent, at: h.clock.now())
    }

    /// The agent closes the console.
    mutating func disconnect(_ agent: EmployeeID) async throws {
        guard let socket = sockets.removeValue(forKey: agent) else { return }
        try await h.services.callRepository.dropConnection(socket, at: h.clock.now())
    }

    func employee(_ id: EmployeeID) async throws -> Employee { try #require(try await h.services.identity.employee(id)) }

    mutating func ring(_ letter: String) async throws -> PhoneCallID {
        let call = try await h.services.calls.startCall(
            phoneNumber: "+1312555\(String(format: "%04d", calls.count + 100))", startedAt: nil, externalID: nil)
        calls[letter] = call.id
        return call.id
    }

    func wrapUp(_ id: PhoneCallID, by agent: EmployeeID, _ change: CallUpdate) async throws {
        _ = try await h.services.calls.update(id, by: try await employee(agent), change)
    }

    static func run(_ body: @escaping @Sendable (ScriptedDay) async throws -> Void) async throws {
        try await Harness.run(start: start) { h in
            let admin = try await h.enrolledEmployee("admin@example.com")
            let ann = try await h.enrolledEmployee("ann@example.com")
            let bob = try await h.enrolledEmployee("bob@example.com")
            let customer = try await h.services.customers.create(
                CustomerInput(
                    firstName: "Joe, \"Big\"", lastName: "O'Brien",
                    addresses: [AddressInput(street: "1 Main St", city: "Austin", state: "TX", zip: "78701", country: "US")]))
            let job = try await h.services.jobs.create(JobInput(customerID: customer.id, addressID: customer.addresses[0].id))
            var day = ScriptedDay(
                h: h, admin: admin, ann: try #require(EmployeeID(ann.employeeID)), bob: try #require(EmployeeID(bob.employeeID)),
                customerID: customer.id, jobID: job.id)
            try await day.play()
            try await body(day)
        }
    }

    /// The script. Waits: A 5 s, B 30 s, C 2 s, E 1 s, G 15 s. Handle times: A 300, B 630, C 360, E 210, G 720.
    /// Consoles: both agents 08:30–15:00; Ann again 23:45–00:05. Bob is away 10:00:00–10:00:21.
    mutating func play() async throws {
        let calls = h.services.calls
        try at(8, 30)
        try await connect(ann)
        try await connect(bob)
        // A 09:00:00 — Ann answers fast (5 s); booked, with the job; wrap-up done 09:05:05.
        try at(9, 0)
        let a = try await ring("A")
        try at(9, 0, 5)
        _ = try await calls.accept(a, by: ann)
        try at(9, 4, 5)
        _ = try await calls.endCall(a)
        try at(9, 5, 5)
        try await wrapUp(
            a, by: ann, CallUpdate(customer: .set(customerID), job: .set(jobID), outcome: .booked, notes: "Leak under the sink,\nsays \"urgent\""))

        // B 10:00:00 — offered to Ann (Bob is away), her offer runs out; Bob answers slowly (30 s).
        try at(10, 0)
        let b = try await ring("B")
        _ = try await calls.setAvailable(bob, false)
        try await online()
        try await h.services.router.routeOnce()
        try at(10, 0, 21)
        _ = try await calls.setAvailable(bob, true)
        try await online()
        try await h.services.router.routeOnce()
        #expect(try await h.services.callRepository.pendingOffer(for: b)?.employeeID == bob)
        try at(10, 0, 30)
        _ = try await calls.accept(b, by: bob)
        try at(10, 10, 30)
        _ = try await calls.endCall(b)
        try at(10, 11)
        try await wrapUp(b, by: bob, CallUpdate(outcome: .informationOnly))

        // C and E: both agents busy; D rings meanwhile, nobody is free to offer it to, the caller gives up.
        try at(11, 0)
        let c = try await ring("C")
        try at(11, 0, 2)
        _ = try await calls.accept(c, by: ann)
        try at(11, 0, 5)
        let e = try await ring("E")
        try at(11, 0, 6)
        _ = try await calls.accept(e, by: bob)
        try at(11, 0, 10)
        let d = try await ring("D")
        try await online()
        try await h.services.router.routeOnce()
        #expect(try await h.services.callRepository.pendingOffer(for: d) == nil)
        try at(11, 1, 10)
        _ = try await calls.endCall(d)
        try at(11, 3, 6)
        _ = try await calls.endCall(e)
        try at(11, 3, 36)
        try await wrapUp(e, by: bob, CallUpdate(outcome: .wrongNumber))
        try at(11, 5, 2)
        _ = try await calls.endCall(c)
        try at(11, 6, 2)
        try await wrapUp(c, by: ann, CallUpdate(outcome: .priceShopping))

        // F 14:00:00 — offered to a free agent, the caller hangs up after 8 s: abandoned while ringing.
        try at(14, 0)
        let f = try await ring("F")
        try await online()
        try await h.services.router.routeOnce()
        #expect(try await h.services.callRepository.pendingOffer(for: f) != nil)
        try at(14, 0, 8)
        _ = try await calls.endCall(f)

        // 14:30 — Bob calls D back from the callback list.
        try at(14, 30)
        _ = try await calls.accept(d, by: bob)
        try await wrapUp(d, by: bob, CallUpdate(outcome: .noAvailability))

        try at(15, 0)
        try await disconnect(ann)
        try await disconnect(bob)
        try at(23, 45)
        try await connect(ann)

        // G 23:50:00 — Ann answers in 15 s; the wrap-up is done after midnight (00:02:15).
        try at(23, 50)
        let g = try await ring("G")
        try at(23, 50, 15)
        _ = try await calls.accept(g, by: ann)
        try at(23, 58, 15)
        _ = try await calls.endCall(g)
        try at(0, 2, 15, nextDay: true)
        try await wrapUp(g, by: ann, CallUpdate(outcome: .other))
        try at(0, 5, nextDay: true)
        try await disconnect(ann)

        // H 00:10 the next day — missed, and no part of the 15th.
        try at(0, 10, nextDay: true)
        let h2 = try await ring("H")
        try at(0, 11, nextDay: true)
        _ = try await calls.endCall(h2)
    }
}

/// Parses RFC 4180 CSV (quoted fields with doubled quotes, commas and line breaks inside quotes).
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var characters = Array(text.unicodeScalars)[...]
    while let scalar = characters.popFirst() {
        if quoted {
            if scalar == "\"" {
                if characters.first == "\"" {
                    field.unicodeScalars.append("\"")
                    characters.removeFirst()
                } else {
                    quoted = false
                }
            } else {
                field.unicodeScalars.append(scalar)
            }
        } else if scalar == "\"" {
            quoted = true
        } else if scalar == "," {
            row.append(field)
            field = ""
        } else if scalar == "\r" || scalar == "\n" {
            if scalar == "\r" && characters.first == "\n" { characters.removeFirst() }
            row.append(field)
            rows.append(row)
            row = []
            field = ""
        } else {
            field.unicodeScalars.append(scalar)
        }
    }
    if !field.isEmpty || !row.isEmpty {
        row.append(field)
        rows.append(row)
    }
    return rows
}

@Suite("Call reports: a scripted day's figures, the CSV export, bad periods", .timeLimit(.minutes(3)))
struct CallReportTests {
    @Test("the scripted day's figures are exact, in the company zone, with the past-midnight wrap-up counted on its day")
    func scriptedDay() async throws {
        try await ScriptedDay.run { day in
            let h = day.h
            let admin = try await h.signInAgain(day.admin)
            let response = try await h.request(.get, "/api/reports/calls?date=2027-01-15", bearer: admin.accessToken)
            #expect(response.status == .ok, "\(String(decoding: response.data, as: UTF8.self))")
            let problems = try SpecConformance().problems(method: .get, path: "/api/reports/calls", status: 200, body: response.data)
            #expect(problems.isEmpty, "\(problems)")
            let r = response.json
            #expect(r["from"] as? String == "2027-01-15")
            #expect(r["to"] as? String == "2027-01-15")
            #expect(r["time_zone"] as? String == "America/Chicago")
            #expect(r["received"] as? Int == 7)
            #expect(r["answered"] as? Int == 5)
            #expect(r["missed"] as? Int == 2)
            #expect(r["abandoned_while_ringing"] as? Int == 1)
            #expect(r["missed_no_agent_available"] as? Int == 1)
            #expect(r["still_ringing"] as? Int == 0)
            #expect(r["called_back"] as? Int == 1)
            #expect(r["service_level_seconds"] as? Int == 20)
            #expect(r["answered_within_service_level"] as? Int == 4)
            let serviceLevel = try #require(r["service_level"] as? Double)
            #expect(abs(serviceLevel - 4.0 / 7.0) < 1e-9)
            #expect(r["average_wait_seconds"] as? Double == 10.6)  // (5 + 30 + 2 + 1 + 15) / 5
            #expect(r["p90_wait_seconds"] as? Double == 30)
            #expect(r["average_handle_seconds"] as? Double == 444)  // (300 + 630 + 360 + 210 + 720) / 5
            #expect(r["jobs_booked"] as? Int == 1)
            let outcomes = Dictionary(
                uniqueKeysWithValues: ((r["outcomes"] as? [[String: Any]]) ?? []).compactMap { entry in
                    (entry["outcome"] as? String).map { ($0, entry["calls"] as? Int ?? -1) }
                })
            #expect(
                outcomes == [
                    "booked": 1, "callback_scheduled": 0, "information_only": 1, "no_availability": 1, "price_shopping": 1, "wrong_number": 1,
                    "spam": 0, "other": 1,
                ])
            let agents = Dictionary(
                uniqueKeysWithValues: ((r["agents"] as? [[String: Any]]) ?? []).compactMap { entry in
                    (entry["employee_id"] as? String).map { ($0, entry) }
                })
            #expect(agents.count == 2)
            let ann = try #require(agents[day.ann.description])
            #expect(ann["handled"] as? Int == 3)
            #expect(ann["callbacks"] as? Int == 0)
            #expect(ann["missed_offers"] as? Int == 1)
            #expect(ann["declined_offers"] as? Int == 0)
            #expect(ann["average_handle_seconds"] as? Double == 460)  // (300 + 360 + 720) / 3
            let bob = try #require(agents[day.bob.description])
            #expect(bob["handled"] as? Int == 2)
            #expect(bob["callbacks"] as? Int == 1)
            #expect(bob["missed_offers"] as? Int == 0)
            #expect(bob["average_handle_seconds"] as? Double == 420)  // (630 + 210) / 2
            // Time available: console open, toggled Available, not on a call or its wrap-up.
            // Ann: 08:30–15:00 less A and C (23,400 − 660), plus 23:45–24:00 less G up to midnight (900 − 585).
            #expect(ann["available_seconds"] as? Double == 23_055)
            // Bob: 08:30–15:00 less 21 s away, B and E (23,400 − 21 − 630 − 210); D's callback took no time.
            #expect(bob["available_seconds"] as? Double == 22_539)

            // The chart's half hours: 48 from local midnight (06:00 UTC in January), each call in the one it rang in.
            let halfHours = (r["half_hours"] as? [[String: Any]]) ?? []
            #expect(halfHours.count == 48)
            #expect(halfHours.first?["start"] as? String == "2027-01-15T06:00:00Z")
            let busy = halfHours.enumerated().filter { ($0.element["received"] as? Int ?? 0) > 0 }.map { entry in
                [
                    entry.offset, entry.element["received"] as? Int ?? -1, entry.element["answered"] as? Int ?? -1,
                    entry.element["missed"] as? Int ?? -1,
                ]
            }
            // 09:00 A; 10:00 B; 11:00 C, E answered and D missed; 14:00 F missed; 23:30 G.
            #expect(busy == [[18, 1, 1, 0], [20, 1, 1, 0], [22, 3, 2, 1], [28, 1, 0, 1], [47, 1, 1, 0]])

            // The next day holds only H; the range holds both days.
            let next = try await h.request(.get, "/api/reports/calls?date=2027-01-16", bearer: admin.accessToken)
            #expect(next["received"] as? Int == 1)
            #expect(next["missed_no_agent_available"] as? Int == 1)
            #expect(next["average_wait_seconds"] is NSNull)
            #expect(next["service_level"] as? Double == 0)
            // Ann took no call on the 16th but was available 00:00–00:05 less G's wrap-up to 00:02:15.
            let nextAgents = (next["agents"] as? [[String: Any]]) ?? []
            #expect(nextAgents.count == 1)
            #expect(nextAgents.first?["employee_id"] as? String == day.ann.description)
            #expect(nextAgents.first?["handled"] as? Int == 0)
            #expect(nextAgents.first?["available_seconds"] as? Double == 165)
            let range = try await h.request(.get, "/api/reports/calls?from=2027-01-15&to=2027-01-16", bearer: admin.accessToken)
            #expect(range["received"] as? Int == 8)
            #expect(range["missed"] as? Int == 3)
            #expect(range["to"] as? String == "2027-01-16")
            let rangeAnn = ((range["agents"] as? [[String: Any]]) ?? []).first { $0["employee_id"] as? String == day.ann.description }
            #expect(rangeAnn?["available_seconds"] as? Double == 23_220)  // 24,600 online − 1,380 on calls
            // The service computes the same from another instance's point of view (rows, not memory).
            let the15th = try #require(CalendarDay("2027-01-15"))
            let again = try await CallReportService(
                repository: FluentCallRepository(database: h.services.database), clock: h.clock, timeZone: ScriptedDay.zone, serviceLevelSeconds: 20
            ).report(from: the15th, through: the15th)
            #expect(again.received == 7 && again.answered == 5 && again.averageHandleSeconds == 444)
        }
    }

    @Test("the CSV export parses: a header, then one row per call, with commas, quotes and line breaks kept")
    func csvExport() async throws {
        try await ScriptedDay.run { day in
            let h = day.h
            let (_, key) = try await h.services.identity.createAPIKey(name: "warehouse", scopes: [.reportsRead])
            let response = try await h.request(.get, "/api/reports/calls?date=2027-01-15", token: key, headers: [.accept: "text/csv"])
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/csv") == true)
            let rows = parseCSV(String(decoding: response.data, as: UTF8.self))
            try #require(rows.count == 8, "header + 7 calls, got \(rows.count)")
            let header = rows[0]
            #expect(header == CallReportCSV.header)
            #expect(rows.dropFirst().allSatisfy { $0.count == header.count })
            let column = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
            func value(_ call: String, _ name: String) throws -> String {
                let id = try #require(day.calls[call]).description
                let row = try #require(rows.first { $0.first == id })
                return row[try #require(column[name])]
            }
            #expect(Set(rows.dropFirst().map { $0[0] }) == Set(["A", "B", "C", "D", "E", "F", "G"].compactMap { day.calls[$0]?.description }))
            #expect(try value("A", "customer_name") == "Joe, \"Big\" O'Brien")
            #expect(try value("A", "notes") == "Leak under the sink,\nsays \"urgent\"")
            #expect(try value("A", "job_id") == day.jobID.description)
            #expect(try value("A", "wait_seconds") == "5")
            #expect(try value("A", "handle_seconds") == "300")
            #expect(try value("A", "start_date_time") == "2027-01-15T09:00:00-06:00")
            #expect(try value("G", "wrap_up_done_at") == "2027-01-16T00:02:15-06:00")
            #expect(try value("G", "handle_seconds") == "720")
            #expect(try value("D", "missed_reason") == "no_agent_available")
            #expect(try value("D", "called_back") == "true")
            #expect(try value("F", "missed_reason") == "abandoned_while_ringing")
            #expect(try value("B", "employee_id") == day.bob.description)
        }
    }

    @Test("bad periods answer 422 naming the field; a key without reports:read gets 403")
    func badPeriods() async throws {
        try await Harness.run { h in
            let admin = try await h.enrolledEmployee("admin@example.com")
            for (query, field) in [
                ("date=2027-02-30", "date"), ("date=15-01-2027", "date"), ("from=2027-01-01", "to"), ("to=2027-01-01", "from"),
                ("from=2027-01-10&to=2027-01-09", "to"), ("from=2027-01-01&to=2027-02-01", "to"),
                ("date=2027-01-01&from=2027-01-01&to=2027-01-02", "date"),
            ] {
                let response = try await h.request(.get, "/api/reports/calls?\(query)", bearer: admin.accessToken)
                #expect(response.status == .unprocessableContent, "\(query)")
                #expect(response.errorFields[field] != nil, "\(query): \(response.errorFields)")
            }
            #expect(try await h.request(.get, "/api/reports/calls?from=2027-01-01&to=2027-01-31", bearer: admin.accessToken).status == .ok)
            let today = try await h.request(.get, "/api/reports/calls", bearer: admin.accessToken)
            #expect(today.status == .ok)
            #expect(today["received"] as? Int == 0)
            #expect(today["service_level"] is NSNull)
            let problems = try SpecConformance().problems(method: .get, path: "/api/reports/calls", status: 200, body: today.data)
            #expect(problems.isEmpty, "\(problems)")
            let (_, callsKey) = try await h.services.identity.createAPIKey(name: "calls", scopes: [.callsRead, .directoryRead])
            #expect(try await h.request(.get, "/api/reports/calls", token: callsKey).status == .forbidden)
            #expect(try await h.request(.get, "/api/reports/calls").status == .unauthorized)
        }
    }
}
