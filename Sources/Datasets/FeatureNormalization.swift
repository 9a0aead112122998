/// A per-feature affine map `x' = x · scale[f] + offset[f]`, fitted on the
/// training part only and applied unchanged to validation and test data, so
/// no statistics leak from held-out rows. Saved with a trained model so the
/// same front end can be reproduced upstream of the FPGA.
public struct FeatureNormalization: Sendable, Equatable, Hashable, Codable {
    public var scale: [Float]
    public var offset: [Float]

    public init(scale: [Float], offset: [Float]) {
        precondition(scale.count == offset.count)
        self.scale = scale
        self.offset = offset
    }

    /// Leaves every feature unchanged.
    public static func identity(columns: Int) -> FeatureNormalization {
        FeatureNormalization(scale: Array(repeating: 1, count: columns), offset: Array(repeating: 0, count: columns))
    }

    /// MNIST's convention: pixels to [0, 1] (÷255), then mean 0.1307, std 0.3081.
    public static func mnist(columns: Int) -> FeatureNormalization {
        let std = 0.3081, mean = 0.1307
        return FeatureNormalization(
            scale: Array(repeating: Float(1 / (255 * std)), count: columns),
            offset: Array(repeating: Float(-mean / std), count: columns))
    }

    /// Zero mean, unit variance per feature over `data`; constant features
    /// are only centred.
    public static func standard(fittedOn data: Dataset) -> FeatureNormalization {
        var sum = [Double](repeating: 0, count: data.columns)
        var sumOfSquares = [Double](repeating: 0, count: data.columns)
        data.features.withUnsafeBufferPointer { x in
            for r in 0..<data.rows {
                let base = r * data.columns
                for c in 0..<data.columns {
                    let v = Double(x[base + c])
                    sum[c] += v
                    sumOfSquares[c] += v * v
                }
            }
        }
        let n = Double(max(data.rows, 1))
        var scale: [Float] = [], offset: [Float] = []
        for c in 0..<data.columns {
            let mean = sum[c] / n
            let variance = max(sumOfSquares[c] / n - mean * mean, 0)
            let std = variance.squareRoot()
            let s = std > 1e-12 ? 1 / std : 1
            scale.append(Float(s))
            offset.append(Float(-mean * s))
        }
        return FeatureNormalization(scale: scale, offset: offset)
    }

    /// The raw values of normalised `data` (row-major): x = (y − offset) / scale,
    /// in double precision; a feature with a zero scale gives 0.
    public func rawFeatures(of data: Dataset) -> [Float] {
        precondition(data.columns == scale.count, "normalisation fitted for a different number of features")
        return data.features.enumerated().map { i, y in
            let c = i % data.columns
            return scale[c] == 0 ? 0 : Float((Double(y) - Double(offset[c])) / Double(scale[c]))
        }
    }

    /// `data` with every feature mapped.
    public func apply(to data: Dataset) -> Dataset {
        precondition(data.columns == scale.count, "normalisation fitted for a different number of features")
        var copy = data
        let columns = data.columns
        copy.features.withUnsafeMutableBufferPointer { x in
            scale.withUnsafeBufferPointer { s in
                offset.withUnsafeBufferPointer { o in
                    for r in 0..<data.rows {
                        let base = r * columns
                        for c in 0..<columns { x[base + c] = x[base + c] * s[c] + o[c] }
                    }
                }
            }
        }
        return copy
    }
}
