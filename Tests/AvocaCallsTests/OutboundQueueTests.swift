import Foundation
import Testing

@testable import AvocaCalls

/// A socket's outbound queue: a writer that fell behind takes its whole backlog at once, and the
/// limits that cut off a slow client still hold.
@Suite("Realtime: a socket's outbound queue", .timeLimit(.minutes(1)))
struct OutboundQueueTests {
    @Test("a backlog comes out in one batch, in order, split only at the batch limit")
    func backlogInOneBatch() async throws {
        let queue = OutboundQueue(maxCount: 100, maxBytes: 1 << 20)
        for index in 1...10 { #expect(queue.push("m\(index)")) }
        #expect(await queue.next(upTo: 4) == ["m1", "m2", "m3", "m4"])
        #expect(await queue.next(upTo: 64) == ["m5", "m6", "m7", "m8", "m9", "m10"])
        #expect(queue.push("m11"))
        #expect(await queue.next(upTo: 64) == ["m11"])
    }

    @Test("a waiting writer wakes for the next message, and for the end")
    func waiting() async throws {
        let queue = OutboundQueue(maxCount: 10, maxBytes: 1 << 20)
        async let first = queue.next(upTo: 64)
        try await Task.sleep(for: .milliseconds(50))
        #expect(queue.push("hello"))
        #expect(await first == ["hello"])
        async let end = queue.next(upTo: 64)
        try await Task.sleep(for: .milliseconds(50))
        queue.finish()
        #expect(await end == nil)
    }

    @Test("after the end, what was queued is still delivered, then nothing; later messages are dropped")
    func drainAfterFinish() async {
        let queue = OutboundQueue(maxCount: 10, maxBytes: 1 << 20)
        #expect(queue.push("a"))
        #expect(queue.push("b"))
        queue.finish()
        #expect(queue.isFinished)
        #expect(queue.push("late"))  // quietly dropped: the connection is closing anyway
        #expect(await queue.next(upTo: 64) == ["a", "b"])
        #expect(await queue.next(upTo: 64) == nil)
    }

    @Test("a full queue refuses the next message and ends, by count and by bytes")
    func limits() async {
        let byCount = OutboundQueue(maxCount: 3, maxBytes: 1 << 20)
        #expect(byCount.push("1") && byCount.push("2") && byCount.push("3"))
        #expect(!byCount.push("4"))
        #expect(byCount.isFinished)
        #expect(await byCount.next(upTo: 64) == ["1", "2", "3"])

        let byBytes = OutboundQueue(maxCount: 100, maxBytes: 10)
        #expect(byBytes.push("12345"))
        #expect(byBytes.push("67890"))
        #expect(!byBytes.push("x"))
        // Taking messages off frees their bytes.
        let refill = OutboundQueue(maxCount: 100, maxBytes: 10)
        #expect(refill.push("1234567890"))
        #expect(await refill.next(upTo: 64) == ["1234567890"])
        #expect(refill.push("abcdefghij"))
    }

    @Test("cancelling a waiting writer ends its wait")
    func cancellation() async throws {
        let queue = OutboundQueue(maxCount: 10, maxBytes: 1 << 20)
        let waiting = Task { await queue.next(upTo: 64) }
        try await Task.sleep(for: .milliseconds(50))
        waiting.cancel()
        #expect(await waiting.value == nil)
        // The queue itself is still usable by the next reader.
        #expect(queue.push("after"))
        #expect(await queue.next(upTo: 64) == ["after"])
    }
}
