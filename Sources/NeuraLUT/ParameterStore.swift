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
    /// Running batch-norm statistics: mean, variance per partition (`running[l][p]`)
    /// and per input feature. Fixed storage, so the training workers update
    /// their own entries through pointers without copy-on-write checks.
    let running: [UnsafeMutableBufferPointer<BatchNorm.Statistics>]
    let inputRunning: UnsafeMutableBufferPointer<BatchNorm.Statistics>
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
        let unit = BatchNorm.Statistics(mean: 0, variance: 1)
        running = spec.layers.map { Self.allocate(repeating: unit, count: $0.partitions) }
        inputRunning = Self.allocate(repeating: unit, count: spec.inputFeatures)
        outputScales = .init(repeating: 1, count: spec.layers.count)
        inputScale = 1
    }

    deinit {
        for r in running { r.deallocate() }
        inputRunning.deallocate()
    }

    private static func allocate(
        repeating value: BatchNorm.Statistics, count: Int
    ) -> UnsafeMutableBufferPointer<BatchNorm.Statistics> {
        let buffer = UnsafeMutableBufferPointer<BatchNorm.Statistics>.allocate(capacity: count)
        buffer.initialize(repeating: value)
        return buffer
    }

    /// Replaces the input front end's running statistics.
    func setInputRunning(mean: [Float], variance: [Float]) {
        for f in inputRunning.indices { inputRunning[f] = .init(mean: mean[f], variance: variance[f]) }
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
        setInputRunning(mean: fe.mean, variance: fe.variance)
    }

    /// Takes over `net`'s batch-norm running statistics (nothing else).
    func loadStatistics(from net: TrainedNetwork) {
        for l in spec.layers.indices {
            for p in 0..<spec.layers[l].partitions {
                running[l][p] = .init(mean: net.partitions[l][p].runningMean, variance: net.partitions[l][p].runningVariance)
            }
        }
        let fe = net.quantizers.inputFrontEnd
        setInputRunning(mean: fe.mean, variance: fe.variance)
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
}

/// One AdamW update (PyTorch's formulation: decoupled decay, bias-corrected
/// moments). One step's coefficients and the store's raw arrays: plain values,
/// so the workers updating partitions in parallel share no reference counts.
struct AdamW {
    let b1: Float, b2: Float, c1: Float, c2: Float, decay: Float, lr: Float, epsilon: Float
    let values: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>
    let firstMoment: UnsafeMutablePointer<Float>, secondMoment: UnsafeMutablePointer<Float>

    init(store: ParameterStore, lr: Float, step: Int, config: TrainingConfig) {
        b1 = config.beta1
        b2 = config.beta2
        c1 = Float(1 - pow(Double(b1), Double(step)))
        c2 = Float(1 - pow(Double(b2), Double(step)))
        decay = 1 - lr * config.weightDecay
        self.lr = lr
        epsilon = config.adamEpsilon
        values = store.values.base
        gradients = store.gradients.base
        firstMoment = store.firstMoment.base
        secondMoment = store.secondMoment.base
    }

    /// Updates the `count` values starting at `start`.
    func update(start: Int, count n: Int) {
        let p = values + start, g = gradients + start
        let m = firstMoment + start, v = secondMoment + start
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
            store(load(p, i) * decay - lr * (mi / c1) / ((vi / c2).squareRoot() + epsilon), p, i)
            i += 8
        }
        while i < n {
            let gi = g[i]
            m[i] = b1 * m[i] + (1 - b1) * gi
            v[i] = b2 * v[i] + (1 - b2) * (gi * gi)
            p[i] = p[i] * decay - lr * (m[i] / c1) / ((v[i] / c2).squareRoot() + epsilon)
            i += 1
        }
    }
}
