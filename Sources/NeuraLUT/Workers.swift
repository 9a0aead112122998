import Dispatch
import Foundation
import Synchronization

/// Deterministic data parallelism: item `i` always runs the same code on its
/// own data whatever the thread count, so results never depend on scheduling.
enum Workers {
    /// Calls `body(item, worker)` for every item in `0..<count` on up to
    /// `threads` workers (`worker < threads` names the worker's scratch).
    ///
    /// Workers claim the next item from a shared counter instead of a fixed
    /// share: when other processes take a core away from one worker, the
    /// workers still running take over its items, so a layer waits for at
    /// most one item of a descheduled thread rather than half the layer
    /// (docs/training.md, "Threads"). Worker 0 claims from the front and the
    /// others from the back, so with two workers each keeps one end of the
    /// items: a partition tends to run on the same core in every loop of every
    /// step, and its buffers stay in that core's caches instead of moving
    /// between the cores. Which worker runs an item never changes
    /// what the item computes: items write disjoint data, and any reduction
    /// across items is done by the caller in item order.
    ///
    /// The loop runs on `WorkerPool.shared`, whose helpers stay awake for a
    /// moment between loops; a loop started while the pool is busy (a nested
    /// loop, or a second caller thread) runs on Dispatch's threads instead.
    static func forEach(_ count: Int, threads: Int, _ body: (Int, Int) -> Void) {
        let workers = min(max(threads, 1), count)
        if workers <= 1 {
            for i in 0..<count { body(i, 0) }
            return
        }
        if WorkerPool.shared.run(count, workers: workers, body) { return }
        let next = Atomic<UInt64>(ends(count: count))
        let grain = self.grain(count: count, workers: workers)
        withoutActuallyEscaping(body) { body in
            let box = UnsafeSendable(body)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                claimItems(from: next, grain: grain, worker: worker, box.value)
            }
        }
    }

    /// The unclaimed items `front..<back` of a new loop of `count` items, packed in one
    /// word (front in the low 32 bits) so that both ends are claimed by one compare-and-swap.
    static func ends(count: Int) -> UInt64 {
        precondition(count < 1 << 32, "a loop has fewer than 2³² items")
        return UInt64(count) << 32
    }

    /// Runs `body(i, worker)` for the items this worker claims from `next` (the unclaimed
    /// range, `ends`), `grain` at a time, until none are left: the one claiming rule of the
    /// pool and of Dispatch. Worker 0 claims from the front, the others from the back.
    @inline(__always)
    static func claimItems(
        from next: borrowing Atomic<UInt64>, grain: Int, worker: Int, _ body: (Int, Int) -> Void
    ) {
        let g = UInt64(grain)
        var word = next.load(ordering: .relaxed)
        while true {
            let front = word & 0xFFFF_FFFF, back = word >> 32
            guard front < back else { return }
            let take = min(g, back - front)
            let desired = worker == 0 ? word + take : word - (take << 32)
            let (exchanged, original) = next.compareExchange(expected: word, desired: desired, ordering: .relaxed)
            if !exchanged {
                word = original
                continue
            }
            let first = Int(worker == 0 ? front : back - take)
            for i in first..<first + Int(take) { body(i, worker) }
            word = next.load(ordering: .relaxed)
        }
    }

    /// Items a worker claims at a time: one, unless a loop has so many items
    /// that they must be tiny (mnist-lean's first layers: 384–1,152 partitions
    /// of a few microseconds each). Then claiming one at a time costs an atomic
    /// operation per item on a line both cores write, and neighbouring
    /// items, whose per-partition statistics share cache lines, land on
    /// different cores; runs of `count / (32 · workers)` keep them together
    /// while a descheduled worker still holds only a 32nd of its share.
    static func grain(count: Int, workers: Int) -> Int {
        count >= manyItems ? count / (32 * workers) : 1
    }

    /// Loops with at least this many items claim them in runs (`grain`).
    static let manyItems = 256
}

/// Helper threads for `Workers.forEach` that spin for a short while after a
/// loop before they sleep.
///
/// A training step is a chain of short parallel loops (about ten a step, a
/// few hundred microseconds each for the JSC models), each ended by a join.
/// `DispatchQueue.concurrentPerform` wakes its threads from sleep for every
/// loop, and on small models the wake-ups cost a good part of the second
/// core (docs/training.md, "Threads"). Helpers that are still spinning when
/// the next loop is published join it within a microsecond. They spin for at
/// most `spinNanoseconds`, so an idle trainer (or one between epochs) gives
/// its cores back at once, and under load a helper the scheduler has not run
/// simply finds no items left: the caller works too, and waits only for
/// helpers that took a seat.
///
/// A loop is published by one word, `seats`: the loop's number (high 32 bits)
/// and the helper seats taken (low 32 bits). A helper takes a seat with a
/// compare-and-swap on the loop number it saw, so a helper that woke late can
/// never join a later loop by mistake; the caller closes the seats once the
/// items are claimed and waits for the seated helpers to leave, so the
/// loop's body outlives every helper that reads it.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    /// How long a helper spins for the next loop before it sleeps: longer than
    /// the serial work between a training step's loops, short enough that an
    /// idle pool costs nothing measurable.
    static let spinNanoseconds: UInt64 = 50_000

    private static let closed: UInt64 = 0xFFFF_FFFF

    /// The current loop's body and sizes, valid while its seats are open or taken.
    private struct Loop {
        let body: (Int, Int) -> Void
        let grain: Int
    }

    private let busy = Atomic<Bool>(false)
    private let seats = Atomic<UInt64>(closed)
    /// Helper seats of the current loop; written only while the seats are closed.
    private let capacity = Atomic<UInt64>(0)
    private let next = Atomic<UInt64>(0)
    private let left = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private let wake = NSCondition()
    /// Written only by the thread that holds `busy`, before it opens the seats.
    private var loop: Loop?
    private var loopNumber: UInt64 = 0
    private var started = 0

    /// Runs the loop on the pool and returns true, or returns false at once if
    /// another loop holds the pool.
    func run(_ count: Int, workers: Int, _ body: (Int, Int) -> Void) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { busy.store(false, ordering: .releasing) }
        let helpers = workers - 1
        let grain = Workers.grain(count: count, workers: workers)
        while started < helpers {
            started += 1
            let thread = Thread { [self] in helperLoop() }
            thread.name = "lutbuild-worker-\(started)"
            thread.start()
        }
        withoutActuallyEscaping(body) { body in
            loop = Loop(body: body, grain: grain)
            capacity.store(UInt64(helpers), ordering: .relaxed)
            next.store(Workers.ends(count: count), ordering: .relaxed)
            left.store(0, ordering: .relaxed)
            loopNumber = (loopNumber + 1) & Self.closed
            seats.store(loopNumber << 32, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                wake.lock()
                wake.broadcast()
                wake.unlock()
            }
            Workers.claimItems(from: next, grain: grain, worker: 0, body)
            let taken = seats.exchange(loopNumber << 32 | Self.closed, ordering: .acquiringAndReleasing) & Self.closed
            var spins = 0
            while left.load(ordering: .acquiring) < Int(taken) {
                spins += 1
                if spins % 64 == 0 { sched_yield() }
            }
            loop = nil
        }
        return true
    }

    private func helperLoop() {
        var seen: UInt64 = 0
        while true {
            let number = waitForLoop(after: seen)
            seen = number
            guard let seat = takeSeat(in: number) else { continue }
            work(seat: seat)
            left.wrappingAdd(1, ordering: .releasing)
        }
    }

    /// Claims items of the current loop as worker `seat`. The seat keeps the loop (and
    /// `loop`) alive; every reference to its body is released when this returns, before
    /// the helper leaves, as `withoutActuallyEscaping` in `run` requires.
    @inline(never)
    private func work(seat: Int) {
        guard let loop else { return }
        Workers.claimItems(from: next, grain: loop.grain, worker: seat, loop.body)
    }

    /// The number of the next loop after `seen`: spins for `spinNanoseconds`, then sleeps.
    private func waitForLoop(after seen: UInt64) -> UInt64 {
        let start = DispatchTime.now().uptimeNanoseconds
        var spins = 0
        while true {
            let number = seats.load(ordering: .relaxed) >> 32
            if number != seen { return number }
            spins += 1
            if spins % 256 == 0, DispatchTime.now().uptimeNanoseconds - start > Self.spinNanoseconds { break }
        }
        wake.lock()
        defer { wake.unlock() }
        sleepers.wrappingAdd(1, ordering: .sequentiallyConsistent)
        while seats.load(ordering: .sequentiallyConsistent) >> 32 == seen { wake.wait() }
        sleepers.wrappingSubtract(1, ordering: .sequentiallyConsistent)
        return seats.load(ordering: .relaxed) >> 32
    }

    /// A worker index for loop `number`, or nil when that loop is closed, full or over.
    private func takeSeat(in number: UInt64) -> Int? {
        var word = seats.load(ordering: .acquiring)
        while true {
            let taken = word & Self.closed
            guard word >> 32 == number, taken < capacity.load(ordering: .relaxed) else { return nil }
            let (exchanged, original) = seats.compareExchange(
                expected: word, desired: word + 1, ordering: .acquiringAndReleasing)
            if exchanged { return Int(taken) + 1 }
            word = original
        }
    }
}

/// Wraps a value that is safe to share because its users write disjoint data.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
