import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Steers a live call through Twilio's REST API: `POST /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json`
/// with new `Twiml`, authenticated with the account sid and auth token (HTTP Basic). Redirecting a
/// queued call takes it out of the `<Enqueue>` and runs the new instructions instead.
public struct TwilioCallControl: Sendable {
    let settings: TwilioSettings

    /// Creates the client for one account.
    public init(settings: TwilioSettings) { self.settings = settings }

    /// Twilio refused or could not be reached; nothing changed on the call.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        /// The HTTP status, or `nil` when Twilio could not be reached.
        public var status: Int?
        /// What went wrong.
        public var description: String
    }

    /// Replaces what the call is doing with `twiml`.
    public func redirect(callSid: String, twiml: String) async throws(Failure) {
        let path = "\(settings.apiURL)/2010-04-01/Accounts/\(FormParameters.escape(settings.accountSID))/Calls/\(FormParameters.escape(callSid)).json"
        guard let url = URL(string: path) else { throw Failure(status: nil, description: "not a URL: \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.timeoutInterval = 10
        let credentials = Data("\(settings.accountSID):\(settings.authToken)".utf8).base64EncodedString()
        request.setValue("Basic \(credentials)", forHTTPHeaderField: "Authorization")
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(FormParameters([("Twiml", twiml)]).encoded().utf8)
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw Failure(status: nil, description: "Twilio could not be reached: \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            // Twilio's error bodies carry a human message; keep it short for the log.
            let message = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["message"] as? String
            throw Failure(status: status, description: "Twilio answered \(status): \(message ?? "no message")")
        }
    }
}
