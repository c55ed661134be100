import AvocaCore
import Foundation
import PostgresNIO

extension PostgresHotPaths {
    /// Books `job` with its first notes and dispatched employees in one statement, unless one of
    /// the customer's live jobs overlaps it. Returns the invoice number it got, or nil when the
    /// overlap check found a clash (nothing stored). A clash that commits after the check is caught
    /// by the `jobs_no_overlap` constraint and arrives as an error.
    func book(_ job: NewJob, status: WorkStatus, notes: [JobNote], assigned: [EmployeeID]) async throws -> Int? {
        let statement = BookJob(job: job, status: status.rawValue, notes: notes, assignments: assigned.map { _ in UUID() }, assigned: assigned)
        var number: Int?
        for try await row in try await client.execute(statement) { number = row }
        return number
    }
}

/// The booking, prepared once per connection. Without a transaction: the statement is atomic, and
/// PostgreSQL's exclusion constraint, not the `clash` probe, is what keeps a customer's jobs apart
/// (the probe spares the insert's work and error in the common refused case).
///
/// Invoice numbers come from a sequence, so concurrent bookings no longer pick the same `MAX + 1`
/// and retry on the unique index. The sequence is only a hint: rows written without it (the seeder's
/// bulk insert) can be ahead of it, so the statement takes the larger of the sequence's next value
/// and `MAX + 1` (one step down the unique index), and moves the sequence up when `MAX + 1` won. A
/// number a client chooses ahead of the sequence moves it up at once, so the bookings right after
/// it do not all find `MAX + 1` together and retry on the unique index.
private struct BookJob: PostgresPreparedStatement {
    /// Named here: PostgresNIO's default name is the type's reflected name, built on every execution.
    static let name = "avoca_book_job"
    static let sql = """
        WITH clash AS (
            SELECT 1 FROM jobs WHERE customer_id = $4 AND period_start < $11 AND period_end > $10
            AND work_status NOT IN ('\(WorkStatus.userCanceled.rawValue)', '\(WorkStatus.proCanceled.rawValue)') LIMIT 1),
        job AS (
            INSERT INTO jobs (id, name, description, customer_id, address_id, work_status, scheduled_start, scheduled_end, arrival_window, \
            period_start, period_end, total_amount, outstanding_balance, tags, lead_source, created_at, updated_at, invoice_number)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0, 0, $12, $13, $14, $14,
                CASE WHEN $15::int8 IS NOT NULL THEN (
                    SELECT CASE WHEN $15 > s.last_value THEN setval('\(AddInvoiceNumberSequence.name)', $15) ELSE $15 END
                    FROM \(AddInvoiceNumberSequence.name) s) ELSE (
                    SELECT CASE WHEN n.highest > n.next THEN setval('\(AddInvoiceNumberSequence.name)', n.highest) ELSE n.next END
                    FROM (SELECT nextval('\(AddInvoiceNumberSequence.name)') AS next,
                        (SELECT COALESCE(MAX(invoice_number), 1000) + 1 FROM jobs) AS highest) n) END
            WHERE NOT EXISTS (SELECT 1 FROM clash)
            RETURNING invoice_number),
        notes AS (
            INSERT INTO job_notes (id, job_id, content, created_at)
            SELECT v.id, $1, v.content, v.created_at FROM job, unnest($16::uuid[], $17::text[], $18::timestamptz[]) AS v(id, content, created_at)),
        assigned AS (
            INSERT INTO job_assignments (id, job_id, employee_id)
            SELECT v.id, $1, v.employee_id FROM job, unnest($19::uuid[], $20::uuid[]) AS v(id, employee_id))
        SELECT invoice_number FROM job
        """
    static let bindingDataTypes: [PostgresDataType] = [
        .uuid, .text, .text, .uuid, .uuid, .text, .text, .text, .int8, .timestamptz, .timestamptz, .text, .text, .timestamptz, .int8,
        .uuidArray, .textArray, .timestamptzArray, .uuidArray, .uuidArray,
    ]

    let job: NewJob
    let status: String
    let notes: [JobNote]
    let assignments: [UUID]
    let assigned: [EmployeeID]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 20)
        bindings.append(job.id.uuid)
        bindings.append(job.name)
        bindings.append(job.description)
        bindings.append(job.customerID.uuid)
        bindings.append(job.addressID.uuid)
        bindings.append(status)
        bindings.append(job.schedule?.start.text)
        bindings.append(job.schedule?.end.text)
        bindings.append(job.schedule?.arrivalWindow ?? 0)
        bindings.append(job.schedule?.periodStart)
        bindings.append(job.schedule?.periodEnd)
        bindings.append(JSONCoding.encode(job.tags))
        bindings.append(job.leadSource)
        bindings.append(job.createdAt)
        bindings.append(job.invoiceNumber)
        bindings.append(notes.map(\.id.uuid))
        bindings.append(notes.map(\.content))
        bindings.append(notes.map(\.createdAt))
        bindings.append(assignments)
        bindings.append(assigned.map(\.uuid))
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Int {
        try row.decode(Int.self)
    }
}
