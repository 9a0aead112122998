/// Per-batch activations of the whole network in the training pass, padded
/// to `batch` lanes: one row per unit (feature-major), plus each
/// partition's saved intermediate values for its backward pass.
final class TrainingBuffers: @unchecked Sendable {
    let batch: Int
    /// Raw input features, `inputFeatures × batch`.
    let raw: FloatBuffer
    /// Input front end: normalised and batch-normed values.
    let inputXhat: FloatBuffer
    let inputYhat: FloatBuffer
    let inputBatchVariance: FloatBuffer
    /// Each feature's share of the input scale's gradient, summed in feature order.
    let inputScaleGradient: FloatBuffer
    /// `values[l + 1]`: dequantized outputs of layer l (`values[0]`: input codes' values).
    let values: [FloatBuffer]
    /// Gradients with respect to `values`.
    let gradients: [FloatBuffer]
    /// With k partitions per class (k > 1): class logits `classes × batch` (`GroupSum`) and their gradients; else empty.
    let logits: FloatBuffer
    let logitGradients: FloatBuffer
    /// Layer l's partitions' saved forward state and input gradients, one block per kind.
    let x: [FloatBuffer]
    let y: [FloatBuffer]
    let xhat: [FloatBuffer]
    let yhat: [FloatBuffer]
    let dx: [FloatBuffer]
    let batchVariance: [FloatBuffer]
    /// Layer l's partitions' hidden activations of the whole batch, tile after
    /// tile (`SubNetwork.hiddenCount` floats a tile), when the network's fit the
    /// budget (`init`'s `hiddenBudget`); else empty, and the backward pass recomputes them.
    let hidden: [FloatBuffer]
    /// Each partition's share of its layer's output scale gradient, summed in partition order.
    let scaleGradient: [FloatBuffer]
    /// `slots[l][p]`: partition (l, p)'s addresses.
    let slots: [UnsafeMutableBufferPointer<PartitionSlot>]
    /// Layer l's input unit u is read by the partition input rows
    /// `consumerRows[l][consumerStart[l][u]..<consumerStart[l][u + 1]]` (the
    /// rows of their input gradients), in (partition, slot) order.
    let consumerStart: [UnsafeMutableBufferPointer<Int>]
    let consumerRows: [UnsafeMutableBufferPointer<UnsafePointer<Float>>]
    /// The connectivity's unit indices, `fanIn` per partition.
    private let inputs: [UnsafeMutableBufferPointer<Int>]

    init(
        spec: NetworkSpec, layouts: [PartitionLayout], batch: Int, store: ParameterStore, connectivity: Connectivity,
        trainable: [[Bool]], hiddenBudget: Int
    ) {
        self.batch = batch
        raw = FloatBuffer(count: spec.inputFeatures * batch)
        inputXhat = FloatBuffer(count: spec.inputFeatures * batch)
        inputYhat = FloatBuffer(count: spec.inputFeatures * batch)
        inputBatchVariance = FloatBuffer([Float](repeating: 1, count: spec.inputFeatures))
        inputScaleGradient = FloatBuffer(count: spec.inputFeatures)
        let widths = [spec.inputFeatures] + spec.layers.map(\.partitions)
        values = widths.map { FloatBuffer(count: $0 * batch) }
        gradients = widths.map { FloatBuffer(count: $0 * batch) }
        let grouped = spec.partitionsPerClass > 1 ? spec.classes * batch : 0
        logits = FloatBuffer(count: grouped)
        logitGradients = FloatBuffer(count: grouped)
        let layers = spec.layers.indices
        let counts = spec.layers.map(\.partitions)
        x = layers.map { FloatBuffer(count: counts[$0] * layouts[$0].fanIn * batch) }
        y = layers.map { FloatBuffer(count: counts[$0] * batch) }
        xhat = layers.map { FloatBuffer(count: counts[$0] * batch) }
        yhat = layers.map { FloatBuffer(count: counts[$0] * batch) }
        dx = layers.map { FloatBuffer(count: counts[$0] * layouts[$0].fanIn * batch) }
        batchVariance = layers.map { FloatBuffer([Float](repeating: 1, count: counts[$0])) }
        scaleGradient = layers.map { FloatBuffer(count: counts[$0]) }
        let tile = WorkerScratch.tile(batch: batch), tiles = (batch + tile - 1) / tile
        let hiddenPerPartition = layouts.map { tiles * SubNetwork(layout: $0, tile: tile).hiddenCount }
        // All of the network's hidden activations are kept when they fit `hiddenBudget` floats (`Trainer.keptHiddenBudget`).
        let keeps = layers.reduce(0) { $0 + counts[$1] * hiddenPerPartition[$1] } <= hiddenBudget
        hidden = layers.map { FloatBuffer(count: keeps ? counts[$0] * hiddenPerPartition[$0] : 0) }
        inputs = layers.map { l in
            let flat = connectivity.inputs[l].flatMap { $0 }
            let buffer = UnsafeMutableBufferPointer<Int>.allocate(capacity: flat.count)
            _ = buffer.initialize(fromContentsOf: flat)
            return buffer
        }
        var slots: [UnsafeMutableBufferPointer<PartitionSlot>] = []
        var consumerStart: [UnsafeMutableBufferPointer<Int>] = []
        var consumerRows: [UnsafeMutableBufferPointer<UnsafePointer<Float>>] = []
        for l in layers {
            let fanIn = layouts[l].fanIn
            let row = fanIn * batch
            let layer = UnsafeMutableBufferPointer<PartitionSlot>.allocate(capacity: counts[l])
            for p in 0..<counts[l] {
                (layer.baseAddress! + p).initialize(
                    to: PartitionSlot(
                        inputs: UnsafePointer(inputs[l].baseAddress! + p * fanIn), x: x[l].base + p * row,
                        y: y[l].base + p * batch, xhat: xhat[l].base + p * batch, yhat: yhat[l].base + p * batch,
                        dx: dx[l].base + p * row, hidden: keeps ? hidden[l].base + p * hiddenPerPartition[l] : nil,
                        output: values[l + 1].base + p * batch,
                        outputGradient: gradients[l + 1].base + p * batch, offset: store.partitionOffset[l][p],
                        running: store.running[l].baseAddress! + p, batchVariance: batchVariance[l].base + p,
                        scaleGradient: scaleGradient[l].base + p, trainable: trainable[l][p]))
            }
            slots.append(layer)
            // Consumers of each unit, in (partition, slot) order.
            var rows = [[UnsafePointer<Float>]](repeating: [], count: widths[l])
            for (p, units) in connectivity.inputs[l].enumerated() {
                for (slot, u) in units.enumerated() { rows[u].append(UnsafePointer(layer[p].dx + slot * batch)) }
            }
            let start = UnsafeMutableBufferPointer<Int>.allocate(capacity: widths[l] + 1)
            var total = 0
            for u in 0..<widths[l] {
                start[u] = total
                total += rows[u].count
            }
            start[widths[l]] = total
            let flat = UnsafeMutableBufferPointer<UnsafePointer<Float>>.allocate(capacity: total)
            _ = flat.initialize(fromContentsOf: rows.joined())
            consumerStart.append(start)
            consumerRows.append(flat)
        }
        self.slots = slots
        self.consumerStart = consumerStart
        self.consumerRows = consumerRows
    }

    deinit {
        for buffer in slots { buffer.deallocate() }
        for buffer in consumerStart { buffer.deallocate() }
        for buffer in consumerRows { buffer.deallocate() }
        for buffer in inputs { buffer.deallocate() }
    }
}

/// Raw addresses of one partition's training state, made once per run.
/// The per-partition passes read only these plain values: when both workers
/// retained and released the shared arrays and objects they used to reach
/// them, the reference counts' cache lines bounced between the cores.
struct PartitionSlot {
    /// Unit indices in the layer's input, `fanIn` of them.
    let inputs: UnsafePointer<Int>
    /// Saved forward state: input rows (`fanIn × batch`), output before and
    /// after batch-norm, normalised output; and ∂L/∂x (`fanIn × batch`).
    let x: UnsafeMutablePointer<Float>
    let y: UnsafeMutablePointer<Float>
    let xhat: UnsafeMutablePointer<Float>
    let yhat: UnsafeMutablePointer<Float>
    let dx: UnsafeMutablePointer<Float>
    /// The hidden activations of the batch's tiles (`SubNetwork.hiddenCount`
    /// floats each), or nil when the backward pass recomputes them.
    let hidden: UnsafeMutablePointer<Float>?
    /// The partition's row of the next layer's input values and of their gradients.
    let output: UnsafeMutablePointer<Float>
    let outputGradient: UnsafeMutablePointer<Float>
    /// Start of the partition's segment in the parameter store.
    let offset: Int
    let running: UnsafeMutablePointer<BatchNorm.Statistics>
    let batchVariance: UnsafeMutablePointer<Float>
    let scaleGradient: UnsafeMutablePointer<Float>
    let trainable: Bool
}

/// Scratch of one worker thread: a tile's hidden activations and their
/// gradients, a partition's transposed weights and parameter-gradient
/// partial sums, and full-batch rows for the output batch-norm's backward pass.
final class WorkerScratch: @unchecked Sendable {
    static let tile = 128
    /// The tile at this batch size.
    static func tile(batch: Int) -> Int { min(tile, batch) }
    let tile: Int
    let hidden: FloatBuffer
    let dHidden: FloatBuffer
    let transposed: FloatBuffer
    let gradientLanes: FloatBuffer
    let dy: FloatBuffer
    let dyhat: FloatBuffer

    init(layouts: [PartitionLayout], batch: Int) {
        let tile = Self.tile(batch: batch)
        self.tile = tile
        let subs = layouts.map { SubNetwork(layout: $0, tile: tile) }
        hidden = FloatBuffer(count: subs.map(\.hiddenCount).max() ?? 0)
        dHidden = FloatBuffer(count: subs.map(\.hiddenCount).max() ?? 0)
        transposed = FloatBuffer(count: subs.map(\.transposedCount).max() ?? 0)
        gradientLanes = FloatBuffer(count: subs.map(\.gradientLaneCount).max() ?? 0)
        dy = FloatBuffer(count: batch)
        dyhat = FloatBuffer(count: batch)
    }

    /// The same memory as raw pointers (see `PartitionSlot`).
    var pointers: ScratchPointers {
        ScratchPointers(
            tile: tile, hidden: hidden.base, dHidden: dHidden.base, transposed: transposed.base,
            gradientLanes: gradientLanes.base, dy: dy.base, dyhat: dyhat.base)
    }
}

/// A worker's scratch as plain values, so workers reach it without reference counting.
struct ScratchPointers {
    let tile: Int
    let hidden: UnsafeMutablePointer<Float>
    let dHidden: UnsafeMutablePointer<Float>
    let transposed: UnsafeMutablePointer<Float>
    let gradientLanes: UnsafeMutablePointer<Float>
    let dy: UnsafeMutablePointer<Float>
    let dyhat: UnsafeMutablePointer<Float>
}
