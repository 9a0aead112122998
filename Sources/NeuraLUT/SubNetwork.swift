/// Forward and backward passes of one partition's dense sub-network
/// (everything before its output batch-norm) on a tile of `count` samples.
///
/// Activation 0 (the partition input) is read with rows `xStride` apart, so
/// a tile can sit inside a larger batch; activations j ≥ 1 live in `hidden`
/// block j−1 (`width × tile` floats, rows `tile` apart); the last layer
/// writes the contiguous row `y`.
///
/// A learned table's layout (depth 0) has no sub-network: every pass goes to
/// `LearnedTable`, which needs the grid of the layer's input codes (`tableInputs`).
struct SubNetwork {
    let layout: PartitionLayout
    /// Row stride of hidden activations: the largest tile.
    let tile: Int
    /// The learned table's passes; nil for a dense sub-network.
    let table: LearnedTable?

    /// `tableInputs` is needed for the passes of a learned table only, not for the buffer sizes.
    init(layout: PartitionLayout, tile: Int, tableInputs: TableInputs? = nil) {
        self.layout = layout
        self.tile = tile
        table = layout.isTable ? tableInputs.map { LearnedTable(fanIn: layout.fanIn, inputs: $0) } : nil
    }

    /// The learned table's passes; a caller that runs one without the input grid is a bug.
    private var learnedTable: LearnedTable? {
        guard layout.isTable else { return nil }
        guard let table else { preconditionFailure("a learned table's passes need its layer's input grid") }
        return table
    }

    var hiddenCount: Int { layout.isTable ? 0 : (layout.depth - 1) * layout.shape.width * tile }

    /// Floats of the transposed weights the backward pass reads (`transposeWeights`):
    /// for a learned table, its input slopes.
    var transposedCount: Int { layout.isTable ? layout.tableEntries * layout.fanIn : layout.parameterCount }

    /// Writes every weight matrix of `params` transposed (`[in][out]`) into
    /// `transposed`, at the offset the matrix has in `params`: the input
    /// gradients' products read them, and doing it once per batch instead of
    /// once per tile keeps the scalar shuffles out of the tile loop.
    func transposeWeights(params: UnsafePointer<Float>, into transposed: UnsafeMutablePointer<Float>) {
        if let table = learnedTable { return table.slopes(params: params, into: transposed) }
        for k in 0..<layout.depth {
            let outDim = layout.dims[k + 1]
            Kernels.transpose(
                params + layout.weightOffset[k], into: transposed + layout.weightOffset[k], outDim: outDim, inDim: layout.dims[k])
            if let s = layout.skipSource(layer: k), let off = layout.skipOffset[k] {
                Kernels.transpose(params + off, into: transposed + off, outDim: outDim, inDim: layout.dims[s])
            }
        }
    }

    /// Floats of the partial sums `backward` accumulates parameter gradients in.
    var gradientLaneCount: Int { layout.gammaOffset * Kernels.Half.scalarCount }

    /// Writes the parameter gradients (all but γ, β) that `backward` summed
    /// into `lanes` over all tiles: each one's 8 partial sums, added in a fixed order.
    func reduceGradients(lanes: UnsafePointer<Float>, into grads: UnsafeMutablePointer<Float>) {
        Kernels.reduceLanes(lanes, into: grads, count: layout.gammaOffset)
    }

    /// The layer whose skip reads activation `j`, if any.
    private func skipConsumer(of j: Int) -> Int? {
        let m = j + layout.shape.skip - 1
        guard m > j, m < layout.depth, layout.skipSource(layer: m) == j else { return nil }
        return m
    }

    @inline(__always)
    private func activation(_ j: Int, x: UnsafePointer<Float>, xStride: Int, hidden: UnsafePointer<Float>) -> (UnsafePointer<Float>, Int) {
        j == 0 ? (x, xStride) : (hidden + (j - 1) * layout.shape.width * tile, tile)
    }

    /// Computes the hidden activations into `hidden` and, when `y` is given,
    /// the output row (the backward pass's recomputation needs only the hidden ones).
    func forward(
        params: UnsafePointer<Float>, x: UnsafePointer<Float>, xStride: Int, hidden: UnsafeMutablePointer<Float>,
        y: UnsafeMutablePointer<Float>?, count: Int
    ) {
        if let table = learnedTable {
            if let y { table.forward(params: params, x: x, xStride: xStride, y: y, count: count) }
            return
        }
        let depth = layout.depth
        for k in 0..<depth {
            let out: UnsafeMutablePointer<Float>
            if k < depth - 1 {
                out = hidden + k * layout.shape.width * tile
            } else if let y {
                out = y
            } else {
                break
            }
            let relu = k < depth - 1
            let source = layout.skipSource(layer: k)
            let (a, aStride) = activation(k, x: x, xStride: xStride, hidden: hidden)
            var skip: Kernels.Term?
            if let s = source, let off = layout.skipOffset[k] {
                let (b, bStride) = activation(s, x: x, xStride: xStride, hidden: hidden)
                skip = Kernels.Term(w: params + off, x: b, xStride: bStride, inDim: layout.dims[s])
            }
            Kernels.affine(
                out: out, outStride: tile, w: params + layout.weightOffset[k], bias: params + layout.biasOffset[k],
                x: a, xStride: aStride, inDim: layout.dims[k], outDim: layout.dims[k + 1],
                count: count, accumulate: false, relu: relu, skip: skip)
        }
    }

    /// Backpropagates `dy` (∂L/∂y, zero on padding lanes) through the
    /// activations the forward pass left in `hidden`, with the weights
    /// `transposeWeights` wrote into `transposed`. Adds the tile's parameter
    /// gradients (all but γ, β) into `gradientLanes` when given (8 partial
    /// sums per parameter, see `Kernels.weightGradient`; `reduceGradients`
    /// turns them into gradients after the last tile), or writes them there
    /// when `firstTile` (what was there is ignored), and writes ∂L/∂x
    /// (rows `xStride` apart) into `dx` when given. `dHidden` has
    /// `hiddenCount` floats.
    ///
    /// The gradient of each activation is one product, written once: the
    /// skip that reads it (a later layer, so its gradient is known) first,
    /// then the layer that reads it, both summed in the same registers, and
    /// the ReLU mask applied before the store; the sums are the ones separate
    /// accumulating calls would take, in the same order, so the bits are the same.
    func backward(
        transposed: UnsafePointer<Float>, gradientLanes lanes: UnsafeMutablePointer<Float>?, x: UnsafePointer<Float>, xStride: Int,
        hidden: UnsafePointer<Float>, dy: UnsafePointer<Float>,
        dx: UnsafeMutablePointer<Float>?, dHidden: UnsafeMutablePointer<Float>, count: Int, firstTile: Bool
    ) {
        if let table = learnedTable {
            return table.backward(
                slopes: transposed, gradientLanes: lanes, x: x, xStride: xStride, dy: dy, dx: dx, count: count, firstTile: firstTile)
        }
        let depth = layout.depth
        let block = layout.shape.width * tile
        // ∂L/∂(pre-activation of layer k's output): `dy` for the last layer, else dHidden block k.
        func dz(_ k: Int) -> UnsafePointer<Float> { k == depth - 1 ? dy : UnsafePointer(dHidden + k * block) }
        for k in stride(from: depth - 1, through: 0, by: -1) {
            let (inDim, outDim) = (layout.dims[k], layout.dims[k + 1])
            if let lanes {
                let (a, aStride) = activation(k, x: x, xStride: xStride, hidden: hidden)
                let step = Kernels.Half.scalarCount
                Kernels.weightGradient(
                    dw: lanes + layout.weightOffset[k] * step, db: lanes + layout.biasOffset[k] * step, dz: dz(k),
                    dzStride: tile, x: a, xStride: aStride, inDim: inDim, outDim: outDim, count: count, fresh: firstTile)
                if let s = layout.skipSource(layer: k), let off = layout.skipOffset[k] {
                    let (b, bStride) = activation(s, x: x, xStride: xStride, hidden: hidden)
                    Kernels.weightGradient(
                        dw: lanes + off * step, db: nil, dz: dz(k), dzStride: tile, x: b, xStride: bStride,
                        inDim: layout.dims[s], outDim: outDim, count: count, fresh: firstTile)
                }
            }
            // ∂L/∂a_k; for a hidden a_k, masked by its ReLU, it is dz(k − 1).
            let target = k == 0 ? dx.map { ($0, xStride) } : (dHidden + (k - 1) * block, tile)
            guard let (da, daStride) = target else { continue }
            let own = Kernels.Term(w: transposed + layout.weightOffset[k], x: dz(k), xStride: tile, inDim: outDim)
            var first = own
            var second: Kernels.Term?
            if let m = skipConsumer(of: k), let off = layout.skipOffset[m] {
                first = Kernels.Term(w: transposed + off, x: dz(m), xStride: tile, inDim: layout.dims[m + 1])
                second = own
            }
            Kernels.affine(
                out: da, outStride: daStride, w: first.w, bias: nil, x: first.x, xStride: first.xStride,
                inDim: first.inDim, outDim: inDim, count: count, accumulate: false, relu: false, skip: second,
                mask: k == 0 ? nil : hidden + (k - 1) * block)
        }
    }
}
