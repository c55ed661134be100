import AvocaCalls
import AvocaCore
import Foundation

/// The per-call export of a report: RFC 4180 CSV (CRLF line ends, every field that needs it quoted),
/// one header row, then one row per call. Times are ISO-8601 in the company zone, with its offset.
enum CallReportCSV {
    static let header = [
        "phone_call_id", "phone_number", "state", "start_date_time", "answered_at", "end_date_time", "wrap_up_done_at", "wait_seconds",
        "handle_seconds", "missed_reason", "called_back", "employee_id", "employee_name", "outcome", "customer_id", "customer_name", "job_id",
        "notes",
    ]

    static func render(_ report: CallReport) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = report.timeZone
        formatter.formatOptions = [.withInternetDateTime]
        func time(_ date: Date?) -> String { date.map(formatter.string(from:)) ?? "" }
        func seconds(_ value: Double?) -> String {
            guard let value else { return "" }
            return value == value.rounded() ? String(Int(value)) : String(format: "%.3f", value)
        }
        var lines = [header.map(field).joined(separator: ",")]
        for line in report.calls {
            let call = line.call
            let values = [
                call.id.description, call.phoneNumber, call.state.rawValue, time(call.startedAt), time(line.answeredAt), time(call.endedAt),
                time(line.wrapUpDoneAt), seconds(line.waitSeconds), seconds(line.handleSeconds), line.missedReason?.rawValue ?? "",
                line.calledBack ? "true" : "false", call.employeeID?.description ?? "", call.employeeName ?? "", call.outcome?.rawValue ?? "",
                call.customerID?.description ?? "", call.customerName ?? "", call.jobID?.description ?? "", call.notes ?? "",
            ]
            lines.append(values.map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A field, quoted when it holds a comma, quote, line break or leading/trailing space; quotes doubled.
    /// A leading `=`, `+`, `-` or `@` is prefixed with `'` so spreadsheets never run a caller's words as a formula.
    static func field(_ raw: String) -> String {
        var value = raw
        if let first = value.first, "=+-@".contains(first), Double(value) == nil { value = "'" + value }
        let needsQuotes = value.contains { $0 == "," || $0 == "\"" || $0.isNewline } || value.first == " " || value.last == " "
        return needsQuotes ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }
}
