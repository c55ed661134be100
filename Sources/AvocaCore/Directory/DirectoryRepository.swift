import Foundation

/// How to list customers.
public struct CustomerQuery: Sendable, Equatable {
    /// A search counts its matches exactly up to this many; beyond, the total is reported as this
    /// number, flagged as capped. An exact count of a broad fragment ("son" matches a fifth of a
    /// million customers) costs a scan of every match, and no CSR pages past the first screens.
    public static let exactTotalLimit = 1000

    /// Columns customers can be sorted by.
    public enum SortField: String, Sendable, CaseIterable {
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case firstName = "first_name"
        case lastName = "last_name"
    }
    /// Free-text search (see `CustomerSearchTerm`).
    public var search: CustomerSearchTerm?
    public var page: Int
    public var pageSize: Int
    public var sortBy: SortField
    public var direction: SortDirection

    /// Creates a query.
    public init(search: CustomerSearchTerm?, page: Int, pageSize: Int, sortBy: SortField = .createdAt, direction: SortDirection = .desc) {
        self.search = search
        self.page = page
        self.pageSize = pageSize
        self.sortBy = sortBy
        self.direction = direction
    }
}

/// A normalised customer search: phone-like input is reduced to digits so `(555) 010-2000`,
/// `555-010-2000` and `+15550102000` all find the same customer; anything else is lower-cased text.
public struct CustomerSearchTerm: Sendable, Equatable {
    /// The substring to look for in the customer's search text.
    public let needle: String

    /// Normalises `raw`; `nil` for a blank query.
    public init?(_ raw: String) {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        let digits = trimmed.filter(\.isNumber)
        let phoneLike = trimmed.allSatisfy { $0.isNumber || " +-().".contains($0) }
        if phoneLike && digits.count >= 3 {
            needle = digits
        } else {
            needle = trimmed.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
    }

    /// The text a customer is searched by: names (each and full), e-mail, company, phone digits
    /// and every address. Stored in one indexed column.
    public static func searchText(for customer: Customer) -> String {
        var parts = [customer.firstName, customer.lastName, customer.email, customer.company].compactMap { $0 }
        parts.append([customer.firstName, customer.lastName].compactMap { $0 }.joined(separator: " "))
        parts += customer.phoneNumbers.map(\.digits)
        for address in customer.addresses {
            parts += [address.street, address.streetLine2 ?? "", address.city, address.state, address.zip]
        }
        return parts.filter { !$0.isEmpty }.joined(separator: " | ").lowercased()
    }
}

/// How to list jobs (Housecall Pro's filters; every bound is inclusive and independent).
public struct JobQuery: Sendable, Equatable {
    /// Columns jobs can be sorted by.
    public enum SortField: String, Sendable {
        case createdAt = "created_at"
        case scheduledStart = "scheduled_start"
    }
    public var customerID: CustomerID?
    public var scheduledStartMin: Date?
    public var scheduledStartMax: Date?
    public var scheduledEndMin: Date?
    public var scheduledEndMax: Date?
    public var statuses: [WorkStatus]
    public var employeeIDs: [EmployeeID]
    public var page: Int
    public var pageSize: Int
    public var sortBy: SortField
    public var direction: SortDirection

    /// Creates a query.
    public init(
        customerID: CustomerID? = nil, scheduledStartMin: Date? = nil, scheduledStartMax: Date? = nil, scheduledEndMin: Date? = nil,
        scheduledEndMax: Date? = nil, statuses: [WorkStatus] = [], employeeIDs: [EmployeeID] = [], page: Int = 1, pageSize: Int = 10,
        sortBy: SortField = .createdAt, direction: SortDirection = .desc
    ) {
        self.customerID = customerID
        self.scheduledStartMin = scheduledStartMin
        self.scheduledStartMax = scheduledStartMax
        self.scheduledEndMin = scheduledEndMin
        self.scheduledEndMax = scheduledEndMax
        self.statuses = statuses
        self.employeeIDs = employeeIDs
        self.page = page
        self.pageSize = pageSize
        self.sortBy = sortBy
        self.direction = direction
    }
}

/// A job to insert.
public struct NewJob: Sendable {
    public var id: JobID
    /// `nil` = assign the next free number.
    public var invoiceNumber: Int?
    public var name: String?
    public var description: String?
    public var customerID: CustomerID
    public var addressID: AddressID
    public var schedule: JobSchedule?
    public var assignedEmployeeIDs: [EmployeeID]
    public var tags: [String]
    public var leadSource: String?
    public var notes: [String]
    public var createdAt: Date
    /// The customer as the caller just read it, returned with the job; `nil` = read it back.
    public var customer: Customer?

    /// Creates a new-job value.
    public init(
        id: JobID, invoiceNumber: Int?, name: String?, description: String?, customerID: CustomerID, addressID: AddressID,
        schedule: JobSchedule?, assignedEmployeeIDs: [EmployeeID], tags: [String], leadSource: String?, notes: [String], createdAt: Date,
        customer: Customer? = nil
    ) {
        self.id = id
        self.invoiceNumber = invoiceNumber
        self.name = name
        self.description = description
        self.customerID = customerID
        self.addressID = addressID
        self.schedule = schedule
        self.assignedEmployeeIDs = assignedEmployeeIDs
        self.tags = tags
        self.leadSource = leadSource
        self.notes = notes
        self.createdAt = createdAt
        self.customer = customer
    }
}

/// Persistence for customers, addresses and jobs. The no-overlap rule is enforced here, inside the
/// write, so it holds under concurrency: a PostgreSQL exclusion constraint, a serialised SQLite write.
public protocol DirectoryRepository: Sendable {
    /// Inserts a customer and its addresses in one transaction.
    func createCustomer(_ customer: Customer) async throws
    /// Replaces a customer's own fields (not its addresses).
    func updateCustomer(_ customer: Customer) async throws
    /// A customer with its addresses.
    func customer(_ id: CustomerID) async throws -> Customer?
    /// One page of customers matching the query; a search's total is exact up to `CustomerQuery.exactTotalLimit`.
    func customers(_ query: CustomerQuery) async throws -> ResultPage<Customer>
    /// Customers having a phone number with these E.164 digits (screen pop).
    func customers(phoneDigits: String, limit: Int) async throws -> [Customer]
    /// Adds an address to an existing customer, unless one already on file is the same place
    /// (`isSamePlace`): then nothing is written and that address is returned. The check and the
    /// insert are one transaction that holds the customer, so two simultaneous adds of one place
    /// cannot both pass.
    func addAddress(_ address: Address, unlessOnFile isSamePlace: @escaping @Sendable (Address) -> Bool) async throws -> Address?
    /// Replaces an address's fields (same id, same customer); `false` when the customer has no such address.
    func updateAddress(_ address: Address) async throws -> Bool
    /// Deletes an address unless a job uses it: the jobs that do (any status, canceled ones too, so
    /// job history keeps its place), empty when it was deleted. Throws `notFound` when the customer
    /// has no such address.
    func deleteAddress(_ id: AddressID, of customerID: CustomerID) async throws -> [Job]
    /// One page of a customer's addresses.
    func addresses(of customerID: CustomerID, page: Int, pageSize: Int, newestFirst: Bool, sortByUpdated: Bool) async throws -> ResultPage<Address>
    /// Inserts a job; throws `DomainError.conflict("job_overlap")` naming the conflicting jobs, or
    /// `conflict("invoice_number_taken")`.
    func createJob(_ job: NewJob) async throws -> Job
    /// One job.
    func job(_ id: JobID) async throws -> Job?
    /// One page of jobs.
    func jobs(_ query: JobQuery) async throws -> ResultPage<Job>
    /// Sets or clears a job's schedule and status; throws `conflict("job_overlap")` like `createJob`.
    func updateSchedule(_ id: JobID, schedule: JobSchedule?, status: WorkStatus, at: Date) async throws -> Job
    /// Sets the status only (cancel).
    func updateStatus(_ id: JobID, status: WorkStatus, at: Date) async throws -> Job
    /// Replaces the dispatched employees.
    func setAssignments(_ id: JobID, employeeIDs: [EmployeeID], at: Date) async throws -> Job
    /// Adds a note.
    func addNote(_ note: JobNote, to jobID: JobID) async throws
    /// Deletes a note; `false` when the job has no such note.
    func deleteNote(_ noteID: NoteID, of jobID: JobID) async throws -> Bool
}
