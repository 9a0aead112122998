import Diagnostics
import Allocation
import Datasets
import Foundation

/// Why a network or its input cannot be evaluated.
public struct LUTInferenceError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension LUTNetwork {
    /// Checks that tables and wiring agree with the spec, so evaluation and
    /// RTL emission can index without bounds surprises.
    public func validate() throws {
        guard connectivity.inputs.count == spec.layers.count, tables.count == spec.layers.count else {
            throw LUTInferenceError(
                "network has \(spec.layers.count) layers in its spec but \(connectivity.inputs.count) in its connectivity and"
                    + " \(tables.count) in its tables"
            )
        }
        guard spec.inputBits >= 1, spec.inputBits <= 16 else {
            throw LUTInferenceError("input bits must be in 1...16, got \(spec.inputBits)")
        }
        for (l, layer) in spec.layers.enumerated() {
            let width = spec.inputWidth(ofLayer: l)
            let addressBits = spec.tableAddressBits(ofLayer: l)
            guard layer.outputBits >= 1, layer.outputBits <= 16 else {
                throw LUTInferenceError("layer \(l): output bits must be in 1...16, got \(layer.outputBits)")
            }
            guard addressBits <= 24 else {
                throw LUTInferenceError("layer \(l): table address of \(addressBits) bits is too large (at most 24)")
            }
            guard connectivity.inputs[l].count == layer.partitions, tables[l].count == layer.partitions else {
                throw LUTInferenceError(
                    "layer \(l): spec has \(layer.partitions) partitions, connectivity \(connectivity.inputs[l].count), tables"
                        + " \(tables[l].count)"
                )
            }
            for p in 0..<layer.partitions {
                let inputs = connectivity.inputs[l][p]
                guard inputs.count == layer.fanIn, inputs.allSatisfy({ (0..<width).contains($0) }) else {
                    throw LUTInferenceError(
                        "\(PartitionID(layer: l, index: p)): expected \(layer.fanIn) inputs in 0..<\(width), got \(inputs)")
                }
                let table = tables[l][p]
                guard table.addressBits == addressBits, table.outputBits == layer.outputBits else {
                    throw LUTInferenceError(
                        "\(PartitionID(layer: l, index: p)): table is \(table.addressBits)→\(table.outputBits) bits, spec says"
                            + " \(addressBits)→\(layer.outputBits)"
                    )
                }
                let limit = UInt16(truncatingIfNeeded: (1 << layer.outputBits) - 1)
                if layer.outputBits < 16, let bad = table.codes.firstIndex(where: { $0 > limit }) {
                    throw LUTInferenceError(
                        "\(PartitionID(layer: l, index: p)): table entry \(bad) is \(table.codes[bad]), wider than \(layer.outputBits) bits"
                    )
                }
            }
        }
    }

    /// Output codes of the last layer for `count` samples of input codes
    /// (`codes` is row-major, `spec.inputFeatures` codes per sample, offset
    /// binary). Returns `count × lastLayer.partitions` codes, row-major.
    /// Uses all cores; the result does not depend on how work is split.
    public func infer(codes: [UInt16], count: Int) throws -> [UInt16] {
        let plan = try LUTEvaluationPlan(self)
        try checkCodes(codes, count: count)
        return plan.run(count: count) { sample, destination in
            for f in 0..<plan.inputWidth { destination[f] = codes[sample * plan.inputWidth + f] }
        }
    }

    /// Input codes of every row of `dataset`, row-major, through `encoder`.
    public func encode(dataset: Dataset) throws -> [UInt16] {
        try checkColumns(of: dataset)
        let columns = dataset.columns
        var out = [UInt16](repeating: 0, count: dataset.rows * columns)
        dataset.features.withUnsafeBufferPointer { features in
            out.withUnsafeMutableBufferPointer { codes in
                for i in 0..<features.count { codes[i] = encoder.code(features[i], feature: i % columns) }
            }
        }
        return out
    }

    /// Last-layer output codes of every row of `dataset` (raw features are
    /// encoded on the fly by `encoder`).
    public func infer(dataset: Dataset) throws -> [UInt16] {
        try checkColumns(of: dataset)
        let plan = try LUTEvaluationPlan(self)
        let encoder = self.encoder
        let features = dataset.features
        return plan.run(count: dataset.rows) { sample, destination in
            let base = sample * plan.inputWidth
            for f in 0..<plan.inputWidth { destination[f] = encoder.code(features[base + f], feature: f) }
        }
    }

    /// Predicted class per sample from input codes.
    public func classify(codes: [UInt16], count: Int) throws -> [Int] {
        spec.predictedClasses(outputCodes: try infer(codes: codes, count: count))
    }

    /// Predicted class per row of `dataset`.
    public func classify(dataset: Dataset) throws -> [Int] {
        spec.predictedClasses(outputCodes: try infer(dataset: dataset))
    }

    /// Fraction of rows of `dataset` whose predicted class equals the label.
    public func accuracy(dataset: Dataset) throws -> Double {
        let classes = try classify(dataset: dataset)
        guard !classes.isEmpty else { return 0 }
        var correct = 0
        for (i, c) in classes.enumerated() where Int(dataset.labels[i]) == c { correct += 1 }
        return Double(correct) / Double(classes.count)
    }

    /// `count` samples of in-range input codes.
    func checkCodes(_ codes: [UInt16], count: Int) throws {
        guard codes.count == count * spec.inputFeatures else {
            throw LUTInferenceError("expected \(count) × \(spec.inputFeatures) input codes, got \(codes.count)")
        }
        let limit = UInt16(truncatingIfNeeded: (1 << spec.inputBits) - 1)
        if spec.inputBits < 16, let bad = codes.firstIndex(where: { $0 > limit }) {
            throw LUTInferenceError(
                "input code \(codes[bad]) of sample \(bad / spec.inputFeatures), feature \(bad % spec.inputFeatures) is wider"
                    + " than \(spec.inputBits) bits"
            )
        }
    }

    func checkColumns(of dataset: Dataset) throws {
        guard dataset.columns == spec.inputFeatures, encoder.scale.count == spec.inputFeatures else {
            throw LUTInferenceError(
                "data set has \(dataset.columns) features and the input encoder \(encoder.scale.count), the network expects"
                    + " \(spec.inputFeatures)"
            )
        }
    }
}

/// The network flattened into contiguous arrays, so the inner loop is a
/// handful of loads per partition.
struct LUTEvaluationPlan: Sendable {
    struct Layer: Sendable {
        var inputBits: Int
        var fanIn: Int
        var partitions: Int
        var addressBits: Int
        /// `partitions × fanIn` input indices.
        var connections: [Int32]
        /// `partitions × 2^addressBits` codes.
        var tables: [UInt16]
    }

    var inputWidth: Int
    var layers: [Layer]
    var outputWidth: Int
    var widest: Int

    init(_ network: LUTNetwork) throws {
        try network.validate()
        let spec = network.spec
        inputWidth = spec.inputFeatures
        layers = spec.layers.indices.map { l in
            Layer(
                inputBits: spec.inputBits(ofLayer: l),
                fanIn: spec.layers[l].fanIn,
                partitions: spec.layers[l].partitions,
                addressBits: spec.tableAddressBits(ofLayer: l),
                connections: network.connectivity.inputs[l].flatMap { $0.map(Int32.init) },
                tables: network.tables[l].flatMap(\.codes))
        }
        outputWidth = spec.layers.last?.partitions ?? 0
        widest = max(inputWidth, spec.layers.map(\.partitions).max() ?? 0)
    }

    /// Evaluates `count` samples; `load(sample, buffer)` writes the sample's
    /// `inputWidth` input codes into `buffer`. Samples are split into
    /// contiguous chunks across cores.
    func run(count: Int, load: @escaping @Sendable (Int, UnsafeMutableBufferPointer<UInt16>) -> Void) -> [UInt16] {
        let outputWidth = self.outputWidth, widest = self.widest
        guard count > 0, outputWidth > 0 else { return [] }
        let chunkSize = 4096
        let chunks = (count + chunkSize - 1) / chunkSize
        let rows = Parallel.map(count: chunks) { chunk -> [UInt16] in
            let start = chunk * chunkSize
            let end = min(count, start + chunkSize)
            var result = [UInt16](repeating: 0, count: (end - start) * outputWidth)
            let current = UnsafeMutableBufferPointer<UInt16>.allocate(capacity: widest)
            let next = UnsafeMutableBufferPointer<UInt16>.allocate(capacity: widest)
            defer {
                current.deallocate()
                next.deallocate()
            }
            result.withUnsafeMutableBufferPointer { out in
                var ignore = IgnoredAddresses()
                for sample in start..<end {
                    load(sample, current)
                    let a = evaluate(current, next, observer: &ignore)
                    for i in 0..<outputWidth { out[(sample - start) * outputWidth + i] = a[i] }
                }
            }
            return result
        }
        return Array(rows.joined())
    }

    /// Counts, per layer, how many of `count` samples look up each table
    /// entry (`partition << addressBits | address`); `load` as in `run`.
    /// Workers count into their own arrays, summed at the end, so the result
    /// does not depend on how work is split.
    func countLookups(count: Int, load: @escaping @Sendable (Int, UnsafeMutableBufferPointer<UInt16>) -> Void) -> [[UInt32]] {
        let sizes = layers.map { $0.partitions << $0.addressBits }
        guard count > 0 else { return sizes.map { [UInt32](repeating: 0, count: $0) } }
        let widest = self.widest
        let chunkSize = 4096
        let chunks = (count + chunkSize - 1) / chunkSize
        // Each worker holds a counter per table entry of the network: a few workers suffice.
        let threads = min(CPUAllocation.count, 4, chunks)
        let counters = (0..<threads).map { _ in LookupCounter(sizes: sizes) }
        Workers.forEach(chunks, threads: threads) { chunk, worker in
            let current = UnsafeMutableBufferPointer<UInt16>.allocate(capacity: widest)
            let next = UnsafeMutableBufferPointer<UInt16>.allocate(capacity: widest)
            defer {
                current.deallocate()
                next.deallocate()
            }
            var counter = counters[worker]
            for sample in chunk * chunkSize..<min(count, (chunk + 1) * chunkSize) {
                load(sample, current)
                _ = evaluate(current, next, observer: &counter)
            }
        }
        return sizes.indices.map { l in
            var total = [UInt32](repeating: 0, count: sizes[l])
            for counter in counters {
                for i in 0..<sizes[l] { total[i] &+= counter.layers[l][i] }
            }
            return total
        }
    }

    /// One sample through every layer, starting in `current`; returns the
    /// buffer holding the last layer's codes (one of the two given).
    @inline(__always)
    func evaluate<Observer: LookupObserver>(
        _ current: UnsafeMutableBufferPointer<UInt16>,
        _ next: UnsafeMutableBufferPointer<UInt16>,
        observer: inout Observer
    ) -> UnsafeMutableBufferPointer<UInt16> {
        var a = current, b = next
        for (l, layer) in layers.enumerated() {
            evaluate(layer, index: l, from: a, to: b, observer: &observer)
            swap(&a, &b)
        }
        return a
    }

    @inline(__always)
    private func evaluate<Observer: LookupObserver>(
        _ layer: Layer, index l: Int, from input: UnsafeMutableBufferPointer<UInt16>,
        to output: UnsafeMutableBufferPointer<UInt16>, observer: inout Observer
    ) {
        let bits = layer.inputBits, fanIn = layer.fanIn, addressBits = layer.addressBits
        layer.connections.withUnsafeBufferPointer { connections in
            layer.tables.withUnsafeBufferPointer { tables in
                for p in 0..<layer.partitions {
                    var address = 0
                    for k in 0..<fanIn {
                        address = (address << bits) | Int(input[Int(connections[p * fanIn + k])])
                    }
                    let entry = (p << addressBits) | address
                    observer.lookedUp(layer: l, entry: entry)
                    output[p] = tables[entry]
                }
            }
        }
    }
}

/// Sees every table lookup of an evaluation (layer, `partition << addressBits | address`).
protocol LookupObserver {
    mutating func lookedUp(layer: Int, entry: Int)
}

/// Plain inference: lookups are not recorded (compiles to nothing).
struct IgnoredAddresses: LookupObserver {
    @inline(__always) func lookedUp(layer: Int, entry: Int) {}
}

/// Counts lookups per table entry, one worker's share.
struct LookupCounter: LookupObserver, @unchecked Sendable {
    /// Per layer, `partitions << addressBits` counts; owned by one worker at a time.
    let layers: [UnsafeMutableBufferPointer<UInt32>]
    private let storage: Storage

    final class Storage: @unchecked Sendable {
        let buffers: [UnsafeMutableBufferPointer<UInt32>]
        init(sizes: [Int]) {
            buffers = sizes.map { size in
                let buffer = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: max(size, 1))
                buffer.initialize(repeating: 0)
                return buffer
            }
        }
        deinit { for buffer in buffers { buffer.deallocate() } }
    }

    init(sizes: [Int]) {
        storage = Storage(sizes: sizes)
        layers = storage.buffers
    }

    @inline(__always) func lookedUp(layer: Int, entry: Int) { layers[layer][entry] &+= 1 }
}

/// Runs independent work items on all cores, for modules outside NeuraLUT
/// (RTL emits partition modules with it).
public enum Parallel {
    /// `[body(0), body(1), …]`, computed concurrently; the result's order
    /// never depends on scheduling.
    public static func map<T: Sendable>(count: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
        var results = [T?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { buffer in
            let base = UnsafeSendable(buffer.baseAddress!)
            Workers.forEach(count, threads: CPUAllocation.count) { i, _ in
                (base.value + i).pointee = body(i)
            }
        }
        return results.map { $0! }
    }
}

/// LUT inference on inconsistent tables failed (exit 1).
extension LUTInferenceError: UserFacingError {
    public var userErrors: [UserError] { [UserError(description)] }
}
