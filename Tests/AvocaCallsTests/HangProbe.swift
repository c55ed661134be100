import Testing

@Suite("Hang probe", .timeLimit(.minutes(1)))
struct HangProbe {
    @Test("a wait that never ends (cancellable)")
    func cancellableHang() async throws {
        let (stream, _) = AsyncStream<Int>.makeStream()
        for await _ in stream {}
    }

    @Test("a wait that ignores cancellation")
    func uncancellableHang() async {
        await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in }
    }
}
