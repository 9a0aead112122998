import Allocation
import Foundation

/// Turns trained partitions into truth tables (docs/method.md): every input
/// code combination, input 0 in the most significant bits, through the
/// partition in inference mode.
public enum Tabulation {
    /// Entries evaluated per kernel call.
    static let chunk = 1024

    /// The table of one partition from what it depends on: its weights, its
    /// layer's table spec and the quantizers (the scale of its input codes
    /// and of its output codes). Large tables spread over `threads` cores.
    public static func tabulate(
        _ weights: PartitionWeights, _ table: PartitionTableSpec, quantizers: QuantizerParameters,
        threads: Int? = nil
    ) -> TruthTable {
        let entries = 1 << table.addressBits
        let threads = threads ?? (entries >= 1 << 14 ? CPUAllocation.count : 1)
        let inference = inference(weights, table, quantizers: quantizers)
        let inputRange = table.inputRange
        let inputScale = quantizers.inputScale(ofLayer: table.layer)
        var codes = [UInt16](repeating: 0, count: entries)
        let chunks = (entries + chunk - 1) / chunk
        let batch = Kernels.padded(min(chunk, entries))
        let workers = (0..<max(threads, 1)).map { _ in
            (x: FloatBuffer(count: table.fanIn * batch), scratch: FloatBuffer(count: inference.scratchCount(batch: batch)))
        }
        codes.withUnsafeMutableBufferPointer { out in
            let out = UnsafeSendable(out.baseAddress!)
            Workers.forEach(chunks, threads: max(threads, 1)) { c, worker in
                let (x, scratch) = workers[worker]
                let start = c * chunk
                let count = min(chunk, entries - start)
                fillInputs(
                    x.base, start: start, count: count, batch: batch, fanIn: table.fanIn, bits: table.inputBits,
                    range: inputRange, scale: inputScale)
                inference.codes(x: x.base, batch: batch, count: count, scratch: scratch.base, out: out.value + start)
            }
        }
        return TruthTable(addressBits: table.addressBits, outputBits: table.outputBits, codes: codes)
    }

    /// The table of one partition of a trained network.
    public static func tabulate(partition id: PartitionID, of net: TrainedNetwork) -> TruthTable {
        tabulate(net[id], net.spec.tableSpec(ofLayer: id.layer), quantizers: net.quantizers)
    }

    /// All tables, partitions spread over all cores.
    public static func tabulate(_ net: TrainedNetwork, threads: Int = CPUAllocation.count) -> LUTNetwork {
        let ids = net.spec.layers.indices.flatMap { l in (0..<net.spec.layers[l].partitions).map { PartitionID(layer: l, index: $0) } }
        let results = ResultSlots<TruthTable>(count: ids.count)
        Workers.forEach(ids.count, threads: threads) { i, _ in
            // One table per worker thread: the partitions are the parallelism.
            results[i] = tabulate(net[ids[i]], net.spec.tableSpec(ofLayer: ids[i].layer), quantizers: net.quantizers, threads: 1)
        }
        var tables: [[TruthTable]] = net.spec.layers.map { _ in [] }
        for (i, id) in ids.enumerated() { tables[id.layer].append(results[i]!) }
        return LUTNetwork(spec: net.spec, connectivity: net.connectivity, tables: tables, encoder: net.encoder)
    }

    /// One partition in inference mode, emitting its output codes.
    static func inference(_ weights: PartitionWeights, _ table: PartitionTableSpec, quantizers: QuantizerParameters) -> PartitionInference {
        PartitionInference(
            weights, scale: quantizers.outputScales[table.layer], bits: table.outputBits, signed: table.isLastLayer,
            tableInputs: TableInputs(shape: weights.shape, table: table, inputScale: quantizers.inputScale(ofLayer: table.layer)))
    }

    static func inference(for id: PartitionID, of net: TrainedNetwork) -> PartitionInference {
        inference(net[id], net.spec.tableSpec(ofLayer: id.layer), quantizers: net.quantizers)
    }

    /// Dequantized input values of addresses `start ..< start+count`:
    /// input i's code is bits `(fanIn−1−i)·bits ..< (fanIn−i)·bits` of the address.
    static func fillInputs(
        _ x: UnsafeMutablePointer<Float>, start: Int, count: Int, batch: Int, fanIn: Int, bits: Int,
        range: Quantization.Range, scale: Float
    ) {
        x.update(repeating: 0, count: fanIn * batch)
        let mask = (1 << bits) - 1
        for i in 0..<fanIn {
            let shift = (fanIn - 1 - i) * bits
            let row = x + i * batch
            for b in 0..<count {
                row[b] = range.value(code: UInt16(((start + b) >> shift) & mask), scale: scale)
            }
        }
    }
}

/// The tables of a whole trained network (docs/method.md).
public func tabulate(_ net: TrainedNetwork) -> LUTNetwork { Tabulation.tabulate(net) }

/// The table of one partition.
public func tabulate(partition: PartitionID, of net: TrainedNetwork) -> TruthTable {
    Tabulation.tabulate(partition: partition, of: net)
}

/// Slots written by parallel workers, one slot per item.
final class ResultSlots<T>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<T?>
    let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: max(count, 1))
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    subscript(i: Int) -> T? {
        get { slots[i] }
        set { slots[i] = newValue }
    }
}
