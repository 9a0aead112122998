import Allocation
import Datasets
import Foundation

extension TrainedNetwork {
    /// Recomputes batch-norm statistics from `rows` of `data` in inference
    /// order ("precise batch-norm"): the input front end's per-feature
    /// statistics first, then each layer's from the codes the layers below
    /// produce with their new statistics. The running averages of training
    /// lag the weights and carry batch noise; with 2-bit outputs a small
    /// shift of a partition's mean flips the codes of whole groups of
    /// samples, so the quantized network scored with them swings by points
    /// from epoch to epoch.
    ///
    /// - Parameters:
    ///   - partitions: the partitions to recalibrate (nil: all); the others keep theirs.
    ///   - inputFrontEnd: whether to recalibrate the input front end.
    public func recalibratingBatchNorm(
        on data: Dataset, rows: [Int], partitions selected: Set<PartitionID>? = nil,
        inputFrontEnd: Bool = true,
        threads: Int = CPUAllocation.count
    ) -> TrainedNetwork {
        let n = rows.count
        guard n >= 2 else { return self }
        var net = self
        let columns = data.columns
        if inputFrontEnd {
            var fe = net.quantizers.inputFrontEnd
            data.features.withUnsafeBufferPointer { features in
                for f in 0..<columns {
                    let stats = BatchNorm.Statistics(of: n) { features[rows[$0] * columns + f] }
                    fe.mean[f] = stats.mean
                    fe.variance[f] = stats.variance
                }
            }
            net.quantizers.inputFrontEnd = fe
        }

        let encoder = net.encoder
        let inputRange = Quantization.Range(bits: spec.inputBits, signed: true)
        let inputScale = net.quantizers.inputFrontEnd.scale
        var previous = FloatBuffer(count: columns * n)
        data.features.withUnsafeBufferPointer { features in
            for (b, r) in rows.enumerated() {
                for f in 0..<columns {
                    previous.base[f * n + b] = inputRange.value(
                        code: encoder.code(features[r * columns + f], feature: f), scale: inputScale)
                }
            }
        }
        let tile = 256
        let workers = max(threads, 1)
        let maxFanIn = spec.layers.map(\.fanIn).max() ?? 0
        let xs = (0..<workers).map { _ in FloatBuffer(count: maxFanIn * n + tile) }
        let ys = (0..<workers).map { _ in FloatBuffer(count: n + tile) }
        let hidden = (0..<workers).map { _ in
            FloatBuffer(
                count: spec.layers.map { SubNetwork(layout: PartitionLayout(fanIn: $0.fanIn, shape: $0.shape), tile: tile).hiddenCount }
                    .max() ?? 0)
        }
        for (l, layer) in spec.layers.enumerated() {
            let current = FloatBuffer(count: layer.partitions * n)
            let layout = PartitionLayout(fanIn: layer.fanIn, shape: layer.shape)
            let sub = SubNetwork(
                layout: layout, tile: tile,
                tableInputs: TableInputs(layer: l, of: spec, inputScale: net.quantizers.inputScale(ofLayer: l)))
            let range = Quantization.Range(bits: layer.outputBits, signed: spec.isSigned(layer: l))
            let scale = net.quantizers.outputScales[l]
            let wiring = net.connectivity.inputs[l]
            let weights = net.partitions[l]
            let statistics = UnsafeMutableBufferPointer<BatchNorm.Statistics>.allocate(capacity: layer.partitions)
            defer { statistics.deallocate() }
            let stats = UnsafeSendable(statistics)
            Workers.forEach(layer.partitions, threads: workers) { p, worker in
                let x = xs[worker].base, y = ys[worker].base
                for (slot, source) in wiring[p].enumerated() {
                    (x + slot * n).update(from: previous.base + source * n, count: n)
                }
                let params = FloatBuffer(weights[p].parameters)
                for start in stride(from: 0, to: n, by: tile) {
                    sub.forward(
                        params: params.base, x: x + start, xStride: n, hidden: hidden[worker].base, y: y + start,
                        count: Kernels.padded(min(tile, n - start)))
                }
                var running = BatchNorm.Statistics(mean: weights[p].runningMean, variance: weights[p].runningVariance)
                if selected?.contains(PartitionID(layer: l, index: p)) ?? true {
                    running = BatchNorm.Statistics(of: n) { y[$0] }
                }
                stats.value[p] = running
                let (a, c) = BatchNorm.folded(gamma: params[layout.gammaOffset], beta: params[layout.betaOffset], running: running)
                let out = current.base + p * n
                for b in 0..<n { out[b] = range.value(code: range.code(y[b] * a + c, scale: scale), scale: scale) }
            }
            for p in 0..<layer.partitions {
                net.partitions[l][p].runningMean = statistics[p].mean
                net.partitions[l][p].runningVariance = statistics[p].variance
            }
            previous = current
        }
        return net
    }
}
