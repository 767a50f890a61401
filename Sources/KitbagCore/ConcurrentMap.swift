import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The number of cores this process may use (at least 1).
public let processorCount: Int = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))

extension Array where Element: Sendable {
    /// `transform` applied to every element, spread over every core, results in the
    /// elements' order: kitbag's one concurrent map.
    ///
    /// Each core takes the next block of elements when it is done with one, so uneven work
    /// (a long chapter beside short ones) still keeps every core busy. `transform` runs on
    /// several threads at once: it is `@Sendable`, so it can only share what is safe to share
    /// (immutable values, or a `Mutex`).
    public func concurrentMap<Result: Sendable>(lanes: Int = processorCount, _ transform: @Sendable (Element) -> Result) -> [Result] {
        let n = count
        let lanes = Swift.min(Swift.max(lanes, 1), n)
        guard lanes > 1 else { return map(transform) }
        // Blocks small enough to balance the load, large enough to claim rarely.
        let block = Swift.max(1, n / (lanes * 8))
        let next = Atomic<Int>(0)
        let done = Mutex<[(start: Int, results: [Result])]>([])
        DispatchQueue.concurrentPerform(iterations: lanes) { _ in
            var mine: [(start: Int, results: [Result])] = []
            while true {
                let start = next.wrappingAdd(block, ordering: .relaxed).oldValue
                guard start < n else { break }
                let end = Swift.min(start + block, n)
                var results: [Result] = []
                results.reserveCapacity(end - start)
                for i in start..<end { results.append(transform(self[i])) }
                mine.append((start, results))
            }
            done.withLock { $0 += mine }
        }
        let blocks = done.withLock { $0 }.sorted { $0.start < $1.start }
        var out: [Result] = []
        out.reserveCapacity(n)
        for b in blocks { out += b.results }
        return out
    }

    /// `body` run for every element, spread over every core (the one concurrent map, with
    /// nothing to return).
    public func concurrentForEach(lanes: Int = processorCount, _ body: @Sendable (Element) -> Void) {
        _ = concurrentMap(lanes: lanes, body)
    }
}
