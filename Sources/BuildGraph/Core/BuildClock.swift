import Foundation
import Synchronization

/// Where the engine reads time (step durations, in-memory mtimes), injected so
/// tests are deterministic.
public protocol BuildClock: Sendable {
    /// Nanoseconds since an arbitrary origin; only differences matter.
    func nanoseconds() -> UInt64
}

/// The real clock.
public struct SystemClock: BuildClock {
    public init() {}
    public func nanoseconds() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
}

/// A clock that moves only when told to, for tests.
public final class FakeClock: BuildClock {
    private let now: Mutex<UInt64>

    public init(start: UInt64 = 1_000_000_000) { now = Mutex(start) }

    public func nanoseconds() -> UInt64 { now.withLock { $0 } }

    public func advance(nanoseconds: UInt64 = 1_000_000) { now.withLock { $0 += nanoseconds } }
}
