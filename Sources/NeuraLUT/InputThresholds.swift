import Datasets
import DeterministicJSON
import Foundation

/// The input front end (`InputEncoder`) written out so users can reproduce
/// the raw-feature → input-code quantization upstream of the FPGA, either
/// with the affine form (`scale`, `offset`) or with comparators against the
/// per-feature thresholds.
public struct InputThresholds: Codable, Equatable, Sendable {
    /// One feature's quantizer.
    public struct Feature: Codable, Equatable, Sendable {
        public var index: Int
        public var name: String
        public var scale: Float
        public var offset: Float
        /// `increasing` (scale > 0): code ≥ c iff x ≥ thresholds[c-1];
        /// `decreasing` (scale < 0): code ≥ c iff x ≤ thresholds[c-1];
        /// `constant` (scale == 0): always `constantCode`.
        public var direction: String
        /// Raw-value boundaries between codes c-1 and c, for c = 1 … 2^bits-1.
        public var thresholds: [Double]
        public var constantCode: Int?
    }

    public var format = "lutbuild-input-thresholds"
    public var version = 1
    public var bits: Int
    /// The exact rule, in words, that the thresholds summarise.
    public var rule: String
    public var features: [Feature]

    /// Thresholds of `encoder`; `featureNames` label the features (indices are used when absent).
    public init(encoder: InputEncoder, featureNames: [String] = []) {
        bits = encoder.bits
        rule =
            "code = clamp(round_half_to_even(x * scale + offset), -2^(bits-1), 2^(bits-1)-1) + 2^(bits-1), in 32-bit float;"
            + " codes are offset binary; a raw value exactly on a threshold rounds half to even"
        let half = 1 << (encoder.bits - 1)
        let codes = 1 << encoder.bits
        features = encoder.scale.indices.map { f in
            let scale = encoder.scale[f], offset = encoder.offset[f]
            let name = f < featureNames.count ? featureNames[f] : "f\(f)"
            if scale == 0 {
                let value = min(max(Int(offset.rounded(.toNearestOrEven)), -half), half - 1)
                return Feature(
                    index: f, name: name, scale: scale, offset: offset, direction: "constant",
                    thresholds: [], constantCode: value + half)
            }
            let thresholds = (1..<codes).map { c in (Double(c - half) - 0.5 - Double(offset)) / Double(scale) }
            return Feature(
                index: f, name: name, scale: scale, offset: offset,
                direction: scale > 0 ? "increasing" : "decreasing",
                thresholds: thresholds, constantCode: nil)
        }
    }

    /// The thresholds moved onto `grid`'s multiples, for values floored to the grid before the
    /// affine rule (`[dataset] value_step`): the moved thresholds give a raw value the code its
    /// floored value gets from the rule, so a comparator bank needs no flooring.
    public func onGrid(_ grid: ValueGrid) -> InputThresholds {
        var moved = self
        moved.rule =
            "x floored to a multiple of \(grid.stepText) first, then " + rule
            + "; the thresholds, multiples of \(grid.stepText) (less one ulp when decreasing), give x as it is the code of its floor"
        for f in moved.features.indices {
            switch moved.features[f].direction {
            case "increasing": moved.features[f].thresholds = moved.features[f].thresholds.map(grid.increasingThreshold)
            case "decreasing": moved.features[f].thresholds = moved.features[f].thresholds.map(grid.decreasingThreshold)
            default: break
            }
        }
        return moved
    }

    /// The code of raw value `x` from the thresholds alone (what an upstream
    /// comparator bank computes).
    public func code(_ x: Double, feature: Int) -> Int {
        let f = features[feature]
        switch f.direction {
        case "increasing": return f.thresholds.filter { x >= $0 }.count
        case "decreasing": return f.thresholds.filter { x <= $0 }.count
        default: return f.constantCode ?? 0
        }
    }

    /// Deterministic JSON (sorted keys, pretty-printed, trailing newline).
    public func json() throws -> Data {
        try DeterministicJSON.file(self)
    }

    /// One line per feature: `index,name,scale,offset,direction,t1,…`
    /// (names quoted and neutralised by `CSVWriter`: they come from the user's data).
    public func csv() -> String {
        let count = (1 << bits) - 1
        let header = ["index", "name", "scale", "offset", "direction"] + (1...max(count, 1)).map { "t\($0)" }
        let rows = features.map { f in
            let values =
                f.direction == "constant"
                ? Array(repeating: "", count: max(count, 1))
                : f.thresholds.map { "\($0)" }
            return ["\(f.index)", f.name, "\(f.scale)", "\(f.offset)", f.direction] + values
        }
        return CSVWriter.table(header: header, rows: rows)
    }
}
