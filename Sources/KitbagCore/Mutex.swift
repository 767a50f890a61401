import Synchronization

/// A value that several threads share, reached only through `withLock`: kitbag's one lock.
///
/// A thin class over the standard library's `Synchronization.Mutex` (a futex on Linux).
/// That mutex cannot be copied, so it cannot be captured by a closure that escapes, stored
/// in a copyable struct or handed to other threads by itself; this class gives it one
/// shared, heap-allocated home. Because the standard mutex is `Sendable` for any value it
/// guards, this class is `Sendable` as checked by the compiler (no `@unchecked`).
public final class Mutex<Value>: Sendable {
    private let guarded: Synchronization.Mutex<Value>

    public init(_ value: sending Value) {
        guarded = Synchronization.Mutex(value)
    }

    /// Runs `body` with the value, no other thread holding it meanwhile. Keep `body` short:
    /// never wait for another thread or run user code inside it.
    public func withLock<Result, E: Error>(_ body: (inout sending Value) throws(E) -> sending Result) throws(E) -> sending Result {
        try guarded.withLock(body)
    }
}
