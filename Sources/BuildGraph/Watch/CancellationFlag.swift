import Synchronization

/// A thread-safe "please stop" signal for a running build.
///
/// `WatchLoop` also cancels the build's `Task`; this flag is for work that
/// runs outside structured concurrency (a training loop on its own thread
/// polling `shouldStop`) so it can stop at the next checkpoint.
public final class CancellationFlag: Sendable {
    private let state = Mutex(false)

    public init() {}

    /// True once `cancel()` was called.
    public var isCancelled: Bool { state.withLock { $0 } }

    /// Asks the build to stop; idempotent.
    public func cancel() { state.withLock { $0 = true } }
}
