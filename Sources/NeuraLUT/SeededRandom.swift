/// A small, fast, platform-independent generator (SplitMix64), so that a seed
/// gives the same connectivity and initial weights on every machine.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// A generator for an independent stream, derived from a seed and labels
    /// (e.g. layer and partition), so streams do not depend on visiting order.
    public init(seed: UInt64, stream: UInt64...) {
        var mixed = seed
        for label in stream {
            var g = SeededRandom(seed: mixed ^ (label &* 0x9E37_79B9_7F4A_7C15))
            mixed = g.next()
        }
        state = mixed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 24 bits of precision.
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Shuffles `values` in place (Fisher–Yates from the end, one `nextInt` per position), the
    /// same order on every platform, unlike the standard library's unspecified shuffle.
    public mutating func shuffle<T>(_ values: inout [T]) {
        for i in stride(from: values.count - 1, to: 0, by: -1) { values.swapAt(i, nextInt(below: i + 1)) }
    }

    /// Uniform integer in `0..<bound`, without `Int.random`'s platform-dependent algorithm.
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0)
        return Int((next() >> 11) % UInt64(bound))
    }
}
