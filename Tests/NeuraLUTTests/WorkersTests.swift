import Dispatch
import Foundation
import Synchronization
import Testing

@testable import NeuraLUT

/// `Workers.forEach` on the spinning pool: every item once, worker indices
/// that never run two items at the same time, and loops that start while the
/// pool is busy (nested, or from a second thread) still complete.
@Suite struct WorkersTests {
    /// Runs `loops` loops and checks each item ran once, on a worker below `threads`
    /// that no other thread was using at that moment.
    private func checkLoops(_ loops: Int, items: Int, threads: Int) {
        let runs = Mutex([Int](repeating: 0, count: items))
        let inUse = Mutex([Bool](repeating: false, count: threads))
        let clashes = Atomic<Int>(0), badWorkers = Atomic<Int>(0)
        for _ in 0..<loops {
            Workers.forEach(items, threads: threads) { i, worker in
                guard worker >= 0, worker < threads else {
                    badWorkers.wrappingAdd(1, ordering: .relaxed)
                    return
                }
                let clash = inUse.withLock { used in
                    defer { used[worker] = true }
                    return used[worker]
                }
                if clash { clashes.wrappingAdd(1, ordering: .relaxed) }
                runs.withLock { $0[i] += 1 }
                inUse.withLock { $0[worker] = false }
            }
        }
        #expect(badWorkers.load(ordering: .relaxed) == 0)
        #expect(clashes.load(ordering: .relaxed) == 0)
        #expect(runs.withLock { $0 } == [Int](repeating: loops, count: items))
    }

    @Test func everyItemRunsOnceInManyShortLoops() {
        checkLoops(20_000, items: 5, threads: 2)
        checkLoops(2_000, items: 37, threads: 3)
        // Fewer seats than helpers started: the extra helper must stay out.
        checkLoops(2_000, items: 37, threads: 2)
        checkLoops(100, items: 1, threads: 4)
        // Enough items to be claimed in runs (`Workers.grain`), the last run cut short.
        checkLoops(200, items: Workers.manyItems * 4 + 5, threads: 2)
        checkLoops(200, items: Workers.manyItems + 1, threads: 3)
    }

    /// With two workers, the first claims from the front and the second from the back, so
    /// each takes one contiguous end of the items (a partition tends to stay on one core
    /// from loop to loop), whoever gets how many; in runs too, on the pool and on Dispatch.
    @Test func twoWorkersTakeTheTwoEndsOfTheItems() {
        for (items, nested) in [(64, false), (Workers.manyItems * 2 + 7, false), (64, true)] {
            for _ in 0..<200 {
                let owner = Mutex([Int](repeating: -1, count: items))
                let loop = {
                    Workers.forEach(items, threads: 2) { i, worker in owner.withLock { $0[i] = worker } }
                }
                // A loop started inside another finds the pool busy and runs on Dispatch.
                if nested { Workers.forEach(2, threads: 2) { i, _ in if i == 0 { loop() } } } else { loop() }
                let workers = owner.withLock { $0 }
                let split = workers.firstIndex { $0 != 0 } ?? items
                #expect(workers[..<split].allSatisfy { $0 == 0 }, "worker 0 takes a prefix")
                #expect(workers[split...].allSatisfy { $0 == 1 }, "worker 1 takes the rest, from the back")
            }
        }
    }

    @Test func loopsAfterAnIdlePauseStillRun() {
        // Longer than the helpers' spin, so they are asleep and must be woken.
        for _ in 0..<5 {
            checkLoops(3, items: 64, threads: 2)
            Thread.sleep(forTimeInterval: Double(WorkerPool.spinNanoseconds) / 1e9 * 4)
        }
    }

    @Test func aNestedLoopRunsWhileThePoolIsBusy() {
        let sums = Mutex([Int](repeating: 0, count: 8))
        Workers.forEach(8, threads: 2) { i, _ in
            Workers.forEach(16, threads: 2) { j, _ in sums.withLock { $0[i] += j } }
        }
        #expect(sums.withLock { $0 } == [Int](repeating: 120, count: 8))
    }

    @Test func loopsFromTwoThreadsAtOnceBothComplete() {
        let total = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            for _ in 0..<2_000 {
                Workers.forEach(10, threads: 2) { _, _ in total.wrappingAdd(1, ordering: .relaxed) }
            }
        }
        #expect(total.load(ordering: .relaxed) == 2 * 2_000 * 10)
    }
}
