/// Forward and backward passes of one partition's dense sub-network
/// (everything before its output batch-norm) on a tile of `count` samples.
///
/// Activation 0 (the partition input) is read with rows `xStride` apart, so
/// a tile can sit inside a larger batch; activations j ≥ 1 live in `hidden`
/// block j−1 (`width × tile` floats, rows `tile` apart); the last layer
/// writes the contiguous row `y`.
struct SubNetwork {
    let layout: PartitionLayout
    /// Row stride of hidden activations: the largest tile.
    let tile: Int

    init(layout: PartitionLayout, tile: Int) {
        self.layout = layout
        self.tile = tile
    }

    var hiddenCount: Int { (layout.depth - 1) * layout.shape.width * tile }

    /// Scratch floats the backward pass needs for transposed weights.
    var transposeScratchCount: Int {
        var m = 0
        for k in 0..<layout.depth {
            m = max(m, layout.dims[k] * layout.dims[k + 1])
            if let s = layout.skipSource(layer: k) { m = max(m, layout.dims[s] * layout.dims[k + 1]) }
        }
        return m
    }

    @inline(__always)
    private func activation(_ j: Int, x: UnsafePointer<Float>, xStride: Int, hidden: UnsafePointer<Float>) -> (UnsafePointer<Float>, Int) {
        j == 0 ? (x, xStride) : (hidden + (j - 1) * layout.shape.width * tile, tile)
    }

    func forward(
        params: UnsafePointer<Float>, x: UnsafePointer<Float>, xStride: Int, hidden: UnsafeMutablePointer<Float>,
        y: UnsafeMutablePointer<Float>, count: Int
    ) {
        let depth = layout.depth
        for k in 0..<depth {
            let out = k == depth - 1 ? y : hidden + k * layout.shape.width * tile
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

    /// Backpropagates `dy` (∂L/∂y, zero on padding lanes; overwritten)
    /// through the activations the forward pass left in `hidden`. Writes
    /// (or, with `accumulate`, adds) parameter gradients (all but γ, β) into
    /// `grads` when given, and writes ∂L/∂x (rows `xStride` apart) into `dx`
    /// when given. `dHidden` has `hiddenCount` floats.
    func backward(
        params: UnsafePointer<Float>, grads: UnsafeMutablePointer<Float>?, accumulate: Bool,
        x: UnsafePointer<Float>, xStride: Int, hidden: UnsafePointer<Float>, dy: UnsafeMutablePointer<Float>,
        dx: UnsafeMutablePointer<Float>?, dHidden: UnsafeMutablePointer<Float>,
        transposeScratch: UnsafeMutablePointer<Float>, count: Int
    ) {
        let depth = layout.depth
        let width = layout.shape.width
        dHidden.update(repeating: 0, count: hiddenCount)
        if let dx { for i in 0..<layout.fanIn { (dx + i * xStride).update(repeating: 0, count: count) } }
        func gradient(_ j: Int) -> (UnsafeMutablePointer<Float>, Int)? {
            if j == 0 { return dx.map { ($0, xStride) } }
            return (dHidden + (j - 1) * width * tile, tile)
        }
        for k in stride(from: depth - 1, through: 0, by: -1) {
            // ∂L/∂(pre-activation of layer k's output).
            let (dz, dzStride) = k == depth - 1 ? (dy, tile) : gradient(k + 1)!
            if k < depth - 1 {
                Kernels.reluMask(dz, activation: hidden + k * width * tile, count: width * tile)
            }
            let (inDim, outDim) = (layout.dims[k], layout.dims[k + 1])
            let (a, aStride) = activation(k, x: x, xStride: xStride, hidden: hidden)
            if let grads {
                Kernels.weightGradient(
                    dw: grads + layout.weightOffset[k], db: grads + layout.biasOffset[k], dz: dz, dzStride: dzStride,
                    x: a, xStride: aStride, inDim: inDim, outDim: outDim, count: count, accumulate: accumulate)
            }
            if let (da, daStride) = gradient(k) {
                Kernels.transpose(params + layout.weightOffset[k], into: transposeScratch, outDim: outDim, inDim: inDim)
                Kernels.affine(
                    out: da, outStride: daStride, w: transposeScratch, bias: nil, x: dz, xStride: dzStride,
                    inDim: outDim, outDim: inDim, count: count, accumulate: true, relu: false)
            }
            if let s = layout.skipSource(layer: k), let off = layout.skipOffset[k] {
                let (b, bStride) = activation(s, x: x, xStride: xStride, hidden: hidden)
                if let grads {
                    Kernels.weightGradient(
                        dw: grads + off, db: nil, dz: dz, dzStride: dzStride, x: b, xStride: bStride,
                        inDim: layout.dims[s], outDim: outDim, count: count, accumulate: accumulate)
                }
                if let (db, dbStride) = gradient(s) {
                    Kernels.transpose(params + off, into: transposeScratch, outDim: outDim, inDim: layout.dims[s])
                    Kernels.affine(
                        out: db, outStride: dbStride, w: transposeScratch, bias: nil, x: dz, xStride: dzStride,
                        inDim: outDim, outDim: layout.dims[s], count: count, accumulate: true, relu: false)
                }
            }
        }
    }
}
