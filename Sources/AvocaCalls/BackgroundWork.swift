import Synchronization

/// Follow-up work that must not hold up the answer to the bridge (insight extraction after stored
/// words), kept track of so it can be waited for: a test, or a shutdown, settles it before the
/// database goes away under it.
final class BackgroundWork: Sendable {
    private let running = Mutex<(next: Int, tasks: [Int: Task<Void, Never>])>((0, [:]))

    /// Starts `work` now.
    func start(_ work: @escaping @Sendable () async -> Void) {
        running.withLock { state in
            let key = state.next
            state.next &+= 1
            state.tasks[key] = Task { [weak self] in
                await work()
                self?.finished(key)
            }
        }
    }

    /// Waits until everything started so far (and what it started) has finished, or `limit` has
    /// passed (extraction over a huge transcript can take long; nobody waits for it forever).
    func settle(within limit: Duration) async {
        let deadline = ContinuousClock.now.advanced(by: limit)
        while running.withLock({ !$0.tasks.isEmpty }) && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    private func finished(_ key: Int) { _ = running.withLock { $0.tasks.removeValue(forKey: key) } }
}
