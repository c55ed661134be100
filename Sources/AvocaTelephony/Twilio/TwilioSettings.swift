import Foundation

/// The Twilio account Avoca answers for (`AVOCA_TWILIO_*`). Without one the bridge is off.
public struct TwilioSettings: Sendable, Equatable {
    /// `AVOCA_TWILIO_ACCOUNT_SID` (`AC…`).
    public var accountSID: String
    /// `AVOCA_TWILIO_AUTH_TOKEN`: signs Twilio's webhooks and authenticates Avoca's REST calls.
    public var authToken: String
    /// `AVOCA_TWILIO_API_URL`: Twilio's REST API (tests point it at a local stand-in).
    public var apiURL: String
    /// `AVOCA_TWILIO_GREETING`: said to every caller before they wait.
    public var greeting: String
    /// `AVOCA_TWILIO_HOLD_MUSIC_URL`: played while a caller waits; without it a message is repeated.
    public var holdMusicURL: String?

    /// The queue every caller waits in until a rep accepts.
    public static let queue = "avoca"
    /// Twilio's REST API.
    public static let defaultAPIURL = "https://api.twilio.com"
    /// The greeting when none is configured.
    public static let defaultGreeting = "Thanks for calling. Please hold while we connect you with a member of our team."
    /// Repeated to a waiting caller when no hold music is configured.
    public static let holdMessage = "Thanks for holding. Someone will be with you shortly."

    /// Creates settings.
    public init(
        accountSID: String, authToken: String, apiURL: String = Self.defaultAPIURL, greeting: String = Self.defaultGreeting,
        holdMusicURL: String? = nil
    ) {
        self.accountSID = accountSID
        self.authToken = authToken
        self.apiURL = apiURL
        self.greeting = greeting
        self.holdMusicURL = holdMusicURL
    }
}
