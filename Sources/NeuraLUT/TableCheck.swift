import Datasets

/// A row on which a LUT network's tables and the quantized network they
/// should have been tabulated from part ways.
public struct TableMismatch: Sendable, Equatable, CustomStringConvertible {
    /// Index of the row in the data checked.
    public var row: Int
    /// The class LUT inference on the tables gives, and the quantized network's.
    public var tableClass: Int
    public var networkClass: Int
    /// The first partition (layer by layer) whose table entry differs from
    /// what the trained partition computes. Every layer before it agreed, so
    /// both read the same `address`.
    public var partition: PartitionID
    public var address: Int
    public var tableCode: UInt16
    public var networkCode: UInt16

    /// `row 4: the tables give class 2, the quantized network 7 (first difference: layer0/p1 entry 14 holds 1, …)`.
    public var description: String {
        let classes =
            tableClass == networkClass
            ? "both give class \(tableClass)" : "the tables give class \(tableClass), the quantized network \(networkClass)"
        return "row \(row): \(classes) (first difference: \(partition) entry \(address) holds \(tableCode), "
            + "the trained partition gives \(networkCode))"
    }
}

extension LUTNetwork {
    /// The rows of `data` on which these tables disagree with `trained`'s
    /// quantized network anywhere: every partition's code, not only the
    /// class. Empty exactly when LUT inference reproduces the quantized
    /// network on `data` bit for bit (tabulation and the quantized network
    /// evaluate partitions by the same code, sample by sample, so tables
    /// tabulated from `trained` always agree). Throws when wiring, input
    /// encoder or shape differ, before any row is compared.
    public func mismatches(against trained: TrainedNetwork, data: Dataset) throws -> [TableMismatch] {
        guard spec == trained.spec else {
            throw LUTInferenceError("the tables are of another network shape than the trained network")
        }
        guard connectivity == trained.connectivity else {
            throw LUTInferenceError("the tables' wiring differs from the trained network's")
        }
        guard encoder == trained.encoder else {
            throw LUTInferenceError("the tables' input encoder differs from the trained network's input quantizer")
        }
        try checkColumns(of: data)
        let plan = try LUTEvaluationPlan(self)
        let quantized = QuantizedNetwork(trained)
        let widths = plan.layers.map(\.partitions)
        var mismatches: [TableMismatch] = []
        let chunk = 4096
        let current = UnsafeMutableBufferPointer<UInt16>.allocate(capacity: plan.widest)
        let next = UnsafeMutableBufferPointer<UInt16>.allocate(capacity: plan.widest)
        defer {
            current.deallocate()
            next.deallocate()
        }
        var recorder = EntryRecorder(layers: plan.layers)
        for start in stride(from: 0, to: data.rows, by: chunk) {
            let rows = Array(start..<min(start + chunk, data.rows))
            let expected = quantized.layerCodes(data, rows: rows)
            for (i, row) in rows.enumerated() {
                for f in 0..<plan.inputWidth { current[f] = encoder.code(data.features[row * plan.inputWidth + f], feature: f) }
                _ = plan.evaluate(current, next, observer: &recorder)
                guard let (partition, entry) = firstDifference(plan, recorder, expected: expected, sample: i) else { continue }
                let layer = plan.layers[partition.layer]
                let last = widths.count - 1
                let tableOutputs = (0..<widths[last]).map { recorder.code(plan, layer: last, partition: $0) }
                let networkOutputs = Array(expected[last][i * widths[last]..<(i + 1) * widths[last]])
                mismatches.append(
                    TableMismatch(
                        row: row, tableClass: spec.predictedClasses(outputCodes: tableOutputs)[0],
                        networkClass: spec.predictedClasses(outputCodes: networkOutputs)[0],
                        partition: partition, address: entry & ((1 << layer.addressBits) - 1), tableCode: layer.tables[entry],
                        networkCode: expected[partition.layer][i * widths[partition.layer] + partition.index]))
            }
        }
        return mismatches
    }

    /// The first partition whose looked-up code differs from the quantized network's, and its table entry.
    private func firstDifference(
        _ plan: LUTEvaluationPlan, _ recorder: EntryRecorder, expected: [[UInt16]],
        sample: Int
    ) -> (PartitionID, Int)? {
        for (l, layer) in plan.layers.enumerated() {
            for p in 0..<layer.partitions where recorder.code(plan, layer: l, partition: p) != expected[l][sample * layer.partitions + p] {
                return (PartitionID(layer: l, index: p), recorder.entries[l][p])
            }
        }
        return nil
    }
}

/// The table entry (`partition << addressBits | address`) each partition
/// looked up for the last sample evaluated.
private struct EntryRecorder: LookupObserver {
    var entries: [[Int]]
    let addressBits: [Int]

    init(layers: [LUTEvaluationPlan.Layer]) {
        entries = layers.map { [Int](repeating: 0, count: $0.partitions) }
        addressBits = layers.map(\.addressBits)
    }

    mutating func lookedUp(layer: Int, entry: Int) { entries[layer][entry >> addressBits[layer]] = entry }

    /// The code the tables gave partition `partition` of `layer`.
    func code(_ plan: LUTEvaluationPlan, layer: Int, partition: Int) -> UInt16 { plan.layers[layer].tables[entries[layer][partition]] }
}
