import Foundation

/// Turns trained partitions into truth tables (DESIGN.md §1): every input
/// code combination, input 0 in the most significant bits, through the
/// partition in inference mode.
public enum Tabulation {
    /// Entries evaluated per kernel call.
    static let chunk = 1024

    /// The table of one partition (the build engine tabulates per partition).
    public static func tabulate(partition id: PartitionID, of net: TrainedNetwork) -> TruthTable {
        let inference = inference(for: id, of: net)
        let entries = 1 << net.spec.tableAddressBits(ofLayer: id.layer)
        var codes = [UInt16](repeating: 0, count: entries)
        let chunks = (entries + chunk - 1) / chunk
        let inputRange = Quantization.Range(bits: net.spec.inputBits(ofLayer: id.layer), signed: id.layer == 0)
        let inputScale = id.layer == 0 ? net.quantizers.inputFrontEnd.scale : net.quantizers.outputScales[id.layer - 1]
        let bits = net.spec.inputBits(ofLayer: id.layer)
        let fanIn = net.spec.layers[id.layer].fanIn
        let threads = entries >= 1 << 14 ? ProcessInfo.processInfo.activeProcessorCount : 1
        let batch = Kernels.padded(min(chunk, entries))
        let workers = (0..<threads).map { _ in
            (x: FloatBuffer(count: fanIn * batch), scratch: FloatBuffer(count: inference.scratchCount(batch: batch)))
        }
        codes.withUnsafeMutableBufferPointer { out in
            let out = UnsafeSendable(out.baseAddress!)
            Workers.forEach(chunks, threads: threads) { c, worker in
                let (x, scratch) = workers[worker]
                let start = c * chunk
                let count = min(chunk, entries - start)
                fillInputs(x.base, start: start, count: count, batch: batch, fanIn: fanIn, bits: bits,
                           range: inputRange, scale: inputScale)
                inference.codes(x: x.base, batch: batch, count: count, scratch: scratch.base, out: out.value + start)
            }
        }
        return TruthTable(addressBits: fanIn * bits, outputBits: net.spec.layers[id.layer].outputBits, codes: codes)
    }

    /// All tables, partitions spread over all cores.
    public static func tabulate(_ net: TrainedNetwork, threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> LUTNetwork {
        let ids = net.spec.layers.indices.flatMap { l in (0..<net.spec.layers[l].partitions).map { PartitionID(layer: l, index: $0) } }
        let results = ResultSlots<TruthTable>(count: ids.count)
        Workers.forEach(ids.count, threads: threads) { i, _ in
            results[i] = tabulateSerially(partition: ids[i], of: net)
        }
        var tables: [[TruthTable]] = net.spec.layers.map { _ in [] }
        for (i, id) in ids.enumerated() { tables[id.layer].append(results[i]!) }
        return LUTNetwork(spec: net.spec, connectivity: net.connectivity, tables: tables, encoder: net.encoder)
    }

    /// One table on the calling thread (used when partitions run in parallel).
    static func tabulateSerially(partition id: PartitionID, of net: TrainedNetwork) -> TruthTable {
        let inference = inference(for: id, of: net)
        let bits = net.spec.inputBits(ofLayer: id.layer)
        let fanIn = net.spec.layers[id.layer].fanIn
        let entries = 1 << (fanIn * bits)
        let inputRange = Quantization.Range(bits: bits, signed: id.layer == 0)
        let inputScale = id.layer == 0 ? net.quantizers.inputFrontEnd.scale : net.quantizers.outputScales[id.layer - 1]
        let batch = Kernels.padded(min(chunk, entries))
        let x = FloatBuffer(count: fanIn * batch)
        let scratch = FloatBuffer(count: inference.scratchCount(batch: batch))
        var codes = [UInt16](repeating: 0, count: entries)
        codes.withUnsafeMutableBufferPointer { out in
            var start = 0
            while start < entries {
                let count = min(chunk, entries - start)
                fillInputs(x.base, start: start, count: count, batch: batch, fanIn: fanIn, bits: bits, range: inputRange, scale: inputScale)
                inference.codes(x: x.base, batch: batch, count: count, scratch: scratch.base, out: out.baseAddress! + start)
                start += count
            }
        }
        return TruthTable(addressBits: fanIn * bits, outputBits: net.spec.layers[id.layer].outputBits, codes: codes)
    }

    static func inference(for id: PartitionID, of net: TrainedNetwork) -> PartitionInference {
        PartitionInference(net[id], scale: net.quantizers.outputScales[id.layer],
                           bits: net.spec.layers[id.layer].outputBits, signed: net.spec.isSigned(layer: id.layer))
    }

    /// Dequantized input values of addresses `start ..< start+count`:
    /// input i's code is bits `(fanIn−1−i)·bits ..< (fanIn−i)·bits` of the address.
    static func fillInputs(_ x: UnsafeMutablePointer<Float>, start: Int, count: Int, batch: Int, fanIn: Int, bits: Int,
                           range: Quantization.Range, scale: Float) {
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

/// The tables of a whole trained network (DESIGN.md §1, issue 4.1).
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
