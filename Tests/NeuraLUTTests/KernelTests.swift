import Testing
@testable import NeuraLUT

/// The fused kernels give the same bits as the separate calls they replace
/// (so cached weights stay valid).
@Suite struct KernelTests {
    @Test func skipTermEqualsASecondAccumulatingCall() {
        var rng = SeededRandom(seed: 3)
        let count = 5 * Kernels.lanes  // a block of 4 chunks and a lone chunk
        for (inDim, skipDim, outDim, relu) in [
            (3, 3, 16, true), (16, 16, 1, false), (16, 3, 7, true), (2, 5, 5, false), (16, 16, 16, true), (8, 3, 10, false),
            (3, 8, 12, true),
        ] {
            let x = FloatBuffer((0..<inDim * count).map { _ in rng.nextUnitFloat() * 2 - 1 })
            let s = FloatBuffer((0..<skipDim * count).map { _ in rng.nextUnitFloat() * 2 - 1 })
            let w = FloatBuffer((0..<outDim * inDim).map { _ in rng.nextUnitFloat() * 2 - 1 })
            let r = FloatBuffer((0..<outDim * skipDim).map { _ in rng.nextUnitFloat() * 2 - 1 })
            let b = FloatBuffer((0..<outDim).map { _ in rng.nextUnitFloat() * 2 - 1 })
            let fused = FloatBuffer(count: outDim * count), separate = FloatBuffer(count: outDim * count)
            Kernels.affine(
                out: fused.base, outStride: count, w: w.base, bias: b.base, x: x.base, xStride: count,
                inDim: inDim, outDim: outDim, count: count, accumulate: false, relu: relu,
                skip: Kernels.Term(w: r.base, x: s.base, xStride: count, inDim: skipDim))
            Kernels.affine(
                out: separate.base, outStride: count, w: w.base, bias: b.base, x: x.base, xStride: count,
                inDim: inDim, outDim: outDim, count: count, accumulate: false, relu: false)
            Kernels.affine(
                out: separate.base, outStride: count, w: r.base, bias: nil, x: s.base, xStride: count,
                inDim: skipDim, outDim: outDim, count: count, accumulate: true, relu: relu)
            #expect(fused.array() == separate.array(), "\(inDim)+\(skipDim) → \(outDim)")
            // Every output is bias, then one FMA per input in order, then the skip's: the
            // scalar sum in that order gives the same bits whatever the blocking.
            var expected = [Float](repeating: 0, count: outDim * count)
            for o in 0..<outDim {
                for n in 0..<count {
                    var v = b[o]
                    for i in 0..<inDim { v = v.addingProduct(w[o * inDim + i], x[i * count + n]) }
                    for j in 0..<skipDim { v = v.addingProduct(r[o * skipDim + j], s[j * count + n]) }
                    expected[o * count + n] = relu ? max(v, 0) : v
                }
            }
            #expect(fused.array() == expected, "\(inDim)+\(skipDim) → \(outDim) against the scalar sum")
        }
    }

    /// The masked product (the ReLU backward step fused into the input gradient) equals the
    /// unmasked product with every output zeroed where the mask is not positive.
    @Test func maskKeepsOutputsWhereTheMaskIsPositive() {
        var rng = SeededRandom(seed: 4)
        let count = 5 * Kernels.lanes
        for (inDim, outDim) in [(16, 16), (1, 16), (16, 3), (8, 6), (3, 12)] {
            let x = FloatBuffer((0..<inDim * count).map { _ in rng.nextUnitFloat() * 2 - 1 })
            let w = FloatBuffer((0..<outDim * inDim).map { _ in rng.nextUnitFloat() * 2 - 1 })
            let mask = FloatBuffer((0..<outDim * count).map { _ in max(rng.nextUnitFloat() * 2 - 1, 0) })
            let masked = FloatBuffer(count: outDim * count), plain = FloatBuffer(count: outDim * count)
            Kernels.affine(
                out: masked.base, outStride: count, w: w.base, bias: nil, x: x.base, xStride: count,
                inDim: inDim, outDim: outDim, count: count, accumulate: false, relu: false, mask: mask.base)
            Kernels.affine(
                out: plain.base, outStride: count, w: w.base, bias: nil, x: x.base, xStride: count,
                inDim: inDim, outDim: outDim, count: count, accumulate: false, relu: false)
            let expected = (0..<outDim * count).map { mask[$0] > 0 ? plain[$0] : 0 }
            #expect(masked.array() == expected, "\(inDim) → \(outDim)")
        }
    }

    /// Every weight and bias gradient lane holds its samples' products summed in sample order,
    /// whatever block a shape takes: two tiles (the first writing fresh sums over stale
    /// contents, the second adding to them) against the scalar sums in that order.
    @Test func weightGradientLanesEqualTheScalarSumsInSampleOrder() {
        var rng = SeededRandom(seed: 6)
        let step = Kernels.Half.scalarCount
        let tile = 3 * Kernels.lanes, tiles = 2, batch = tile * tiles
        for (inDim, outDim) in [(3, 16), (2, 16), (16, 16), (16, 1), (16, 3), (5, 7), (8, 10), (1, 1), (4, 2), (6, 5), (3, 1)] {
            let x = FloatBuffer((0..<inDim * batch).map { _ in rng.nextUnitFloat() * 2 - 1 })
            let dz = FloatBuffer((0..<outDim * batch).map { _ in rng.nextUnitFloat() * 2 - 1 })
            let dw = FloatBuffer([Float](repeating: .nan, count: outDim * inDim * step))
            let db = FloatBuffer([Float](repeating: .nan, count: outDim * step))
            for t in 0..<tiles {
                Kernels.weightGradient(
                    dw: dw.base, db: db.base, dz: dz.base + t * tile, dzStride: batch, x: x.base + t * tile, xStride: batch,
                    inDim: inDim, outDim: outDim, count: tile, fresh: t == 0)
            }
            var expectedW = [Float](repeating: 0, count: outDim * inDim * step)
            var expectedB = [Float](repeating: 0, count: outDim * step)
            for o in 0..<outDim {
                for b in 0..<batch {
                    let lane = b % step, g = dz[o * batch + b]
                    for i in 0..<inDim {
                        let k = (o * inDim + i) * step + lane
                        expectedW[k] = expectedW[k].addingProduct(g, x[i * batch + b])
                    }
                    expectedB[o * step + lane] += g
                }
            }
            #expect(dw.array() == expectedW, "weights \(inDim) → \(outDim)")
            #expect(db.array() == expectedB, "biases \(inDim) → \(outDim)")
        }
    }

    /// The 8-lane quantizer gives every element the bits of `Range.level` (ties, clamping, the tail).
    @Test func quantizerForwardEqualsTheScalarLevel() {
        var rng = SeededRandom(seed: 5)
        let scale: Float = 0.3
        // Ties, small negatives that round to −0, and values beyond the clamp.
        let x: [Float] = (0..<77).map { i in
            if i % 5 == 0 { return (Float(i % 13) - 6.5) * scale }
            if i % 7 == 0 { return -0.01 }
            return (rng.nextUnitFloat() * 2 - 1) * 4
        }
        for signed in [false, true] {
            let range = Quantization.Range(bits: 3, signed: signed)
            let out = FloatBuffer(count: x.count)
            Quantization.forward(x, out.base, count: x.count, scale: scale, range: range)
            let expected: [UInt32] = x.map { (range.level($0, scale: scale) * scale).bitPattern }
            #expect(out.array().map { $0.bitPattern } == expected)
        }
    }
}
