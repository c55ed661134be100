import FluentKit
import Foundation

/// Row of `customers`. `search_text` is the one indexed column every search runs against.
final class CustomerModel: Model, @unchecked Sendable {
    static let schema = "customers"
    @ID(key: .id) var id: UUID?
    @OptionalField(key: "first_name") var firstName: String?
    @OptionalField(key: "last_name") var lastName: String?
    @OptionalField(key: "email") var email: String?
    @OptionalField(key: "mobile_number") var mobileNumber: String?
    @OptionalField(key: "home_number") var homeNumber: String?
    @OptionalField(key: "work_number") var workNumber: String?
    @OptionalField(key: "company") var company: String?
    @Field(key: "notifications_enabled") var notificationsEnabled: Bool
    @OptionalField(key: "lead_source") var leadSource: String?
    @OptionalField(key: "notes") var notes: String?
    @Field(key: "tags") var tags: String
    @Field(key: "search_text") var searchText: String
    @Field(key: "phone_digits") var phoneDigits: String
    @Field(key: "first_name_key") var firstNameKey: String
    @Field(key: "last_name_key") var lastNameKey: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
}

/// Row of `addresses`.
final class AddressModel: Model, @unchecked Sendable {
    static let schema = "addresses"
    @ID(key: .id) var id: UUID?
    @Field(key: "customer_id") var customerID: UUID
    @Field(key: "type") var type: String
    @Field(key: "street") var street: String
    @OptionalField(key: "street_line_2") var streetLine2: String?
    @Field(key: "city") var city: String
    @Field(key: "state") var state: String
    @Field(key: "zip") var zip: String
    @Field(key: "country") var country: String
    @OptionalField(key: "latitude") var latitude: String?
    @OptionalField(key: "longitude") var longitude: String?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
}

/// Row of `jobs`. `period_start`/`period_end` are the half-open interval the overlap rule compares.
final class JobModel: Model, @unchecked Sendable {
    static let schema = "jobs"
    @ID(key: .id) var id: UUID?
    @Field(key: "invoice_number") var invoiceNumber: Int
    @OptionalField(key: "name") var name: String?
    @OptionalField(key: "description") var description: String?
    @Field(key: "customer_id") var customerID: UUID
    @Field(key: "address_id") var addressID: UUID
    @Field(key: "work_status") var workStatus: String
    @OptionalField(key: "scheduled_start") var scheduledStart: String?
    @OptionalField(key: "scheduled_end") var scheduledEnd: String?
    @Field(key: "arrival_window") var arrivalWindow: Int
    @OptionalField(key: "period_start") var periodStart: Date?
    @OptionalField(key: "period_end") var periodEnd: Date?
    @Field(key: "total_amount") var totalAmount: Int
    @Field(key: "outstanding_balance") var outstandingBalance: Int
    @Field(key: "tags") var tags: String
    @OptionalField(key: "lead_source") var leadSource: String?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
}

/// Row of `job_notes`.
final class JobNoteModel: Model, @unchecked Sendable {
    static let schema = "job_notes"
    @ID(key: .id) var id: UUID?
    @Field(key: "job_id") var jobID: UUID
    @Field(key: "content") var content: String
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

/// Row of `job_assignments` (employees dispatched to a job).
final class JobAssignmentModel: Model, @unchecked Sendable {
    static let schema = "job_assignments"
    @ID(key: .id) var id: UUID?
    @Field(key: "job_id") var jobID: UUID
    @Field(key: "employee_id") var employeeID: UUID
    init() {}
}
