import AvocaCore
import AvocaPersistence
import AvocaServer
import AvocaTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

/// Collects every e-mail the application sends.
final class CapturingMailer: Mailer {
    private let messages = Mutex<[MailMessage]>([])

    func send(_ message: MailMessage) async throws { messages.withLock { $0.append(message) } }

    var all: [MailMessage] { messages.withLock { $0 } }

    /// The 6-digit code in the newest message to `to` whose subject contains `subject`.
    func code(to: String, subject: String) -> String? {
        guard let message = all.last(where: { $0.to == to && $0.subject.contains(subject) }) else { return nil }
        return message.textBody.firstMatch(of: /\b(\d{6})\b/).map { String($0.1) }
    }
}

/// A running application under test with helpers for the JSON API.
struct Harness {
    let client: any TestClientProtocol
    let services: AvocaServices
    let mailer: CapturingMailer
    let clock: ManualClock

    /// Builds an application on a fresh database and runs `body` against it; `live` binds a real
    /// port (needed for WebSockets).
    static func run(
        live: Bool = false, start: Date = Date(), configure: (inout AppConfig) -> Void = { _ in },
        _ body: @escaping @Sendable (Harness) async throws -> Void
    ) async throws {
        var config = AppConfig.testing(database: try await TestDatabase.fresh())
        configure(&config)
        try await instance(config: config, clock: ManualClock(start), live: live, body)
    }

    /// Two instances of the application on one database and one clock, as behind a load balancer;
    /// `configureSecond` adjusts the second one's configuration (to compare two set-ups on one data set).
    static func runPair(
        configureSecond: (inout AppConfig) -> Void = { _ in }, _ body: @escaping @Sendable (Harness, Harness) async throws -> Void
    ) async throws {
        var location = try await TestDatabase.fresh()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("avoca-pair-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        if location == .sqliteMemory {  // two processes' worth of connections need a file to share
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            location = .sqliteFile(path: folder.appendingPathComponent("avoca.sqlite").path)
        }
        let config = AppConfig.testing(database: location)
        let secondConfig = {
            var second = config
            configureSecond(&second)
            return second
        }()
        let clock = ManualClock(Date())
        try await instance(config: config, clock: clock, live: false) { first in
            try await instance(config: secondConfig, clock: clock, live: false) { second in try await body(first, second) }
        }
    }

    /// `first` on one application, which then shuts down, and `second` on a new one over the same
    /// database and clock: a server restart.
    static func runAcrossRestart(
        _ first: @escaping @Sendable (Harness) async throws -> Void, then second: @escaping @Sendable (Harness) async throws -> Void
    ) async throws {
        var location = try await TestDatabase.fresh()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("avoca-restart-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        if location == .sqliteMemory {  // an in-memory database would not outlive the first server
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            location = .sqliteFile(path: folder.appendingPathComponent("avoca.sqlite").path)
        }
        let config = AppConfig.testing(database: location)
        let clock = ManualClock(Date())
        try await instance(config: config, clock: clock, live: false, first)
        try await instance(config: config, clock: clock, live: false, second)
    }

    private static func instance(
        config: AppConfig, clock: ManualClock, live: Bool, _ body: @escaping @Sendable (Harness) async throws -> Void
    ) async throws {
        let mailer = CapturingMailer()
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let services = try await buildServices(config: config, clock: clock, mailer: mailer, logger: logger)
        let app = try await buildApplication(config: config, services: services, logger: logger)
        try await app.test(live ? .live : .router) { client in
            // Work the test's requests started (insight extraction) finishes before the database
            // closes under it.
            do {
                try await body(Harness(client: client, services: services, mailer: mailer, clock: clock))
            } catch {
                await services.calls.settle()
                throw error
            }
            await services.calls.settle()
        }
    }

    /// Sends a JSON request and returns status, decoded body and headers.
    @discardableResult
    func request(
        _ method: HTTPRequest.Method, _ path: String, json: Any? = nil, bearer: String? = nil, token: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> APIResponse {
        var headers = extra
        if json != nil { headers[.contentType] = "application/json" }
        if let bearer { headers[.authorization] = "Bearer \(bearer)" }
        if let token { headers[.authorization] = "Token \(token)" }
        let body = try json.map { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: $0)) }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body)
        return APIResponse(status: response.status, headers: response.headers, data: Data(buffer: response.body))
    }

    /// Delivers queued mail to the capturing mailer now.
    func flushMail() async throws { try await services.delivery.deliverDue() }

    /// The current TOTP code for a base32 secret.
    func totp(_ secret: String, offset: Int64 = 0) -> String {
        TOTP(secret: Base32.decode(secret)!).code(step: TOTP.step(at: clock.now()) + offset)
    }

    /// Signs up and verifies an employee; returns nothing but leaves the account ready to sign in.
    func signUpAndVerify(_ email: String, password: String = Harness.password) async throws {
        let signUp = try await request(
            .post, "/api/auth/signup", json: ["email": email, "password": password, "first_name": "Pat", "last_name": "Lee"])
        try #require(signUp.status == .created)
        try await flushMail()
        let code = try #require(mailer.code(to: email.trimmingCharacters(in: .whitespaces).lowercased(), subject: "verification code"))
        let verify = try await request(.post, "/api/auth/verify-email", json: ["email": email, "code": code])
        try #require(verify.status == .ok)
    }

    /// A fully enrolled, signed-in employee.
    func enrolledEmployee(_ email: String, password: String = Harness.password) async throws -> SignedIn {
        try await signUpAndVerify(email, password: password)
        return try await enrolledEmployee(fromVerified: email, password: password)
    }

    /// Signs in an employee who has verified their address and sets up their authenticator.
    func enrolledEmployee(fromVerified email: String, password: String = Harness.password) async throws -> SignedIn {
        let mfa = try await request(.post, "/api/auth/signin", json: ["email": email, "password": password])
        let token = try #require(mfa["mfa_token"] as? String)
        let setup = try await request(.post, "/api/auth/totp/setup", json: ["mfa_token": token])
        let secret = try #require(setup["secret"] as? String)
        let session = try await request(.post, "/api/auth/totp/verify", json: ["mfa_token": token, "code": totp(secret)])
        try #require(session.status == .ok)
        return SignedIn(
            email: email, password: password, secret: secret, accessToken: try #require(session["access_token"] as? String),
            refreshToken: try #require(session["refresh_token"] as? String), recoveryCodes: session["recovery_codes"] as? [String] ?? [],
            employeeID: try #require((session["employee"] as? [String: Any])?["id"] as? String))
    }

    /// Signs an enrolled employee in again (moving the clock to a fresh TOTP step first).
    func signInAgain(_ employee: SignedIn) async throws -> SignedIn {
        clock.advance(by: 30)
        let mfa = try await request(.post, "/api/auth/signin", json: ["email": employee.email, "password": employee.password])
        let token = try #require(mfa["mfa_token"] as? String)
        let session = try await request(.post, "/api/auth/totp/verify", json: ["mfa_token": token, "code": totp(employee.secret)])
        try #require(session.status == .ok)
        var again = employee
        again.accessToken = try #require(session["access_token"] as? String)
        again.refreshToken = try #require(session["refresh_token"] as? String)
        return again
    }

    static let password = "tidy-lantern-4821"
}

/// An employee with live credentials.
struct SignedIn: Sendable {
    var email: String
    var password: String
    var secret: String
    var accessToken: String
    var refreshToken: String
    var recoveryCodes: [String]
    var employeeID: String
}

/// A decoded API response.
struct APIResponse: @unchecked Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let data: Data

    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:] }
    subscript(key: String) -> Any? { json[key] }
    /// `error.code` of an error body.
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    var errorMessage: String? { (json["error"] as? [String: Any])?["message"] as? String }
    var errorFields: [String: String] { ((json["error"] as? [String: Any])?["fields"] as? [String: String]) ?? [:] }
}
