/// The two values a learned table's 1-bit inputs take: the layer's input
/// quantizer levels, `low` (address bit 0) and `low + step` (bit 1).
struct TableInputs: Sendable, Equatable {
    let low: Float
    let step: Float

    /// The grid of a 1-bit quantizer `range` at `scale`.
    init(range: Quantization.Range, scale: Float) {
        precondition(range.hi - range.lo == 1, "a learned table reads 1-bit inputs")
        low = range.lo * scale
        step = scale
    }

    /// The input grid of partitions of `shape` in the layer `table` describes when they are
    /// learned tables (else nil), its input codes at `inputScale`.
    init?(shape: PartitionShape, table: PartitionTableSpec, inputScale: Float) {
        guard shape.isLearnedTable else { return nil }
        self.init(range: table.inputRange, scale: inputScale)
    }

    /// Layer `layer`'s input grid when its partitions are learned tables (else nil), its input codes at `inputScale`.
    init?(layer: Int, of spec: NetworkSpec, inputScale: Float) {
        self.init(shape: spec.layers[layer].shape, table: spec.tableSpec(ofLayer: layer), inputScale: inputScale)
    }
}

/// Forward and backward passes of a partition that is its own truth table
/// (`depth = 0`), learned directly as DWN learns its LUTs: the output is
/// the entry its inputs address, so the entry gets the output's gradient,
/// and an input's gradient is DWN's extended finite difference: the
/// difference the input's bit makes to the output, averaged over the
/// addresses the other inputs reach when each flips with
/// `flipProbability` (a plain finite difference at 0).
///
/// Input i is bit i of the address; the parameters are `PartitionLayout`'s
/// (entries, then the batch-norm's γ and β).
struct LearnedTable {
    /// DWN's α = ½·0.75^(F−1) and β = ⅓ weigh an entry at Hamming distance d
    /// by ½·0.75^(F−1−d)·0.25^d: a flip probability of ¼ per other input, times ½.
    static let flipProbability: Float = 0.25

    let fanIn: Int
    let inputs: TableInputs

    var entries: Int { 1 << fanIn }

    /// Each sample's address, 8 samples at a time: the inputs are rows `xStride` apart.
    private func withAddresses<R>(
        _ x: UnsafePointer<Float>, xStride: Int, count: Int, _ body: (UnsafeMutablePointer<Int32>) -> R
    ) -> R {
        typealias V = SIMD8<Float>
        typealias A = SIMD8<Int32>
        let mid = inputs.low + 0.5 * inputs.step
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(count, 1)) { addresses in
            let out = addresses.baseAddress!
            var b = 0
            while b + V.scalarCount <= count {
                var a = A(repeating: 0)
                for i in 0..<fanIn {
                    let v = UnsafeRawPointer(x + i * xStride + b).loadUnaligned(as: V.self)
                    a.replace(with: a | A(repeating: Int32(1 << i)), where: v .> V(repeating: mid))
                }
                UnsafeMutableRawPointer(out + b).storeBytes(of: a, as: A.self)
                b += V.scalarCount
            }
            while b < count {
                var a: Int32 = 0
                for i in 0..<fanIn where x[i * xStride + b] > mid { a |= Int32(1 << i) }
                out[b] = a
                b += 1
            }
            return body(out)
        }
    }

    /// `y[b]` = the entry sample b's inputs address.
    func forward(params: UnsafePointer<Float>, x: UnsafePointer<Float>, xStride: Int, y: UnsafeMutablePointer<Float>, count: Int) {
        withAddresses(x, xStride: xStride, count: count) { addresses in
            for b in 0..<count { y[b] = params[Int(addresses[b])] }
        }
    }

    /// Floats `slopes` writes.
    var slopeCount: Int { entries * fanIn }

    /// `slopes[a·F + i]`: ∂y/∂xᵢ at address a, the extended finite difference
    /// divided by the input step. Once per batch, like the sub-network's transposed weights.
    func slopes(params: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let n = entries, p = Self.flipProbability, q = 1 - Self.flipProbability
        let half = 0.5 / inputs.step
        withUnsafeTemporaryAllocation(of: Float.self, capacity: n) { smoothed in
            for i in 0..<fanIn {
                for a in 0..<n { smoothed[a] = params[a] }
                // The expectation over independent flips of the other inputs, one input at a time.
                for m in 0..<fanIn where m != i {
                    let bit = 1 << m
                    for block in stride(from: 0, to: n, by: 2 * bit) {
                        for a in block..<block + bit {
                            let (u, v) = (smoothed[a], smoothed[a + bit])
                            smoothed[a] = q * u + p * v
                            smoothed[a + bit] = p * u + q * v
                        }
                    }
                }
                let bit = 1 << i
                for a in 0..<n { out[a * fanIn + i] = (smoothed[a | bit] - smoothed[a & ~bit]) * half }
            }
        }
    }

    /// Adds each sample's `dy` to its entry's gradient in `lanes` (8 partial
    /// sums per parameter, sample b in lane b mod 8, as `Kernels.reduceLanes`
    /// reads them; written afresh when `firstTile`), and writes
    /// `dx[i·xStride + b] = dy[b] · slope` when `dx` is given.
    func backward(
        slopes: UnsafePointer<Float>, gradientLanes lanes: UnsafeMutablePointer<Float>?, x: UnsafePointer<Float>, xStride: Int,
        dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>?, count: Int, firstTile: Bool
    ) {
        let step = Kernels.Half.scalarCount
        if let lanes, firstTile { lanes.update(repeating: 0, count: entries * step) }
        withAddresses(x, xStride: xStride, count: count) { addresses in
            if let lanes {
                for b in 0..<count { lanes[Int(addresses[b]) * step + b % step] += dy[b] }
            }
            guard let dx else { return }
            for i in 0..<fanIn {
                let row = dx + i * xStride
                for b in 0..<count { row[b] = dy[b] * slopes[Int(addresses[b]) * fanIn + i] }
            }
        }
    }
}
