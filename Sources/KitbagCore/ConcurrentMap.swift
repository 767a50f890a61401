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
    /// (a long chapter beside short ones) still keeps every core busy; blocks shrink as the
    /// elements run out, so that the cores also finish together. `transform` runs on
    /// several threads at once: it is `@Sendable`, so it can only share what is safe to share
    /// (immutable values, or a `Mutex`).
    public func concurrentMap<Result: Sendable>(lanes: Int = processorCount, _ transform: @Sendable (Element) -> Result) -> [Result] {
        let n = count
        let lanes = Swift.min(Swift.max(lanes, 1), n)
        guard lanes > 1 else { return map(transform) }
        // Guided self-scheduling: a block is a share of what is left (large at first, to claim
        // rarely; one element at the end, so that no core is left with a long block alone).
        let next = Atomic<Int>(0)
        @Sendable func claim() -> Range<Int>? {
            var start = next.load(ordering: .relaxed)
            while start < n {
                let end = start + Swift.max(1, (n - start) / (lanes * 2))
                let (claimed, seen) = next.compareExchange(expected: start, desired: end, ordering: .relaxed)
                if claimed { return start..<end }
                start = seen
            }
            return nil
        }
        let done = Mutex<[(start: Int, results: [Result])]>([])
        DispatchQueue.concurrentPerform(iterations: lanes) { _ in
            var mine: [(start: Int, results: [Result])] = []
            while let range = claim() {
                let start = range.lowerBound, end = range.upperBound
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
