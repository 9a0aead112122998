import Foundation

/// All trainable values of a network in one flat vector (with gradients and
/// AdamW moments alongside), split into segments: one per partition, then
/// one global segment holding the log output scales, the log input scale and
/// the input front end's γ and bias.
final class ParameterStore: @unchecked Sendable {
    let spec: NetworkSpec
    let layouts: [PartitionLayout]
    /// `partitionOffset[l][p]`: start of partition (l, p)'s segment.
    let partitionOffset: [[Int]]
    let globalOffset: Int
    let count: Int
    let values: FloatBuffer
    let gradients: FloatBuffer
    let firstMoment: FloatBuffer
    let secondMoment: FloatBuffer
    /// Running batch-norm statistics: mean, variance per partition.
    var running: [[BatchNorm.Statistics]]
    var inputRunning: [BatchNorm.Statistics]
    /// Current quantizer scales (exp of the log parameters, or the frozen values).
    var outputScales: [Float]
    var inputScale: Float

    init(spec: NetworkSpec) {
        self.spec = spec
        let layouts = spec.layers.map { PartitionLayout(fanIn: $0.fanIn, shape: $0.shape) }
        self.layouts = layouts
        var offset = 0
        var offsets: [[Int]] = []
        for (l, layer) in spec.layers.enumerated() {
            var row: [Int] = []
            for _ in 0..<layer.partitions {
                row.append(offset)
                offset += layouts[l].parameterCount
            }
            offsets.append(row)
        }
        partitionOffset = offsets
        globalOffset = offset
        count = offset + spec.layers.count + 1 + 2 * spec.inputFeatures
        values = FloatBuffer(count: count)
        gradients = FloatBuffer(count: count)
        firstMoment = FloatBuffer(count: count)
        secondMoment = FloatBuffer(count: count)
        running = spec.layers.map { .init(repeating: .init(mean: 0, variance: 1), count: $0.partitions) }
        inputRunning = .init(repeating: .init(mean: 0, variance: 1), count: spec.inputFeatures)
        outputScales = .init(repeating: 1, count: spec.layers.count)
        inputScale = 1
    }

    var logScaleOffset: Int { globalOffset }
    var inputLogScaleOffset: Int { globalOffset + spec.layers.count }
    var inputGammaOffset: Int { inputLogScaleOffset + 1 }
    var inputBiasOffset: Int { inputGammaOffset + spec.inputFeatures }
    var globalCount: Int { count - globalOffset }

    func load(_ net: TrainedNetwork) {
        for l in spec.layers.indices {
            for p in 0..<spec.layers[l].partitions { load(partition: net.partitions[l][p], layer: l, index: p) }
        }
        load(quantizers: net.quantizers)
    }

    /// Scales are kept exactly as given (their log parameters only matter when they train).
    func load(quantizers q: QuantizerParameters) {
        outputScales = q.outputScales
        let fe = q.inputFrontEnd
        inputScale = fe.scale
        for l in spec.layers.indices { values[logScaleOffset + l] = log(outputScales[l]) }
        values[inputLogScaleOffset] = log(fe.scale)
        values.copy(fe.gamma, to: inputGammaOffset)
        values.copy(fe.bias, to: inputBiasOffset)
        inputRunning = zip(fe.mean, fe.variance).map { .init(mean: $0, variance: $1) }
    }

    /// Takes over `net`'s batch-norm running statistics (nothing else).
    func loadStatistics(from net: TrainedNetwork) {
        for l in spec.layers.indices {
            for p in 0..<spec.layers[l].partitions {
                running[l][p] = .init(mean: net.partitions[l][p].runningMean, variance: net.partitions[l][p].runningVariance)
            }
        }
        let fe = net.quantizers.inputFrontEnd
        inputRunning = zip(fe.mean, fe.variance).map { .init(mean: $0, variance: $1) }
    }

    func load(partition w: PartitionWeights, layer l: Int, index p: Int) {
        values.copy(w.parameters, to: partitionOffset[l][p])
        running[l][p] = .init(mean: w.runningMean, variance: w.runningVariance)
    }

    /// The current values as a network value.
    func snapshot(connectivity: Connectivity) -> TrainedNetwork {
        let partitions = spec.layers.indices.map { l in
            (0..<spec.layers[l].partitions).map { p in
                PartitionWeights(
                    fanIn: spec.layers[l].fanIn, shape: spec.layers[l].shape,
                    parameters: values.array(from: partitionOffset[l][p], count: layouts[l].parameterCount),
                    runningMean: running[l][p].mean, runningVariance: running[l][p].variance)
            }
        }
        let fe = InputFrontEnd(
            bits: spec.inputBits, mean: inputRunning.map(\.mean), variance: inputRunning.map(\.variance),
            gamma: values.array(from: inputGammaOffset, count: spec.inputFeatures),
            bias: values.array(from: inputBiasOffset, count: spec.inputFeatures), scale: inputScale)
        return TrainedNetwork(
            spec: spec, connectivity: connectivity, partitions: partitions,
            quantizers: QuantizerParameters(outputScales: outputScales, inputFrontEnd: fe))
    }

    /// One AdamW update (PyTorch's formulation: decoupled decay, bias-corrected moments)
    /// of `n` values starting at `start`.
    func adamW(start: Int, n: Int, lr: Float, step: Int, config: TrainingConfig) {
        let b1 = config.beta1, b2 = config.beta2
        let c1 = Float(1 - pow(Double(b1), Double(step)))
        let c2 = Float(1 - pow(Double(b2), Double(step)))
        let decay = 1 - lr * config.weightDecay
        let p = values.base + start, g = gradients.base + start
        let m = firstMoment.base + start, v = secondMoment.base + start
        typealias V = SIMD8<Float>
        @inline(__always) func load(_ q: UnsafeMutablePointer<Float>, _ i: Int) -> V {
            UnsafeRawPointer(q + i).loadUnaligned(as: V.self)
        }
        @inline(__always) func store(_ x: V, _ q: UnsafeMutablePointer<Float>, _ i: Int) {
            UnsafeMutableRawPointer(q + i).storeBytes(of: x, as: V.self)
        }
        // Same element-wise arithmetic in SIMD and scalar form, so results do not depend on alignment.
        var i = 0
        while i + 8 <= n {
            let gi = load(g, i)
            let mi = b1 * load(m, i) + (1 - b1) * gi
            let vi = b2 * load(v, i) + (1 - b2) * (gi * gi)
            store(mi, m, i)
            store(vi, v, i)
            store(load(p, i) * decay - lr * (mi / c1) / ((vi / c2).squareRoot() + config.adamEpsilon), p, i)
            i += 8
        }
        while i < n {
            let gi = g[i]
            m[i] = b1 * m[i] + (1 - b1) * gi
            v[i] = b2 * v[i] + (1 - b2) * (gi * gi)
            p[i] = p[i] * decay - lr * (m[i] / c1) / ((v[i] / c2).squareRoot() + config.adamEpsilon)
            i += 1
        }
    }
}
