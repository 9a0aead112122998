/// One trained partition: its sub-network's parameters and the running
/// statistics of its output batch-norm. The build engine stores each
/// partition as its own object (`encoded()`), so retraining one partition
/// leaves the others' bytes untouched.
public struct PartitionWeights: Hashable, Codable, Sendable {
    public var fanIn: Int
    public var shape: PartitionShape
    /// Flat parameters in the order of docs/training.md ("Weight file format").
    public var parameters: [Float]
    public var runningMean: Float
    public var runningVariance: Float

    public init(fanIn: Int, shape: PartitionShape, parameters: [Float], runningMean: Float, runningVariance: Float) {
        self.fanIn = fanIn
        self.shape = shape
        self.parameters = parameters
        self.runningMean = runningMean
        self.runningVariance = runningVariance
    }

    /// Fresh weights (PyTorch's default uniform ±1/√fan-in, γ = 1, β = 0;
    /// a learned table's entries uniform ±1, as DWN's) drawn from the
    /// partition's own stream, so a partition's initial weights never
    /// depend on which other partitions are trained.
    public static func initial(fanIn: Int, shape: PartitionShape, seed: UInt64, layer: Int, partition: Int) -> PartitionWeights {
        let layout = PartitionLayout(fanIn: fanIn, shape: shape)
        var rng = SeededRandom(seed: seed, stream: 0x1417, UInt64(layer), UInt64(partition))
        var p = [Float](repeating: 0, count: layout.parameterCount)
        func fill(_ offset: Int, _ count: Int, fanIn: Int) {
            let bound = 1 / Float(fanIn).squareRoot()
            for i in 0..<count { p[offset + i] = (rng.nextUnitFloat() * 2 - 1) * bound }
        }
        for k in 0..<layout.depth {
            let (i, o) = (layout.dims[k], layout.dims[k + 1])
            fill(layout.weightOffset[k], o * i, fanIn: i)
            fill(layout.biasOffset[k], o, fanIn: i)
            if let s = layout.skipSource(layer: k), let off = layout.skipOffset[k] {
                fill(off, o * layout.dims[s], fanIn: layout.dims[s])
            }
        }
        for a in 0..<layout.tableEntries { p[a] = rng.nextUnitFloat() * 2 - 1 }
        p[layout.gammaOffset] = 1
        p[layout.betaOffset] = 0
        return PartitionWeights(fanIn: fanIn, shape: shape, parameters: p, runningMean: 0, runningVariance: 1)
    }

    static let magic = "NLPW"
    static let version: UInt32 = 1

    /// Compact binary form: "NLPW", version, fan-in, width, depth, skip,
    /// parameter count (all UInt32 LE), the parameters, running mean and
    /// running variance (Float32 LE).
    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.append(magic: Self.magic)
        for v in [Self.version, UInt32(fanIn), UInt32(shape.width), UInt32(shape.depth), UInt32(shape.skip), UInt32(parameters.count)] {
            w.append(v)
        }
        for v in parameters { w.append(v) }
        w.append(runningMean)
        w.append(runningVariance)
        return w.bytes
    }

    public init(decoding bytes: [UInt8]) throws {
        var r = ByteReader(bytes, what: "partition weights")
        try r.expectHeader(magic: Self.magic, version: Self.version)
        let fanIn = Int(try r.uint32())
        let shape = PartitionShape(width: Int(try r.uint32()), depth: Int(try r.uint32()), skip: Int(try r.uint32()))
        let count = Int(try r.uint32())
        guard fanIn >= 1, shape.depth >= 0, shape.depth <= 1 || shape.width >= 1, fanIn < 64,
            !shape.isLearnedTable || fanIn <= NetworkSpec.maxTableAddressBits, shape.width < 1 << 16, shape.depth < 1 << 10
        else {
            throw FormatError("partition weights: implausible shape fan-in \(fanIn), \(shape)")
        }
        let expected = PartitionLayout(fanIn: fanIn, shape: shape).parameterCount
        guard count == expected else {
            throw FormatError("partition weights: \(count) parameters, expected \(expected) for fan-in \(fanIn) and \(shape)")
        }
        var params = [Float]()
        params.reserveCapacity(count)
        for _ in 0..<count { params.append(try r.float()) }
        let mean = try r.float()
        let variance = try r.float()
        try r.expectEnd()
        self.init(fanIn: fanIn, shape: shape, parameters: params, runningMean: mean, runningVariance: variance)
    }
}
