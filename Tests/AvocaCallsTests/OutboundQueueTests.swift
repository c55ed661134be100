import Foundation
import NIOCore
import Testing

@testable import AvocaCalls

/// A socket's outbound queue: a writer that fell behind takes its whole backlog at once, and the
/// limits that cut off a slow client still hold.
@Suite("Realtime: a socket's outbound queue", .timeLimit(.minutes(1)))
struct OutboundQueueTests {
    func strings(_ queue: OutboundQueue, upTo limit: Int) async -> [String]? {
        await queue.next(upTo: limit)?.map { String(buffer: $0) }
    }

    @Test("a backlog comes out in one batch, in order, split only at the batch limit")
    func backlogInOneBatch() async throws {
        let queue = OutboundQueue(maxCount: 100, maxBytes: 1 << 20)
        for index in 1...10 { #expect(queue.push(ByteBuffer(string: "m\(index)"))) }
        #expect(await strings(queue, upTo: 4) == ["m1", "m2", "m3", "m4"])
        #expect(await strings(queue, upTo: 64) == ["m5", "m6", "m7", "m8", "m9", "m10"])
        #expect(queue.push(ByteBuffer(string: "m11")))
        #expect(await strings(queue, upTo: 64) == ["m11"])
    }

    @Test("a waiting writer wakes for the next message, and for the end")
    func waiting() async throws {
        let queue = OutboundQueue(maxCount: 10, maxBytes: 1 << 20)
        async let first = strings(queue, upTo: 64)
        try await Task.sleep(for: .milliseconds(50))
        #expect(queue.push(ByteBuffer(string: "hello")))
        #expect(await first == ["hello"])
        async let end = strings(queue, upTo: 64)
        try await Task.sleep(for: .milliseconds(50))
        queue.finish()
        #expect(await end == nil)
    }

    @Test("after the end, what was queued is still delivered, then nothing; later messages are dropped")
    func drainAfterFinish() async {
        let queue = OutboundQueue(maxCount: 10, maxBytes: 1 << 20)
        #expect(queue.push(ByteBuffer(string: "a")))
        #expect(queue.push(ByteBuffer(string: "b")))
        queue.finish()
        #expect(queue.isFinished)
        #expect(queue.push(ByteBuffer(string: "late")))  // quietly dropped: the connection is closing anyway
        #expect(await strings(queue, upTo: 64) == ["a", "b"])
        #expect(await strings(queue, upTo: 64) == nil)
    }

    @Test("a full queue refuses the next message and ends, by count and by bytes")
    func limits() async {
        let byCount = OutboundQueue(maxCount: 3, maxBytes: 1 << 20)
        #expect(byCount.push(ByteBuffer(string: "1")) && byCount.push(ByteBuffer(string: "2")) && byCount.push(ByteBuffer(string: "3")))
        #expect(!byCount.push(ByteBuffer(string: "4")))
        #expect(byCount.isFinished)
        #expect(await strings(byCount, upTo: 64) == ["1", "2", "3"])

        let byBytes = OutboundQueue(maxCount: 100, maxBytes: 10)
        #expect(byBytes.push(ByteBuffer(string: "12345")))
        #expect(byBytes.push(ByteBuffer(string: "67890")))
        #expect(!byBytes.push(ByteBuffer(string: "x")))
        // Taking messages off frees their bytes.
        let refill = OutboundQueue(maxCount: 100, maxBytes: 10)
        #expect(refill.push(ByteBuffer(string: "1234567890")))
        #expect(await strings(refill, upTo: 64) == ["1234567890"])
        #expect(refill.push(ByteBuffer(string: "abcdefghij")))
    }

    @Test("cancelling a waiting writer ends its wait")
    func cancellation() async throws {
        let queue = OutboundQueue(maxCount: 10, maxBytes: 1 << 20)
        let waiting = Task { await strings(queue, upTo: 64) }
        try await Task.sleep(for: .milliseconds(50))
        waiting.cancel()
        #expect(await waiting.value == nil)
        // The queue itself is still usable by the next reader.
        #expect(queue.push(ByteBuffer(string: "after")))
        #expect(await strings(queue, upTo: 64) == ["after"])
    }
}
