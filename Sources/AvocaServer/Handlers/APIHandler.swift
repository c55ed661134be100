import AvocaAPI
import AvocaCalls
import AvocaCore
import AvocaDirectory
import AvocaIdentity
import Foundation

/// The implementation of the OpenAPI contract, split by tag into `APIHandler+<Tag>.swift`.
/// Handlers translate between generated schema types and domain values; the services decide.
struct APIHandler: APIProtocol {
    let identity: IdentityService
    let customers: CustomerService
    let jobs: JobService
    let calls: CallService
    let reports: CallReportService
    let simulator: CallSimulator?
    let cookies: RefreshCookie
    /// The Twilio Voice bridge; `nil` when `AVOCA_TWILIO_*` is unset.
    var twilio: TwilioEndpoints? = nil
}

/// The console's refresh-token cookie: HttpOnly, SameSite=Strict, scoped to the auth endpoints,
/// `Secure` when the public URL is https.
struct RefreshCookie: Sendable {
    static let name = "avoca_refresh"
    let secure: Bool
    let maxAge: Int

    func set(_ token: String) -> String {
        "\(Self.name)=\(token); Path=/api/auth; Max-Age=\(maxAge); HttpOnly; SameSite=Strict\(secure ? "; Secure" : "")"
    }

    func clear() -> String {
        "\(Self.name)=; Path=/api/auth; Max-Age=0; HttpOnly; SameSite=Strict\(secure ? "; Secure" : "")"
    }
}

extension Components.Schemas.ErrorResponse {
    /// The generated error body for a domain error (used where the spec declares the response).
    init(_ error: DomainError) {
        let api = APIError(error)
        self.init(
            error: .init(
                code: api.code, message: api.message, fields: api.fields.map { .init(additionalProperties: $0) },
                conflictingJobIds: api.conflictingJobIDs, ownerEmployeeId: api.ownerEmployeeID, expectedSeq: api.expectedSeq))
    }
}
