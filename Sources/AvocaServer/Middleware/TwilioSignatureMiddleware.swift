import AvocaTelephony
import HTTPTypes
import Hummingbird
import Logging

/// The verified parameters of a carrier webhook, carried to the OpenAPI handlers (which only see
/// the generated types) through a task-local. Present only once the signature checked out.
struct CarrierRequest: Sendable {
    /// Every form parameter the carrier sent.
    var form: FormParameters

    @TaskLocal static var current: CarrierRequest?
}

/// Guards `/api/telephony/twilio/…`: the only credential there is Twilio's `X-Twilio-Signature`
/// over the public URL and the form parameters. A missing or wrong one is 403 before any handler
/// runs, so nothing is stored; with the bridge off the paths answer 404, as before it existed.
struct TwilioSignatureMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let pathPrefix = "/api/telephony/twilio/"
    /// Twilio's webhooks are a few kilobytes; nothing bigger is read.
    static let maxBodyBytes = 64 * 1024

    let signature: TwilioSignature?
    /// `AVOCA_PUBLIC_URL` without a trailing slash: the URL Twilio was told to call. Never the
    /// Host header, which a TLS-terminating proxy rewrites (and an attacker chooses).
    let publicBase: String
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix(Self.pathPrefix) else { return try await next(request, context) }
        guard let signature else {
            throw APIError(
                status: .notFound, code: "telephony_off",
                message: "The Twilio bridge is off: set AVOCA_TWILIO_ACCOUNT_SID and AVOCA_TWILIO_AUTH_TOKEN.")
        }
        let tooLarge = APIError(
            status: .contentTooLarge, code: "payload_too_large", message: "A webhook body may be at most \(Self.maxBodyBytes) bytes.")
        if let length = request.headers[.contentLength].flatMap(Int.init), length > Self.maxBodyBytes { throw tooLarge }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Self.maxBodyBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge
        }
        let bytes = Array(body.readableBytesView)
        let isForm = request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") ?? false
        // A body that is not a form is signed through `bodySHA256` instead; it has no parameters.
        let form = isForm ? FormParameters.parse(bytes) : FormParameters([])
        let query = request.uri.query.map { "?\($0)" } ?? ""
        let url = publicBase + request.uri.path + query
        guard let form, signature.isValid(signature: request.headers[Self.signatureHeader], url: url, parameters: form, body: bytes) else {
            logger.warning("refused a Twilio webhook with a missing or wrong signature", metadata: ["path": "\(request.uri.path)"])
            throw APIError(status: .forbidden, code: "invalid_signature", message: "The X-Twilio-Signature header is missing or wrong.")
        }
        return try await CarrierRequest.$current.withValue(CarrierRequest(form: form)) { try await next(request, context) }
    }

    static let signatureHeader = HTTPField.Name("X-Twilio-Signature")!
}
