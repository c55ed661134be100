import AvocaCore
import Foundation
import Synchronization

/// Who a credential belonged to a moment ago, so an API read does not pay database round trips for
/// authentication on every request. Entries live `lifetime` (one second): a revocation made on
/// this instance clears the cache at once, one made on another instance is seen here within that
/// second. Only credentials that proved valid are remembered (a flood of wrong keys cannot fill
/// it), and the cache is emptied when it reaches `capacity`, so its memory is bounded.
final class AuthCache: Sendable {
    struct Session: Sendable {
        let caller: AuthenticatedEmployee
        let sessionExpires: Date
    }

    private struct Entry<Value: Sendable>: Sendable {
        let value: Value
        let expires: Date
    }

    private struct State: Sendable {
        var keys: [String: Entry<APIKey>] = [:]
        var sessions: [SessionID: Entry<Session>] = [:]
    }

    static let lifetime: TimeInterval = 1
    static let capacity = 10_000
    private let state = Mutex(State())

    /// The API key with this hash, if it was valid less than a second ago.
    func apiKey(hash: String, at now: Date) -> APIKey? {
        state.withLock { $0.keys[hash].flatMap { $0.expires > now ? $0.value : nil } }
    }

    func remember(_ key: APIKey, at now: Date) {
        state.withLock { state in
            if state.keys.count >= Self.capacity { state.keys.removeAll(keepingCapacity: true) }
            state.keys[key.keyHash] = Entry(value: key, expires: now.addingTimeInterval(Self.lifetime))
        }
    }

    /// The employee signed in on this session, if it was live less than a second ago and has not expired since.
    func session(_ id: SessionID, at now: Date) -> AuthenticatedEmployee? {
        state.withLock { state in
            guard let entry = state.sessions[id], entry.expires > now, entry.value.sessionExpires > now else { return nil }
            return entry.value.caller
        }
    }

    func remember(_ caller: AuthenticatedEmployee, sessionExpires: Date, at now: Date) {
        state.withLock { state in
            if state.sessions.count >= Self.capacity { state.sessions.removeAll(keepingCapacity: true) }
            state.sessions[caller.sessionID] = Entry(
                value: Session(caller: caller, sessionExpires: sessionExpires), expires: now.addingTimeInterval(Self.lifetime))
        }
    }

    /// Forgets everything: called by every change that can end a credential (revocation, sign-out,
    /// deactivation, a password change) — these are rare, so precision is not worth the bookkeeping.
    func clear() {
        state.withLock { $0 = State() }
    }
}
