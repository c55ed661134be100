import AvocaCore
import AvocaDemoData
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Plays realistic calls into Avoca through `CallIngest` — the same path as the HTTP ingest API —
/// at a configurable rate, streaming one word every 250–1000 ms. Like a real line, a call is only
/// the caller answering the phone menu while it rings; the rep's side starts once `state(of:)`
/// says a rep holds the call, and a caller nobody answers within `patience` hangs up (a missed
/// call, without a word from a rep). Each call survives server restarts: failed requests are
/// retried, and a gap answer rewinds to the seq the server expects.
public final class CallSimulator: Service, Sendable {
    /// Settings of a simulation run.
    public struct Settings: Sendable {
        /// Mean seconds between automatic calls; `nil` = only on demand.
        public var interval: TimeInterval?
        /// Pause between words.
        public var wordDelay: ClosedRange<Double> = 0.25...1.0
        /// Share of callers who are existing customers (their number matches).
        public var existingCallerPercent = 40
        /// Seed for repeatable runs.
        public var seed: UInt64
        /// Stop after this many calls (`nil` = run until shutdown).
        public var maxCalls: Int?
        /// Seconds a caller waits for a rep (after the phone menu, or after being put back in the
        /// queue) before hanging up.
        public var patience: TimeInterval
        /// How often a waiting caller's line asks whether a rep has answered.
        public var answerPoll: Duration = .milliseconds(250)

        /// Creates settings.
        public init(
            interval: TimeInterval?, seed: UInt64, wordDelay: ClosedRange<Double> = 0.25...1.0, maxCalls: Int? = nil, patience: TimeInterval = 60
        ) {
            self.interval = interval
            self.seed = seed
            self.wordDelay = wordDelay
            self.maxCalls = maxCalls
            self.patience = patience
        }
    }

    private let ingest: any CallIngest
    private let existingCustomer: @Sendable (Int) async -> Customer?
    private let settings: Settings
    private let logger: Logger
    private let triggers: AsyncStream<Void>
    private let triggerContinuation: AsyncStream<Void>.Continuation
    private let started = Mutex(0)

    /// Creates a simulator; `existingCustomer(n)` returns some stored customer for returning callers.
    public init(ingest: any CallIngest, settings: Settings, logger: Logger, existingCustomer: @escaping @Sendable (Int) async -> Customer?) {
        self.ingest = ingest
        self.settings = settings
        self.logger = logger
        self.existingCustomer = existingCustomer
        (triggers, triggerContinuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(20))
    }

    /// Starts one call as soon as possible.
    public func triggerCall() async { triggerContinuation.yield() }

    /// Runs until shutdown (or until `maxCalls` calls have finished).
    public func run() async throws {
        await withTaskGroup(of: Void.self) { ticker in
            if let interval = settings.interval {
                ticker.addTask { [self] in
                    var random = SeededRandom(seed: settings.seed, index: 0, stream: 99)
                    while !Task.isShuttingDownGracefully && !Task.isCancelled {
                        // Exponential gaps around the mean: calls arrive like real traffic.
                        let gap = -log(max(0.01, Double(random.int(in: 1...1000)) / 1000)) * interval
                        try? await Task.sleep(for: .seconds(min(gap, interval * 4)))
                        if Task.isShuttingDownGracefully || Task.isCancelled { break }
                        triggerContinuation.yield()
                    }
                }
            }
            // Plays run to their end; once the last allowed call is done the ticker stops too.
            await withDiscardingTaskGroup { plays in
                for await _ in triggers.cancelOnGracefulShutdown() {
                    let index = started.withLock { count -> Int? in
                        if let max = settings.maxCalls, count >= max { return nil }
                        count += 1
                        return count
                    }
                    guard let index else { break }
                    plays.addTask { [self] in await play(index: index) }
                    if let max = settings.maxCalls, index >= max { break }
                }
            }
            triggerContinuation.finish()
            ticker.cancelAll()
        }
    }

    /// Plays one call from ring to hang-up.
    func play(index: Int) async {
        let (script, timing) = await script(index: index)
        var random = timing
        do {
            let call = try await retrying("start") {
                try await ingest.startCall(
                    phoneNumber: script.callerNumber, startedAt: nil, externalID: "sim-\(settings.seed)-\(index)-\(UUID().uuidString.prefix(8))")
            }
            let segments = script.segments
            let opening = script.openingSegmentCount
            var next = 0
            // The turn (its first segment's index) a rep was last seen holding the call for.
            var heardFrom = -1
            while next < segments.count && !Task.isShuttingDownGracefully {
                let turnStarts = next == 0 || segments[next - 1].speaker != segments[next].speaker
                if next >= opening && turnStarts && heardFrom != next {
                    // Past the phone menu the caller talks only to a rep: wait for one before each turn
                    // (a call put back in the queue goes on hold again).
                    switch await waitForRep(call.id) {
                    case .answered: heardFrom = next
                    case .ended: return
                    case .gaveUp: next = segments.count  // hangs up below: nobody answered
                    }
                    if next >= segments.count { break }
                }
                try? await Task.sleep(for: .seconds(Double.random(in: settings.wordDelay, using: &random)))
                if turnStarts {
                    // A new turn: like a speech engine, show a first guess of the words coming,
                    // which the final words replace one by one (best effort: never stored).
                    let guess = segments[next...].prefix { $0.speaker == segments[next].speaker }.prefix(3).map(\.text).joined(separator: " ")
                    try? await ingest.announcePartial(call.id, speaker: segments[next].speaker, text: guess)
                    try? await Task.sleep(for: .seconds(Double.random(in: settings.wordDelay, using: &random)))
                }
                do {
                    let (lastSeq, _) = try await ingest.appendTranscript(call.id, segments: [segments[next]])
                    // The server acknowledged up to lastSeq; never past the turn's end, which waits for its rep.
                    next = min(max(next + 1, lastSeq), nextTurnStart(after: next, in: segments))
                } catch DomainError.conflict(code: "transcript_gap", _, let details) where details.expectedSeq != nil {
                    next = max(0, (details.expectedSeq ?? 1) - 1)  // resume from what the server has
                } catch DomainError.conflict(code: "call_ended", _, _) {
                    return  // ended by silence detection or a restart; nothing more to say
                } catch {
                    logger.debug("simulator append failed, retrying: \(error)")
                    try? await Task.sleep(for: .seconds(1))
                }
            }
            _ = try await retrying("end") { try await ingest.endCall(call.id) }
        } catch {
            logger.warning("simulated call \(index) gave up: \(error)")
        }
    }

    /// The script of call `index`, and the random stream its timing goes on from (deterministic
    /// for the seed: a test knows how many words the caller says to the phone menu).
    func script(index: Int) async -> (ConversationScript, SeededRandom) {
        var random = SeededRandom(seed: settings.seed, index: index, stream: 7)
        let existing = random.chance(settings.existingCallerPercent) ? await existingCustomer(index) : nil
        let caller = existing ?? DemoDataGenerator(seed: settings.seed &+ 1, referenceDate: Date()).customer(index: 1_000_000 + index)
        return (ConversationScript(customer: caller, existing: existing != nil, random: &random), random)
    }

    /// What became of a caller waiting for a rep.
    enum Wait {
        /// A rep holds the call.
        case answered
        /// The call ended meanwhile (a rep's hang-up, silence detection).
        case ended
        /// Nobody answered within `patience` (or the simulator is stopping).
        case gaveUp
    }

    /// Waits for a rep to hold the call. A failed read (the server restarting) is asked again:
    /// the caller is still on the line.
    private func waitForRep(_ id: PhoneCallID) async -> Wait {
        let deadline = ContinuousClock.now + .seconds(settings.patience)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let state = try await ingest.state(of: id)
                if state == .active { return .answered }
                if !state.isLive { return .ended }
            } catch {
                logger.debug("simulator could not read the call's state, asking again: \(error)")
            }
            if ContinuousClock.now >= deadline { return .gaveUp }
            try? await Task.sleep(for: settings.answerPoll)
        }
        return .gaveUp
    }

    /// The index of the first segment of the turn after the one holding `index`.
    private func nextTurnStart(after index: Int, in segments: [TranscriptSegment]) -> Int {
        var end = index + 1
        while end < segments.count && segments[end].speaker == segments[index].speaker { end += 1 }
        return end
    }

    /// Retries an idempotent step until it works (the server may be restarting), up to ~2 minutes.
    private func retrying<T: Sendable>(_ step: String, _ body: () async throws -> T) async throws -> T {
        var delay = 0.5
        var attempt = 1
        while true {
            do { return try await body() } catch {
                if attempt >= 40 || Task.isShuttingDownGracefully { throw error }
                logger.debug("simulator \(step) failed (attempt \(attempt)): \(error)")
                try? await Task.sleep(for: .seconds(delay))
                delay = min(delay * 2, 5)
                attempt += 1
            }
        }
    }
}
