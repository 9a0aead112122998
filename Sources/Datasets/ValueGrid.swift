import Diagnostics

/// `[dataset] value_step`: raw feature values floored to multiples of a step
/// before anything else reads them, and input thresholds moved onto the same
/// multiples. Both halves are one rule: a comparator whose threshold is a
/// multiple of the step gives a raw value the code its floored value gets,
/// so hardware fed raw values needs no flooring, and a comparison with a
/// multiple of 2^k reads only a value's bits above k (docs/hardware.md,
/// "Input encoder").
public struct ValueGrid: Sendable, Equatable, Hashable, Codable {
    /// The distance between grid values (positive); the grid holds 0.
    public let step: Double

    public init(step: Double) {
        precondition(step > 0 && step.isFinite, "a value grid's step must be positive")
        self.step = step
    }

    /// The step as people write it: `32`, not `32.0`.
    public var stepText: String { plainNumber(step) }

    /// The largest multiple of the step not above `x`.
    public func floor(_ x: Double) -> Double { (x / step).rounded(.down) * step }

    /// `data` with every feature value floored to the grid.
    public func apply(to data: Dataset) -> Dataset {
        var copy = data
        for i in copy.features.indices { copy.features[i] = Float(floor(Double(copy.features[i]))) }
        return copy
    }

    /// The threshold `t` of "code passes iff x ≥ t", moved to the smallest
    /// multiple of the step at or above it: on floored values both pass the
    /// same, and on raw values the moved one passes exactly the values whose
    /// floor passes.
    public func increasingThreshold(_ t: Double) -> Double { (t / step).rounded(.up) * step }

    /// The threshold `t` of "code passes iff x ≤ t", moved to just below the
    /// multiple after the largest floored value that passes: a raw value passes
    /// iff its floor does.
    public func decreasingThreshold(_ t: Double) -> Double { ((t / step).rounded(.down) * step + step).nextDown }
}
