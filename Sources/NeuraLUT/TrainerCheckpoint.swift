import Datasets
import DeterministicJSON
import Foundation

/// Resumable checkpoints: everything that determines the rest of the run
/// (weights, AdamW moments and step, running statistics, scales, epoch and
/// batch position — shuffles derive from (seed, epoch), so that is the whole
/// RNG state — the epoch's running sums, the log and the best network, and
/// with a wiring search its state and the best network's wiring).
/// Format (little-endian): "NLCK", version UInt32, a JSON header blob
/// (spec, config, trainable partitions, row count, data fingerprint,
/// connectivity), then the state.
extension Trainer {
    static let checkpointMagic = "NLCK"
    static let checkpointVersion: UInt32 = 2

    struct CheckpointHeader: Codable {
        var spec: NetworkSpec
        var config: TrainingConfig
        /// Nil for full training.
        var trainable: [PartitionID]?
        var rows: Int
        /// `Trainer.fingerprint(data)`.
        var data: String
        var connectivity: Connectivity
    }

    /// A cheap digest (FNV-1a) of the data's feature bit patterns, labels and
    /// shape, so a run is never resumed on other data of the same size.
    static func fingerprint(_ data: Dataset) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        let prime: UInt64 = 0x100_0000_01b3
        data.features.withUnsafeBufferPointer { features in
            for v in features { h = (h ^ UInt64(v.bitPattern)) &* prime }
        }
        for label in data.labels { h = (h ^ UInt64(UInt32(bitPattern: label))) &* prime }
        h = (h ^ UInt64(data.columns)) &* prime
        return String(h, radix: 16)
    }

    var trainableSet: [PartitionID]? {
        guard !globalTrainable else { return nil }
        return spec.layers.indices.flatMap { l in
            (0..<spec.layers[l].partitions).filter { trainable[l][$0] }.map { PartitionID(layer: l, index: $0) }
        }
    }

    /// The resumable state at the current batch boundary.
    public func checkpoint() throws -> [UInt8] {
        var w = ByteWriter()
        w.append(magic: Self.checkpointMagic)
        w.append(Self.checkpointVersion)
        w.append(
            blob: Array(
                try DeterministicJSON.compact(
                    CheckpointHeader(
                        spec: spec, config: config, trainable: trainableSet, rows: data.rows, data: dataFingerprint,
                        connectivity: connectivity))))
        for buffer in [store.values, store.firstMoment, store.secondMoment] { w.append(buffer.array()) }
        w.append(store.running.flatMap { $0.flatMap { [$0.mean, $0.variance] } })
        w.append(store.inputRunning.flatMap { [$0.mean, $0.variance] })
        w.append(store.outputScales)
        w.append(store.inputScale)
        for v in [epoch, batchInEpoch, step, epochCorrect, epochSeen] { w.append(v) }
        for v in [epochLoss, epochSeconds, bestAccuracy] { w.append(v) }
        w.append(blob: Array(try DeterministicJSON.compact(log)))
        if let best {
            w.append(1)
            for layer in best.partitions { for p in layer { w.append(blob: p.encoded()) } }
            w.append(blob: best.quantizers.encoded())
            // The search moves the wiring after the epoch that selected `best`.
            if wiringSearch != nil { w.append(blob: Array(try DeterministicJSON.compact(best.connectivity))) }
        } else {
            w.append(0)
        }
        wiringSearch?.write(to: &w)
        return w.bytes
    }

    /// Writes `checkpoint()` atomically (temp file + rename).
    public func writeCheckpoint(to url: URL) throws {
        try Data(try checkpoint()).write(to: url, options: .atomic)
    }

    /// Continues a run from `checkpoint()` bytes, on the same data (and validation set, if the run had one).
    public convenience init(
        resumingFrom bytes: [UInt8], data: Dataset, test: Dataset? = nil, validation: Dataset? = nil, teacher: [Float]? = nil
    ) throws {
        var r = ByteReader(bytes, what: "checkpoint")
        try r.expectHeader(magic: Self.checkpointMagic, version: Self.checkpointVersion)
        let header = try Self.decodeBlob(CheckpointHeader.self, &r, what: "header")
        guard header.rows == data.rows else {
            throw FormatError("checkpoint: written for \(header.rows) training rows, the data has \(data.rows)")
        }
        guard header.data == Self.fingerprint(data) else {
            throw FormatError("checkpoint: written for other training data (same row count, different values)")
        }
        let values = try r.floats(), first = try r.floats(), second = try r.floats()
        let running = try r.floats(), inputRunning = try r.floats()
        let scales = try r.floats()
        let inputScale = try r.float()
        try self.init(
            spec: header.spec, config: header.config, data: data, test: test,
            initial: header.trainable == nil ? nil : TrainedNetwork.initial(spec: header.spec),
            trainable: header.trainable.map(Set.init), validation: validation, connectivity: header.connectivity,
            teacher: teacher)
        guard values.count == store.count, first.count == store.count, second.count == store.count,
            running.count == 2 * store.running.joined().count, inputRunning.count == 2 * spec.inputFeatures,
            scales.count == spec.layers.count
        else {
            throw FormatError("checkpoint: state sizes do not match the network in its header")
        }
        store.values.copy(values, to: 0)
        store.firstMoment.copy(first, to: 0)
        store.secondMoment.copy(second, to: 0)
        var i = 0
        for l in store.running.indices {
            for p in store.running[l].indices {
                store.running[l][p] = .init(mean: running[i], variance: running[i + 1])
                i += 2
            }
        }
        store.setInputRunning(
            mean: (0..<spec.inputFeatures).map { inputRunning[2 * $0] },
            variance: (0..<spec.inputFeatures).map { inputRunning[2 * $0 + 1] })
        store.outputScales = scales
        store.inputScale = inputScale
        epoch = try r.int()
        batchInEpoch = try r.int()
        step = try r.int()
        epochCorrect = try r.int()
        epochSeen = try r.int()
        epochLoss = try r.double()
        epochSeconds = try r.double()
        bestAccuracy = try r.double()
        log = try Self.decodeBlob(TrainingLog.self, &r, what: "training log")
        if try r.int() == 1 {
            var partitions: [[PartitionWeights]] = []
            for layer in spec.layers {
                partitions.append(try (0..<layer.partitions).map { _ in try PartitionWeights(decoding: try r.blob()) })
            }
            let quantizers = try QuantizerParameters(decoding: try r.blob())
            let bestConnectivity =
                wiringSearch == nil ? connectivity : try Self.decodeBlob(Connectivity.self, &r, what: "wiring of the selected epoch")
            best = TrainedNetwork(spec: spec, connectivity: bestConnectivity, partitions: partitions, quantizers: quantizers)
        }
        try wiringSearch?.restore(from: &r)
        try r.expectEnd()
        if !globalTrainable { frozenEncoder = currentNetwork.encoder }
    }

    /// A JSON blob of the checkpoint; a damaged one is a `FormatError` naming `what`.
    private static func decodeBlob<T: Decodable>(_ type: T.Type, _ r: inout ByteReader, what: String) throws -> T {
        let blob = try r.blob()
        do {
            return try JSONDecoder().decode(type, from: Data(blob))
        } catch {
            throw FormatError("checkpoint: unreadable \(what) (\(error))")
        }
    }

    /// Continues a run from a checkpoint file.
    public static func resume(
        checkpoint url: URL, data: Dataset, test: Dataset? = nil, validation: Dataset? = nil, teacher: [Float]? = nil
    ) throws -> Trainer {
        try Trainer(resumingFrom: Array(try Data(contentsOf: url)), data: data, test: test, validation: validation, teacher: teacher)
    }
}
