import Testing
@testable import NeuraLUT

/// The fused kernels give the same bits as the separate calls they replace
/// (so cached weights stay valid).
@Suite struct KernelTests {
    @Test func skipTermEqualsASecondAccumulatingCall() {
        var rng = SeededRandom(seed: 3)
        let count = 2 * Kernels.lanes
        for (inDim, skipDim, outDim, relu) in [(3, 3, 16, true), (16, 16, 1, false), (16, 3, 7, true), (2, 5, 5, false)] {
            let x = FloatBuffer((0..<inDim * count).map { _ in rng.nextUnitFloat() * 2 - 1 })
            let s = FloatBuffer((0..<skipDim * count).map { _ in rng.nextUnitFloat() * 2 - 1 })
            let w = FloatBuffer((0..<outDim * inDim).map { _ in rng.nextUnitFloat() * 2 - 1 })
            let r = FloatBuffer((0..<outDim * skipDim).map { _ in rng.nextUnitFloat() * 2 - 1 })
            let b = FloatBuffer((0..<outDim).map { _ in rng.nextUnitFloat() * 2 - 1 })
            let fused = FloatBuffer(count: outDim * count), separate = FloatBuffer(count: outDim * count)
            Kernels.affine(out: fused.base, outStride: count, w: w.base, bias: b.base, x: x.base, xStride: count,
                           inDim: inDim, outDim: outDim, count: count, accumulate: false, relu: relu,
                           skip: Kernels.Term(w: r.base, x: s.base, xStride: count, inDim: skipDim))
            Kernels.affine(out: separate.base, outStride: count, w: w.base, bias: b.base, x: x.base, xStride: count,
                           inDim: inDim, outDim: outDim, count: count, accumulate: false, relu: false)
            Kernels.affine(out: separate.base, outStride: count, w: r.base, bias: nil, x: s.base, xStride: count,
                           inDim: skipDim, outDim: outDim, count: count, accumulate: true, relu: relu)
            #expect(fused.array() == separate.array(), "\(inDim)+\(skipDim) → \(outDim)")
        }
    }
}
