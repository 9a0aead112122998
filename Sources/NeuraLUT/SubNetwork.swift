/// Forward and backward passes of one partition's dense sub-network
/// (everything before its output batch-norm) on a padded batch.
///
/// Activation j lives at `x` for j = 0 and in `hidden` block j−1 (`width ×
/// batch` floats each) for j ≥ 1; the last layer writes `y` (one row).
struct SubNetwork {
    let layout: PartitionLayout
    let batch: Int

    var hiddenCount: Int { (layout.depth - 1) * layout.shape.width * batch }

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
    private func activation(_ j: Int, x: UnsafePointer<Float>, hidden: UnsafePointer<Float>) -> UnsafePointer<Float> {
        j == 0 ? x : hidden + (j - 1) * layout.shape.width * batch
    }

    func forward(params: UnsafePointer<Float>, x: UnsafePointer<Float>, hidden: UnsafeMutablePointer<Float>,
                 y: UnsafeMutablePointer<Float>) {
        let depth = layout.depth
        for k in 0..<depth {
            let out = k == depth - 1 ? y : hidden + k * layout.shape.width * batch
            let relu = k < depth - 1
            let source = layout.skipSource(layer: k)
            Kernels.affine(out: out, w: params + layout.weightOffset[k], bias: params + layout.biasOffset[k],
                           x: activation(k, x: x, hidden: hidden), inDim: layout.dims[k], outDim: layout.dims[k + 1],
                           batch: batch, accumulate: false, relu: relu && source == nil)
            if let s = source, let off = layout.skipOffset[k] {
                Kernels.affine(out: out, w: params + off, bias: nil, x: activation(s, x: x, hidden: hidden),
                               inDim: layout.dims[s], outDim: layout.dims[k + 1], batch: batch, accumulate: true, relu: relu)
            }
        }
    }

    /// Backpropagates `dy` (∂L/∂y, zero on padding lanes; overwritten).
    /// Writes parameter gradients (all but γ, β) into `grads` when given and
    /// ∂L/∂x into `dx` when given. `dHidden` has `hiddenCount` floats.
    func backward(params: UnsafePointer<Float>, grads: UnsafeMutablePointer<Float>?, x: UnsafePointer<Float>,
                  hidden: UnsafePointer<Float>, dy: UnsafeMutablePointer<Float>, dx: UnsafeMutablePointer<Float>?,
                  dHidden: UnsafeMutablePointer<Float>, transposeScratch: UnsafeMutablePointer<Float>) {
        let depth = layout.depth
        let width = layout.shape.width
        dHidden.update(repeating: 0, count: hiddenCount)
        if let dx { dx.update(repeating: 0, count: layout.fanIn * batch) }
        func gradient(_ j: Int) -> UnsafeMutablePointer<Float>? {
            j == 0 ? dx : dHidden + (j - 1) * width * batch
        }
        for k in stride(from: depth - 1, through: 0, by: -1) {
            // ∂L/∂(pre-activation of layer k's output).
            let dz: UnsafeMutablePointer<Float> = k == depth - 1 ? dy : gradient(k + 1)!
            if k < depth - 1 {
                Kernels.reluMask(dz, activation: hidden + k * width * batch, count: width * batch)
            }
            let (inDim, outDim) = (layout.dims[k], layout.dims[k + 1])
            if let grads {
                Kernels.weightGradient(dw: grads + layout.weightOffset[k], db: grads + layout.biasOffset[k], dz: dz,
                                       x: activation(k, x: x, hidden: hidden), inDim: inDim, outDim: outDim, batch: batch)
            }
            if let da = gradient(k) {
                Kernels.transpose(params + layout.weightOffset[k], into: transposeScratch, outDim: outDim, inDim: inDim)
                Kernels.affine(out: da, w: transposeScratch, bias: nil, x: dz, inDim: outDim, outDim: inDim,
                               batch: batch, accumulate: true, relu: false)
            }
            if let s = layout.skipSource(layer: k), let off = layout.skipOffset[k] {
                if let grads {
                    Kernels.weightGradient(dw: grads + off, db: nil, dz: dz, x: activation(s, x: x, hidden: hidden),
                                           inDim: layout.dims[s], outDim: outDim, batch: batch)
                }
                if let da = gradient(s) {
                    Kernels.transpose(params + off, into: transposeScratch, outDim: outDim, inDim: layout.dims[s])
                    Kernels.affine(out: da, w: transposeScratch, bias: nil, x: dz, inDim: outDim, outDim: layout.dims[s],
                                   batch: batch, accumulate: true, relu: false)
                }
            }
        }
    }
}
