/// One partition in inference mode: sub-network, batch-norm folded from its
/// running statistics, output quantizer. Tabulation and the quantized
/// network both evaluate partitions only through `codes`, so a table entry
/// equals the quantized network's output for that input bit for bit.
struct PartitionInference: @unchecked Sendable {
    let layout: PartitionLayout
    let params: FloatBuffer
    let a: Float
    let c: Float
    let scale: Float
    let range: Quantization.Range
    /// A learned table's input grid (`SubNetwork`).
    let tableInputs: TableInputs?

    init(_ w: PartitionWeights, scale: Float, bits: Int, signed: Bool, tableInputs: TableInputs?) {
        self.tableInputs = tableInputs
        layout = PartitionLayout(fanIn: w.fanIn, shape: w.shape)
        params = FloatBuffer(w.parameters)
        (a, c) = BatchNorm.folded(
            gamma: w.parameters[layout.gammaOffset], beta: w.parameters[layout.betaOffset],
            running: .init(mean: w.runningMean, variance: w.runningVariance))
        self.scale = scale
        range = Quantization.Range(bits: bits, signed: signed)
    }

    /// Floats of scratch `codes` needs for a padded batch: hidden activations, then y.
    func scratchCount(batch: Int) -> Int { SubNetwork(layout: layout, tile: batch).hiddenCount + batch }

    /// Output codes of the `count` samples of `x` (`fanIn × batch`, dequantized inputs).
    func codes(
        x: UnsafePointer<Float>, batch: Int, count: Int, scratch: UnsafeMutablePointer<Float>,
        out: UnsafeMutablePointer<UInt16>
    ) {
        let sub = SubNetwork(layout: layout, tile: batch, tableInputs: tableInputs)
        let y = scratch + sub.hiddenCount
        sub.forward(params: params.base, x: x, xStride: batch, hidden: scratch, y: y, count: Kernels.padded(count))
        for b in 0..<count { out[b] = range.code(y[b] * a + c, scale: scale) }
    }

    /// The value the next layer reads for each output (`scale × level`), via the codes.
    func values(
        x: UnsafePointer<Float>, batch: Int, count: Int, scratch: UnsafeMutablePointer<Float>,
        codes out: UnsafeMutablePointer<UInt16>, values: UnsafeMutablePointer<Float>
    ) {
        codes(x: x, batch: batch, count: count, scratch: scratch, out: out)
        for b in 0..<count { values[b] = range.value(code: out[b], scale: scale) }
    }
}
