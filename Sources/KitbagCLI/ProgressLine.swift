#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import KitbagCore

/// The progress line of a long build: "kitbag: chapters 12/40" on standard error, rewritten
/// in place with a carriage return and cleared at the end. It appears only on a terminal and
/// only once the build has run for over a second, so piped or logged output never holds it.
public final class ProgressLine: Sendable {
    /// Whether to show progress now: on a terminal, after more than a second.
    public static func shows(isTerminal: Bool, elapsed: Double) -> Bool {
        isTerminal && elapsed > 1
    }

    private let sink: TextSink
    private let isTerminal: Bool
    private let clock: @Sendable () -> Double
    private let start: Double
    /// Whether a line is on the screen; held while writing, so lines never interleave.
    private let shown = Mutex(false)

    /// `clock` gives seconds on a monotonic scale (tests pass their own).
    public init(sink: TextSink, isTerminal: Bool, clock: @escaping @Sendable () -> Double = ProgressLine.monotonicSeconds) {
        self.sink = sink
        self.isTerminal = isTerminal
        self.clock = clock
        start = clock()
    }

    /// Reports `done` of `total` chapters; may be called from any thread.
    public func update(done: Int, total: Int) {
        guard isTerminal else { return }
        shown.withLock { shown in
            guard Self.shows(isTerminal: isTerminal, elapsed: clock() - start) else { return }
            sink.write("\rkitbag: chapters \(done)/\(total)")
            shown = true
        }
    }

    /// Clears the line, if one was shown, before anything else is printed.
    public func finish() {
        shown.withLock { shown in
            if shown { sink.write("\r\u{1B}[K") }
            shown = false
        }
    }

    public static func monotonicSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
