import Allocation
import Datasets
import Foundation

/// The trained network in inference mode with all quantizers: raw features
/// → input codes (`InputEncoder`) → partitions (`PartitionInference`) →
/// output codes. LUT inference on the tabulated network must give exactly
/// these codes.
public struct QuantizedNetwork: Sendable {
    public let network: TrainedNetwork
    let partitions: [[PartitionInference]]
    let encoder: InputEncoder
    let threads: Int
    /// Samples per worker chunk.
    static let chunk = 256

    public init(_ network: TrainedNetwork, threads: Int = CPUAllocation.count) {
        self.network = network
        partitions = network.spec.layers.indices.map { l in
            (0..<network.spec.layers[l].partitions).map { Tabulation.inference(for: PartitionID(layer: l, index: $0), of: network) }
        }
        encoder = network.encoder
        self.threads = threads
    }

    /// Output codes (offset binary), `rows × last-layer partitions`, of the given rows of `data` (all when nil).
    public func outputCodes(_ data: Dataset, rows: [Int]? = nil) -> [UInt16] {
        let last = network.spec.layers.count - 1
        return codes(data, rows: rows, recording: Set([last]))[last]
    }

    /// Every partition's output codes of the given rows (all when nil): per
    /// layer, `rows × partitions`, row-major. Each is what that partition's
    /// table must hold at the address the row's previous-layer codes form.
    public func layerCodes(_ data: Dataset, rows: [Int]? = nil) -> [[UInt16]] {
        codes(data, rows: rows, recording: Set(network.spec.layers.indices))
    }

    /// The codes of the layers in `recording`, per layer `rows × partitions`
    /// (empty for the others), chunks of rows spread over the workers.
    private func codes(_ data: Dataset, rows: [Int]?, recording: Set<Int>) -> [[UInt16]] {
        let rows = rows ?? Array(0..<data.rows)
        let widths = network.spec.layers.map(\.partitions)
        let buffers = widths.indices.map { l -> UnsafeMutableBufferPointer<UInt16>? in
            guard recording.contains(l) else { return nil }
            let buffer = UnsafeMutableBufferPointer<UInt16>.allocate(capacity: max(rows.count * widths[l], 1))
            buffer.initialize(repeating: 0)
            return buffer
        }
        defer { for buffer in buffers { buffer?.deallocate() } }
        let bases = UnsafeSendable(buffers.map { $0?.baseAddress })
        let chunks = (rows.count + Self.chunk - 1) / Self.chunk
        let workers = min(threads, max(chunks, 1))
        let spaces = (0..<workers).map { _ in Workspace(network: network, batch: Kernels.padded(Self.chunk)) }
        Workers.forEach(chunks, threads: workers) { c, worker in
            let start = c * Self.chunk
            let slice = rows[start..<min(start + Self.chunk, rows.count)]
            let destinations = widths.indices.map { l in bases.value[l].map { $0 + start * widths[l] } }
            evaluate(data, rows: slice, space: spaces[worker], into: destinations)
        }
        return widths.indices.map { l in buffers[l].map { Array($0.prefix(rows.count * widths[l])) } ?? [] }
    }

    /// Predicted class of each row (`ClassScores`: the first largest class score).
    public func predictions(_ data: Dataset, rows: [Int]? = nil) -> [Int] {
        network.spec.predictedClasses(outputCodes: outputCodes(data, rows: rows))
    }

    /// Fraction of rows classified correctly.
    public func accuracy(_ data: Dataset, rows: [Int]? = nil) -> Double {
        let predicted = predictions(data, rows: rows)
        guard !predicted.isEmpty else { return 0 }
        let rows = rows ?? Array(0..<data.rows)
        var correct = 0
        for (i, r) in rows.enumerated() where predicted[i] == Int(data.labels[r]) { correct += 1 }
        return Double(correct) / Double(predicted.count)
    }

    /// Per-worker buffers: dequantized values of the current and previous layer.
    final class Workspace: @unchecked Sendable {
        let batch: Int
        let previous: FloatBuffer
        let current: FloatBuffer
        let x: FloatBuffer
        let scratch: FloatBuffer
        let codes: UnsafeMutablePointer<UInt16>

        init(network: TrainedNetwork, batch: Int) {
            self.batch = batch
            let spec = network.spec
            let widest = max(spec.inputFeatures, spec.layers.map(\.partitions).max() ?? 0)
            previous = FloatBuffer(count: widest * batch)
            current = FloatBuffer(count: widest * batch)
            x = FloatBuffer(count: (spec.layers.map(\.fanIn).max() ?? 0) * batch)
            let scratchCount =
                spec.layers.enumerated().map { l, layer in
                    SubNetwork(layout: PartitionLayout(fanIn: layer.fanIn, shape: layer.shape), tile: batch).hiddenCount + batch
                }.max() ?? 0
            scratch = FloatBuffer(count: scratchCount)
            codes = .allocate(capacity: batch)
        }

        deinit { codes.deallocate() }
    }

    /// The rows through every layer; layer `l`'s codes go to `into[l]` (`count × partitions`) when it is not nil.
    private func evaluate(_ data: Dataset, rows: ArraySlice<Int>, space: Workspace, into out: [UnsafeMutablePointer<UInt16>?]) {
        let batch = space.batch
        let count = rows.count
        let inputRange = Quantization.Range(bits: network.spec.inputBits, signed: true)
        let inputScale = network.quantizers.inputFrontEnd.scale
        var previous = space.previous, current = space.current
        previous.zero()
        data.features.withUnsafeBufferPointer { features in
            for (b, r) in rows.enumerated() {
                for f in 0..<data.columns {
                    let code = encoder.code(features[r * data.columns + f], feature: f)
                    previous.base[f * batch + b] = inputRange.value(code: code, scale: inputScale)
                }
            }
        }
        for (l, layer) in partitions.enumerated() {
            let wiring = network.connectivity.inputs[l]
            for (p, partition) in layer.enumerated() {
                for (slot, source) in wiring[p].enumerated() {
                    (space.x.base + slot * batch).update(from: previous.base + source * batch, count: batch)
                }
                partition.values(
                    x: space.x.base, batch: batch, count: count, scratch: space.scratch.base,
                    codes: space.codes, values: current.base + p * batch)
                if let destination = out[l] {
                    for b in 0..<count { destination[b * layer.count + p] = space.codes[b] }
                }
            }
            swap(&previous, &current)
        }
    }
}

/// Test accuracy of the quantized network in inference mode (docs/method.md):
/// what LUT inference and the RTL must reproduce exactly.
public func quantizedAccuracy(network: TrainedNetwork, data: Dataset) -> Double {
    QuantizedNetwork(network).accuracy(data)
}
