import Metrics

/// Counters exported at /metrics.
enum AuthMetrics {
    /// Failed password, code or recovery-code attempts.
    static let failures = Counter(label: "avoca_auth_failures_total")
}
