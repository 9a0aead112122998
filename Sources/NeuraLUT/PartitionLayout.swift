/// Where each parameter of one partition's sub-network lives in its flat
/// parameter vector (the order documented in docs/training.md):
/// for each linear layer k: weights `[out][in]`, bias `[out]`, then the skip
/// weights `[out][in]` when layer k ends a skip block; finally the
/// batch-norm scale γ and shift β.
///
/// Activation a₀ is the partition input (F values); layer k maps aₖ to aₖ₊₁
/// (ReLU on all but the last, which outputs one value). With skip `S ≥ 2`,
/// layer k with `(k+1) % S == 0` also adds `R·aₖ₊₁₋ₛ`.
///
/// A learned table (depth 0) has no layers: its parameters are its `2^F`
/// entries (entry `a` is the output when input i's bit is bit i of `a`),
/// then γ and β.
struct PartitionLayout: Hashable, Sendable {
    let fanIn: Int
    let shape: PartitionShape
    /// Width of activation k, `dims[0] = fanIn`, `dims[depth] = 1`.
    let dims: [Int]
    let weightOffset: [Int]
    let biasOffset: [Int]
    /// Offset of layer k's skip weights, nil when layer k has no skip.
    let skipOffset: [Int?]
    /// Entries of a learned table, 0 for a sub-network.
    let tableEntries: Int
    let gammaOffset: Int
    let betaOffset: Int
    let parameterCount: Int

    init(fanIn: Int, shape: PartitionShape) {
        self.fanIn = fanIn
        self.shape = shape
        if shape.isLearnedTable {
            (dims, weightOffset, biasOffset, skipOffset) = ([fanIn], [], [], [])
            tableEntries = 1 << fanIn
            (gammaOffset, betaOffset, parameterCount) = (tableEntries, tableEntries + 1, tableEntries + 2)
            return
        }
        tableEntries = 0
        let depth = max(shape.depth, 1)
        var dims = [fanIn]
        for _ in 1..<max(depth, 1) { dims.append(shape.width) }
        dims.append(1)
        self.dims = dims
        var offset = 0
        var w: [Int] = [], b: [Int] = [], s: [Int?] = []
        for k in 0..<depth {
            w.append(offset)
            offset += dims[k + 1] * dims[k]
            b.append(offset)
            offset += dims[k + 1]
            if let source = PartitionLayout.skipSource(layer: k, skip: shape.skip) {
                s.append(offset)
                offset += dims[k + 1] * dims[source]
            } else {
                s.append(nil)
            }
        }
        weightOffset = w
        biasOffset = b
        skipOffset = s
        gammaOffset = offset
        betaOffset = offset + 1
        parameterCount = offset + 2
    }

    /// Linear layers; 0 for a learned table.
    var depth: Int { dims.count - 1 }

    var isTable: Bool { shape.isLearnedTable }

    /// The activation a skip into layer `layer`'s output reads, if any.
    static func skipSource(layer k: Int, skip: Int) -> Int? {
        guard skip >= 2, (k + 1) % skip == 0 else { return nil }
        return k + 1 - skip
    }

    func skipSource(layer k: Int) -> Int? { PartitionLayout.skipSource(layer: k, skip: shape.skip) }
}

extension PartitionLayout {
    /// Multiply-adds of one sample's forward pass through the sub-network.
    var multiplyAdds: Int {
        (0..<depth).reduce(0) { sum, k in
            sum + dims[k] * dims[k + 1] + (skipSource(layer: k).map { dims[$0] * dims[k + 1] } ?? 0)
        }
    }
}

extension NetworkSpec {
    /// Useful floating-point operations of one training step per sample:
    /// the forward product and the backward pass's two (input and weight
    /// gradients), 2 per multiply-add, as GEMM figures count them. The
    /// backward pass's recomputation of hidden activations is not counted,
    /// so `samples/s × this` can be held against `machine.sgemm_gflops`.
    public var trainingFlopsPerSample: Double {
        Double(layers.reduce(0) { $0 + $1.partitions * PartitionLayout(fanIn: $1.fanIn, shape: $1.shape).multiplyAdds }) * 6
    }
}
