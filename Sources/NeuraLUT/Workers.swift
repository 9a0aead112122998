import Dispatch

/// Deterministic data parallelism: item `i` always runs the same code on its
/// own data whatever the thread count, so results never depend on scheduling.
enum Workers {
    /// Calls `body(item, worker)` for every item in `0..<count`, striding the
    /// items over `threads` workers (`worker < threads`).
    static func forEach(_ count: Int, threads: Int, _ body: (Int, Int) -> Void) {
        let workers = min(max(threads, 1), count)
        if workers <= 1 {
            for i in 0..<count { body(i, 0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = UnsafeSendable(body)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var i = worker
                while i < count {
                    box.value(i, worker)
                    i += workers
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
