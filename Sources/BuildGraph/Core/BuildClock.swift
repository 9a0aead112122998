import Dispatch
import Synchronization

/// Where the engine reads time (step durations, in-memory mtimes), injected so
/// tests are deterministic.
public protocol BuildClock: Sendable {
    /// Nanoseconds since an arbitrary origin; only differences matter.
    func nanoseconds() -> UInt64
}

/// A clock that can also run work later: the watch loop's debounce and the
/// poll watcher's ticks wait on it, so their tests move time instead of sleeping.
public protocol SchedulingClock: BuildClock {
    /// Calls `work` once, `nanoseconds` from now (on any thread), unless the
    /// returned timer is cancelled first.
    func schedule(after nanoseconds: UInt64, _ work: @escaping @Sendable () -> Void) -> ScheduledWork
}

/// Work waiting on a `SchedulingClock`.
public final class ScheduledWork: Sendable {
    private let cancelled = Mutex(false)

    init() {}

    /// Keeps the work from running if it has not started yet; idempotent.
    public func cancel() { cancelled.withLock { $0 = true } }

    var isCancelled: Bool { cancelled.withLock { $0 } }
}

/// The real clock.
public struct SystemClock: SchedulingClock {
    public init() {}
    public func nanoseconds() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    public func schedule(after nanoseconds: UInt64, _ work: @escaping @Sendable () -> Void) -> ScheduledWork {
        let handle = ScheduledWork()
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(clamping: nanoseconds))) {
            if !handle.isCancelled { work() }
        }
        return handle
    }
}

/// A clock that moves only when told to, for tests. Scheduled work runs on
/// the thread that calls `advance`, in deadline order, before it returns.
public final class FakeClock: SchedulingClock {
    private struct Timer {
        var deadline: UInt64
        var order: Int
        var work: @Sendable () -> Void
        var handle: ScheduledWork
    }

    private let state: Mutex<(now: UInt64, timers: [Timer], scheduled: Int)>

    public init(start: UInt64 = 1_000_000_000) { state = Mutex((start, [], 0)) }

    public func nanoseconds() -> UInt64 { state.withLock { $0.now } }

    /// Moves time forward, running every piece of work that falls due on the
    /// way (work it schedules runs too, if it falls due before the end).
    public func advance(nanoseconds: UInt64 = 1_000_000) {
        let target = state.withLock { $0.now + nanoseconds }
        while let timer = nextDue(by: target) {
            if !timer.handle.isCancelled { timer.work() }
        }
        state.withLock { $0.now = target }
    }

    /// Moves time forward by whole milliseconds.
    public func advance(milliseconds: Int) { advance(nanoseconds: UInt64(milliseconds) * 1_000_000) }

    /// How many pieces of scheduled work are waiting (cancelled ones are not counted).
    public var pendingCount: Int {
        state.withLock { $0.timers.filter { !$0.handle.isCancelled }.count }
    }

    public func schedule(after nanoseconds: UInt64, _ work: @escaping @Sendable () -> Void) -> ScheduledWork {
        let handle = ScheduledWork()
        state.withLock { state in
            state.timers.append(Timer(deadline: state.now + nanoseconds, order: state.scheduled, work: work, handle: handle))
            state.scheduled += 1
        }
        return handle
    }

    /// Removes the earliest timer due by `target` and sets the time to its deadline.
    private func nextDue(by target: UInt64) -> Timer? {
        state.withLock { state in
            guard
                let index = state.timers.indices
                    .filter({ state.timers[$0].deadline <= target })
                    .min(by: { (state.timers[$0].deadline, state.timers[$0].order) < (state.timers[$1].deadline, state.timers[$1].order) })
            else { return nil }
            let timer = state.timers.remove(at: index)
            state.now = max(state.now, timer.deadline)
            return timer
        }
    }
}
