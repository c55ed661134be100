import AvocaTelephony
import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A LOCAL STAND-IN for Twilio's REST API — not Twilio. Twilio is a third-party service that
/// cannot be reached from development machines or tests, so `avoca simulate --via twilio` runs
/// this in its place (point Avoca's `AVOCA_TWILIO_API_URL` at it). It answers the call-update
/// request Avoca makes (`POST /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json`, form field
/// `Twiml`) the way Twilio does, and records each one — printed, and appended as a JSON line to
/// the `--record` file — so a test can check what Avoca asked for. It steers no audio.
final class TwilioRESTStandIn: Sendable {
    /// One request Avoca made.
    struct Redirect: Sendable {
        var accountSID: String
        var callSid: String
        var twiml: String
        var authorized: Bool
    }

    private let settings: (accountSID: String, authToken: String)
    private let recordPath: String?
    private let redirects = Mutex<[Redirect]>([])

    init(accountSID: String, authToken: String, recordPath: String?) {
        settings = (accountSID, authToken)
        self.recordPath = recordPath
    }

    /// Every redirect so far.
    var all: [Redirect] { redirects.withLock { $0 } }

    /// The redirects Avoca asked for one call.
    func redirects(for callSid: String) -> [Redirect] { all.filter { $0.callSid == callSid } }

    /// The stand-in as an HTTP application on `host:port`.
    func application(host: String, port: Int, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        router.post("/2010-04-01/Accounts/:account/Calls/:call") { request, context -> Response in
            var request = request
            let account = context.parameters.get("account") ?? ""
            let file = context.parameters.get("call") ?? ""
            let body = try await request.collectBody(upTo: 64 * 1024)
            let form = FormParameters.parse(body.readableBytesView) ?? FormParameters([])
            let expected = "Basic " + Data("\(self.settings.accountSID):\(self.settings.authToken)".utf8).base64EncodedString()
            let redirect = Redirect(
                accountSID: account, callSid: file.hasSuffix(".json") ? String(file.dropLast(5)) : file, twiml: form["Twiml"] ?? "",
                authorized: request.headers[.authorization] == expected && account == self.settings.accountSID)
            self.record(redirect)
            guard redirect.authorized else {
                // Twilio's answer to bad credentials.
                return Self.json(.unauthorized, ["code": 20003, "message": "Authenticate", "status": 401])
            }
            return Self.json(.ok, ["sid": redirect.callSid, "account_sid": account, "status": "in-progress"])
        }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "twilio-stand-in"), logger: logger)
    }

    private func record(_ redirect: Redirect) {
        redirects.withLock { $0.append(redirect) }
        print("  [Twilio REST stand-in] \(redirect.callSid): \(redirect.twiml)\(redirect.authorized ? "" : " (REFUSED: bad credentials)")")
        guard let recordPath else { return }
        let line: [String: Any] = [
            "account_sid": redirect.accountSID, "call_sid": redirect.callSid, "twiml": redirect.twiml, "authorized": redirect.authorized,
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]) else { return }
        if !FileManager.default.fileExists(atPath: recordPath) { FileManager.default.createFile(atPath: recordPath, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: recordPath) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: data + Data("\n".utf8))
    }

    private static func json(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
