import Dispatch
import KitbagCore
import KitbagTestSupport
import Testing

@Suite struct MutexTests {
    @Test func manyThreadsIncrementingGiveTheExactTotal() {
        let counter = Mutex(0)
        let threads = 16, increments = 20_000
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            for _ in 0..<increments { counter.withLock { $0 += 1 } }
        }
        #expect(counter.withLock { $0 } == threads * increments)
    }

    @Test func aDictionaryFilledFromManyThreadsLosesNothing() {
        let table = Mutex<[Int: String]>([:])
        DispatchQueue.concurrentPerform(iterations: 1_000) { i in
            table.withLock { $0[i] = String(i) }
        }
        let all = table.withLock { $0 }
        #expect(all.count == 1_000)
        #expect(all.allSatisfy { $0.value == String($0.key) })
    }

    struct Refused: Error {}

    @Test func anErrorThrownInsideLeavesTheValueAsBodyLeftItAndTheLockFree() {
        let value = Mutex([1, 2])
        #expect(throws: Refused.self) {
            try value.withLock { (v: inout [Int]) throws(Refused) in
                v.append(3)
                throw Refused()
            }
        }
        #expect(value.withLock { $0 } == [1, 2, 3])
    }
}

@Suite struct ConcurrentMapTests {
    /// Work that is uneven on purpose, so blocks finish out of order.
    static func work(_ s: String) -> String {
        var h = FingerprintHasher()
        for _ in 0..<(s.utf8.count % 7) * 50 { h.add(s) }
        return s + ":" + String(h.finish().low, radix: 16)
    }

    @Test func resultsEqualASequentialMapForRandomInputs() {
        var rng = SeededGenerator(seed: 9)
        for _ in 0..<40 {
            let count = rng.pick([0, 1, 2, 3, 7, 64, 65, 500, Int.random(in: 0...3_000, using: &rng)])
            let items = (0..<count).map { _ in String(decoding: randomBytes(&rng, maxCount: 30), as: UTF8.self) }
            let lanes = rng.pick([1, 2, 3, 8, processorCount])
            #expect(items.concurrentMap(lanes: lanes, Self.work) == items.map(Self.work))
        }
    }

    @Test func noneOneAndManyItems() {
        #expect([Int]().concurrentMap { $0 * 2 } == [])
        #expect([21].concurrentMap { $0 * 2 } == [42])
        let many = Array(0..<10_001)
        #expect(many.concurrentMap { $0 * 2 } == many.map { $0 * 2 })
        // Optional results stay in their places (nil included).
        #expect(many.concurrentMap { $0 % 3 == 0 ? nil : $0 } == many.map { $0 % 3 == 0 ? nil : $0 })
    }

    @Test func everyItemIsTransformedExactlyOnce() {
        let calls = Mutex<[Int: Int]>([:])
        _ = Array(0..<5_000).concurrentMap(lanes: 8) { i in calls.withLock { $0[i, default: 0] += 1 } }
        #expect(calls.withLock { $0 } == Dictionary(uniqueKeysWithValues: (0..<5_000).map { ($0, 1) }))
    }

    @Test func itRunsOnSeveralCoresAtOnce() {
        // Two items that each wait for the other to start: only a map that runs them at the
        // same time sees both (each gives up after 10 seconds, so a sequential map fails).
        let started = Mutex(0)
        let met = [0, 1].concurrentMap(lanes: 2) { _ -> Bool in
            started.withLock { $0 += 1 }
            let deadline = DispatchTime.now().uptimeNanoseconds + 10_000_000_000
            while DispatchTime.now().uptimeNanoseconds < deadline {
                if started.withLock({ $0 }) == 2 { return true }
            }
            return false
        }
        #expect(met == [true, true])
        #expect(processorCount >= 1)
    }
}
