import Dispatch
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
    /// (docs/training.md, "Threads"). Which worker runs an item never changes
    /// what the item computes: items write disjoint data, and any reduction
    /// across items is done by the caller in item order.
    static func forEach(_ count: Int, threads: Int, _ body: (Int, Int) -> Void) {
        let workers = min(max(threads, 1), count)
        if workers <= 1 {
            for i in 0..<count { body(i, 0) }
            return
        }
        let next = Atomic<Int>(0)
        withoutActuallyEscaping(body) { body in
            let box = UnsafeSendable(body)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                while true {
                    let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard i < count else { return }
                    box.value(i, worker)
                }
            }
        }
    }
}

/// Wraps a value that is safe to share because its users write disjoint data.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
