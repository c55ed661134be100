import ArgumentParser
import AvocaPersistence
import AvocaServer
import Foundation
import Synchronization

/// Progress of a long command: a bar redrawn in place on a terminal, a plain line every 10%
/// otherwise (so logs and CI output stay readable).
final class ProgressBar: Sendable {
    private struct State {
        var lastDraw = Date.distantPast
        var lastTenth = 0
        var drawn = false
    }

    private let label: String
    private let started = Date()
    private let isTerminal = isatty(1) == 1
    private let state = Mutex(State())

    /// Creates a bar; nothing is printed until the first update.
    init(label: String) { self.label = label }

    /// Reports `done` of `total` units.
    func update(done: Int, total: Int) {
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let elapsed = Int(Date().timeIntervalSince(started))
        state.withLock { state in
            if isTerminal {
                // Redrawing more than a few times a second only costs time.
                guard done == total || Date().timeIntervalSince(state.lastDraw) >= 0.2 else { return }
                state.lastDraw = Date()
                state.drawn = true
                let width = 30
                let filled = Int(fraction * Double(width))
                let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
                Self.emit("\r[\(bar)] \(Int(fraction * 100))% \(done)/\(total) \(elapsed)s")
            } else {
                let tenth = Int(fraction * 10)
                guard tenth > state.lastTenth else { return }
                state.lastTenth = tenth
                Self.emit("\(label): \(tenth * 10)% \(done)/\(total) \(elapsed)s\n")
            }
        }
    }

    /// Ends the redrawn line so later output starts on a fresh one.
    func finish() {
        state.withLock { state in
            if isTerminal && state.drawn { Self.emit("\n") }
        }
    }

    /// Writes straight to standard output. Unbuffered like the bar itself, so lines never
    /// appear out of order when stdout is a pipe (where `print` would buffer).
    static func emit(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
