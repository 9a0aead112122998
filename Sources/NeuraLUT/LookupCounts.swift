import Datasets

/// How many rows of some data look up each entry of each partition's table
/// when the data runs through the LUT network: the basis of care sets
/// (which addresses the training data reaches) and of coverage figures
/// (how many test lookups land outside them).
public struct LookupCounts: Sendable, Equatable {
    /// Table address bits per layer.
    public let addressBits: [Int]
    /// Per layer, `partitions × 2^addressBits` counts, partition-major.
    let counts: [[UInt32]]
    /// Rows that ran through the network.
    public let rows: Int

    /// The lookups of both, for the same network (e.g. training and validation rows).
    public static func + (a: LookupCounts, b: LookupCounts) -> LookupCounts {
        precondition(a.addressBits == b.addressBits && a.counts.map(\.count) == b.counts.map(\.count), "counts of different networks")
        return LookupCounts(
            addressBits: a.addressBits, counts: zip(a.counts, b.counts).map { zip($0, $1).map { $0 &+ $1 } },
            rows: a.rows + b.rows)
    }

    /// Lookups of `address` in partition `id`'s table.
    public func count(_ id: PartitionID, address: Int) -> Int {
        Int(counts[id.layer][id.index << addressBits[id.layer] | address])
    }

    /// The addresses of `id`'s table looked up at least `minimumHits` times (≥ 1).
    public func careSet(_ id: PartitionID, minimumHits: Int = 1) -> CareSet {
        precondition(minimumHits >= 1, "an address needs at least one hit to be cared for")
        let bits = addressBits[id.layer]
        let base = id.index << bits
        let threshold = UInt32(clamping: minimumHits)
        return counts[id.layer].withUnsafeBufferPointer { counts in
            CareSet(addressBits: bits) { counts[base + $0] >= threshold }
        }
    }

    /// `careSet` of every partition, `[layer][partition]`.
    public func careSets(minimumHits: Int = 1) -> [[CareSet]] {
        addressBits.indices.map { l in
            (0..<(counts[l].count >> addressBits[l])).map { careSet(PartitionID(layer: l, index: $0), minimumHits: minimumHits) }
        }
    }

    /// Lookups that land on addresses outside `careSets` (where a filled
    /// table may answer differently), and all lookups.
    public func lookups(outside careSets: [[CareSet]]) -> (outside: Int, total: Int) {
        precondition(
            careSets.count == counts.count && careSets.indices.allSatisfy { careSets[$0].count << addressBits[$0] == counts[$0].count },
            "one care set per partition")
        var outside = 0, total = 0
        for (l, layer) in careSets.enumerated() {
            for (p, set) in layer.enumerated() {
                let base = p << addressBits[l]
                for address in 0..<set.entries {
                    let hits = Int(counts[l][base + address])
                    total += hits
                    if !set.contains(address) { outside += hits }
                }
            }
        }
        return (outside, total)
    }
}

extension LUTNetwork {
    /// Table lookups of every row of `dataset` (raw features, encoded by `encoder`).
    public func lookupCounts(dataset: Dataset) throws -> LookupCounts {
        try checkColumns(of: dataset)
        let plan = try LUTEvaluationPlan(self)
        let encoder = self.encoder
        let features = dataset.features
        let counts = plan.countLookups(count: dataset.rows) { sample, destination in
            let base = sample * plan.inputWidth
            for f in 0..<plan.inputWidth { destination[f] = encoder.code(features[base + f], feature: f) }
        }
        return LookupCounts(addressBits: spec.layers.indices.map(spec.tableAddressBits(ofLayer:)), counts: counts, rows: dataset.rows)
    }

    /// Table lookups of `count` samples of input codes (as `infer(codes:count:)` takes them).
    public func lookupCounts(codes: [UInt16], count: Int) throws -> LookupCounts {
        let plan = try LUTEvaluationPlan(self)
        try checkCodes(codes, count: count)
        let counts = plan.countLookups(count: count) { sample, destination in
            for f in 0..<plan.inputWidth { destination[f] = codes[sample * plan.inputWidth + f] }
        }
        return LookupCounts(addressBits: spec.layers.indices.map(spec.tableAddressBits(ofLayer:)), counts: counts, rows: count)
    }

    /// Every partition's care set (`[layer][partition]`) from the lookups of
    /// `rows` (e.g. the training and the validation part): the addresses hit
    /// at least `minimumHits` times, widened by `widen` code steps on one input.
    public func careSets(rows: [Dataset], minimumHits: Int = 1, widen: Int = 0) throws -> [[CareSet]] {
        precondition(!rows.isEmpty, "care sets need rows")
        let counts = try rows.dropFirst().map(lookupCounts(dataset:)).reduce(try lookupCounts(dataset: rows[0]), +)
        return counts.careSets(minimumHits: minimumHits).enumerated().map { l, layer in
            layer.map { $0.widened(fanIn: spec.layers[l].fanIn, inputBits: spec.inputBits(ofLayer: l), steps: widen) }
        }
    }

    /// The same network computing `tables` instead of its own: a filled
    /// network, whose tables equal these on the care sets and come from
    /// the logic mapper elsewhere.
    public func replacingTables(_ tables: [[TruthTable]]) throws -> LUTNetwork {
        var network = self
        network.tables = tables
        try network.validate()
        return network
    }
}

/// What filling don't-cares did to a network, on test data: the exact and
/// the filled network's accuracy, and how many test lookups fall where the
/// filled tables may differ (docs/hardware.md, "Don't-cares").
public struct FillingEffect: Codable, Equatable, Sendable {
    public var exactTestAccuracy: Double
    public var filledTestAccuracy: Double
    /// The same on the validation rows (nil without them): filling is chosen on them, not on the test set.
    public var exactValidationAccuracy: Double?
    public var filledValidationAccuracy: Double?
    /// Share of the exact network's test-set table lookups on addresses outside the care sets.
    public var testLookupsOutsideCare: Double
    /// Cared-for table entries, over all partitions.
    public var caredEntries: Int
    /// All table entries.
    public var entries: Int

    public init(
        exactTestAccuracy: Double, filledTestAccuracy: Double, testLookupsOutsideCare: Double, caredEntries: Int,
        entries: Int, exactValidationAccuracy: Double? = nil, filledValidationAccuracy: Double? = nil
    ) {
        self.exactTestAccuracy = exactTestAccuracy
        self.filledTestAccuracy = filledTestAccuracy
        self.exactValidationAccuracy = exactValidationAccuracy
        self.filledValidationAccuracy = filledValidationAccuracy
        self.testLookupsOutsideCare = testLookupsOutsideCare
        self.caredEntries = caredEntries
        self.entries = entries
    }

    /// `filled` must be `exact` with other tables (`replacingTables`), equal on `careSets`.
    /// The validation accuracies are nil when `validation` is nil or has no rows.
    public init(exact: LUTNetwork, filled: LUTNetwork, careSets: [[CareSet]], test: Dataset, validation: Dataset? = nil) throws {
        guard filled.spec == exact.spec, filled.connectivity == exact.connectivity, filled.encoder == exact.encoder else {
            throw LUTInferenceError("the filled network must be the exact one with other tables")
        }
        exactTestAccuracy = try exact.accuracy(dataset: test)
        filledTestAccuracy = try filled.accuracy(dataset: test)
        if let validation, validation.rows > 0 {
            exactValidationAccuracy = try exact.accuracy(dataset: validation)
            filledValidationAccuracy = try filled.accuracy(dataset: validation)
        }
        let lookups = try exact.lookupCounts(dataset: test).lookups(outside: careSets)
        testLookupsOutsideCare = lookups.total == 0 ? 0 : Double(lookups.outside) / Double(lookups.total)
        caredEntries = careSets.joined().reduce(0) { $0 + $1.count }
        entries = careSets.joined().reduce(0) { $0 + $1.entries }
    }
}
