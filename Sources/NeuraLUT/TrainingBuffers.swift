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
    var inputBatchVariance: [Float]
    /// `values[l + 1]`: dequantized outputs of layer l (`values[0]`: input codes' values).
    let values: [FloatBuffer]
    /// Gradients with respect to `values`.
    let gradients: [FloatBuffer]
    /// `partitions[l][p]`.
    let partitions: [[PartitionBuffers]]

    init(spec: NetworkSpec, layouts: [PartitionLayout], batch: Int) {
        self.batch = batch
        raw = FloatBuffer(count: spec.inputFeatures * batch)
        inputXhat = FloatBuffer(count: spec.inputFeatures * batch)
        inputYhat = FloatBuffer(count: spec.inputFeatures * batch)
        inputBatchVariance = .init(repeating: 1, count: spec.inputFeatures)
        let widths = [spec.inputFeatures] + spec.layers.map(\.partitions)
        values = widths.map { FloatBuffer(count: $0 * batch) }
        gradients = widths.map { FloatBuffer(count: $0 * batch) }
        partitions = spec.layers.indices.map { l in
            (0..<spec.layers[l].partitions).map { _ in PartitionBuffers(layout: layouts[l], batch: batch) }
        }
    }
}

/// One partition's saved forward state and its input gradient. Hidden
/// activations are not kept: the backward pass recomputes them tile by
/// tile, which keeps the working set in cache.
final class PartitionBuffers: @unchecked Sendable {
    let x: FloatBuffer
    let y: FloatBuffer
    let xhat: FloatBuffer
    let yhat: FloatBuffer
    let dx: FloatBuffer
    var batchVariance: Float = 1
    var scaleGradient: Float = 0

    init(layout: PartitionLayout, batch: Int) {
        x = FloatBuffer(count: layout.fanIn * batch)
        y = FloatBuffer(count: batch)
        xhat = FloatBuffer(count: batch)
        yhat = FloatBuffer(count: batch)
        dx = FloatBuffer(count: layout.fanIn * batch)
    }
}

/// Scratch of one worker thread: a tile's hidden activations and their
/// gradients, a partition's transposed weights and parameter-gradient
/// partial sums, and full-batch rows for the output batch-norm's backward pass.
final class WorkerScratch: @unchecked Sendable {
    static let tile = 128
    let tile: Int
    let hidden: FloatBuffer
    let dHidden: FloatBuffer
    let transposed: FloatBuffer
    let gradientLanes: FloatBuffer
    let dy: FloatBuffer
    let dyhat: FloatBuffer

    init(layouts: [PartitionLayout], batch: Int) {
        let tile = min(Self.tile, batch)
        self.tile = tile
        let subs = layouts.map { SubNetwork(layout: $0, tile: tile) }
        hidden = FloatBuffer(count: subs.map(\.hiddenCount).max() ?? 0)
        dHidden = FloatBuffer(count: subs.map(\.hiddenCount).max() ?? 0)
        transposed = FloatBuffer(count: subs.map(\.transposedCount).max() ?? 0)
        gradientLanes = FloatBuffer(count: subs.map(\.gradientLaneCount).max() ?? 0)
        dy = FloatBuffer(count: batch)
        dyhat = FloatBuffer(count: batch)
    }
}
