import AvocaCalls
import AvocaCore
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `CallIngest` over HTTP, for running the simulator against a server in another process.
struct HTTPCallIngest: CallIngest {
    let baseURL: URL
    let apiKey: String

    func startCall(phoneNumber: String, startedAt: Date?, externalID: String?) async throws -> PhoneCall {
        var body: [String: Any] = ["phone_number": phoneNumber]
        if let externalID { body["external_id"] = externalID }
        let json = try await send("POST", "phone-calls", body)
        guard let id = (json["phone_call_id"] as? String).flatMap(PhoneCallID.init) else {
            throw DomainError.badRequest(message: "no call id in answer")
        }
        let now = Date()
        return PhoneCall(id: id, phoneNumber: phoneNumber, state: .ringing, startedAt: now, lastActivityAt: now, createdAt: now, updatedAt: now)
    }

    func appendTranscript(_ id: PhoneCallID, segments: [TranscriptSegment]) async throws -> (lastSeq: Int, stored: Int) {
        let body: [String: Any] = ["segments": segments.map { ["seq": $0.seq, "speaker": $0.speaker.rawValue, "text": $0.text] }]
        let json = try await send("POST", "phone-calls/\(id)/transcript", body)
        return (json["last_seq"] as? Int ?? 0, json["stored"] as? Int ?? 0)
    }

    func endCall(_ id: PhoneCallID) async throws -> PhoneCall {
        let json = try await send("POST", "phone-calls/\(id)/end", nil)
        let now = Date()
        return PhoneCall(
            id: id, phoneNumber: json["phone_number"] as? String ?? "", state: CallState(rawValue: json["state"] as? String ?? "") ?? .completed,
            startedAt: now, lastActivityAt: now, createdAt: now, updatedAt: now)
    }

    func announcePartial(_ id: PhoneCallID, speaker: Speaker, text: String) async throws {
        _ = try await send("POST", "phone-calls/\(id)/partial", ["speaker": speaker.rawValue, "text": text])
    }

    func state(of id: PhoneCallID) async throws -> CallState {
        // The key reads only the calls it started (`GET /phone-calls/{id}/state`).
        let json = try await send("GET", "phone-calls/\(id)/state", nil)
        guard let state = (json["state"] as? String).flatMap(CallState.init(rawValue:)) else {
            throw DomainError.badRequest(message: "no state in answer")
        }
        return state
    }

    /// Sends one JSON request; API errors come back as the same `DomainError`s the in-process service throws.
    private func send(_ method: String, _ path: String, _ body: [String: Any]?) async throws -> [String: Any] {
        var request = URLRequest(url: baseURL.appendingPathComponent("api").appendingPathComponent(path))
        request.httpMethod = method
        request.timeoutInterval = 15
        request.setValue("Token \(apiKey)", forHTTPHeaderField: "Authorization")
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            let error = json["error"] as? [String: Any] ?? [:]
            let code = error["code"] as? String ?? "http_\(status)"
            let message = error["message"] as? String ?? "HTTP \(status)"
            if status == 409 {
                throw DomainError.conflict(code: code, message: message, details: ConflictDetails(expectedSeq: error["expected_seq"] as? Int))
            }
            throw DomainError.badRequest(message: "\(code): \(message)")
        }
        return json
    }
}
