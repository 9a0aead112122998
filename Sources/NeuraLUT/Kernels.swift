/// The dense kernels of a partition, on feature-major activations: row `i`
/// of an activation holds feature `i` for `count` samples, contiguous (rows
/// `stride` floats apart), so the SIMD lanes run over samples. `count` is
/// always a multiple of `Kernels.lanes` (buffers are padded), and every
/// sample is computed by the same sequence of operations whatever its
/// position, which makes results independent of batching and tiling (a
/// truth table entry equals the same input evaluated in a batch).
enum Kernels {
    typealias Vec = SIMD16<Float>
    static let lanes = 16

    /// Rounds `n` up to a whole number of SIMD chunks.
    static func padded(_ n: Int) -> Int { (n + lanes - 1) / lanes * lanes }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> Vec {
        UnsafeRawPointer(p).loadUnaligned(as: Vec.self)
    }

    @inline(__always)
    static func store(_ v: Vec, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vec.self)
    }

    typealias Half = SIMD8<Float>

    @inline(__always)
    static func loadHalf(_ p: UnsafePointer<Float>) -> Half {
        UnsafeRawPointer(p).loadUnaligned(as: Half.self)
    }

    @inline(__always)
    static func storeHalf(_ v: Half, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Half.self)
    }

    /// A second product added into the same outputs (a skip connection's):
    /// `w` is `outDim × inDim`, `x` has rows `xStride` apart.
    struct Term {
        let w: UnsafePointer<Float>
        let x: UnsafePointer<Float>
        let xStride: Int
        let inDim: Int
    }

    /// `out[o] = (accumulate ? out[o] : bias[o] or 0) + Σ_i w[o·inDim+i]·x[i]`
    /// `+ Σ_j skip.w[o·skip.inDim+j]·skip.x[j]` (in that order), then
    /// `max(·, 0)` when `relu`. A block of 4 outputs × 16 samples lives in 8
    /// registers; each input load and weight broadcast feeds 2–4 FMAs. The
    /// skip term is summed in the same registers, which gives the same bits
    /// as a second accumulating call without storing and reloading the block.
    /// With `mask` (rows `outStride` apart, like `out`), an output is kept
    /// where the mask is positive and zeroed elsewhere: the ReLU backward
    /// step applied before the block is stored, instead of in a second pass.
    static func affine(
        out: UnsafeMutablePointer<Float>, outStride: Int, w: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
        x: UnsafePointer<Float>, xStride: Int, inDim: Int, outDim: Int, count: Int, accumulate: Bool, relu: Bool,
        skip: Term? = nil, mask: UnsafePointer<Float>? = nil
    ) {
        @inline(__always) func start(_ o: Int, _ r: UnsafeMutablePointer<Float>) -> (Half, Half) {
            if accumulate { return (loadHalf(r), loadHalf(r + 8)) }
            let b = Half(repeating: bias?[o] ?? 0)
            return (b, b)
        }
        // Row blocks outside, chunks of samples inside: a block's weight rows, skip rows and
        // output rows are found once and kept across the tile (the tile's inputs stay in L1),
        // instead of once per chunk of 16 samples and block, which cost about as much as a
        // third of the block's multiply-adds on 16 × 16 products.
        var o = 0
        // Blocks of 6 outputs (12 sums in flight, 8 loads per 12 FMAs) while the rest
        // still splits into blocks of 6 and 4 (16 = 6 + 6 + 4), then blocks of 4.
        while takesBlockOfSix(rowsLeft: outDim - o) {
            let w0 = w + o * inDim
            let s0 = skip.map { $0.w + o * $0.inDim }
            let row = out + o * outStride
            var c = 0
            while c < count {
                let r0 = row + c, r1 = r0 + outStride, r2 = r1 + outStride
                let r3 = r2 + outStride, r4 = r3 + outStride, r5 = r4 + outStride
                var (a0, b0) = start(o, r0), (a1, b1) = start(o + 1, r1), (a2, b2) = start(o + 2, r2)
                var (a3, b3) = start(o + 3, r3), (a4, b4) = start(o + 4, r4), (a5, b5) = start(o + 5, r5)
                @inline(__always) func product(_ w0: UnsafePointer<Float>, _ x: UnsafePointer<Float>, stride: Int, inDim: Int) {
                    let w1 = w0 + inDim, w2 = w1 + inDim, w3 = w2 + inDim, w4 = w3 + inDim, w5 = w4 + inDim
                    var xp = x + c
                    for i in 0..<inDim {
                        let lo = loadHalf(xp), hi = loadHalf(xp + 8)
                        let k0 = Half(repeating: w0[i]), k1 = Half(repeating: w1[i]), k2 = Half(repeating: w2[i])
                        a0 = a0.addingProduct(lo, k0)
                        b0 = b0.addingProduct(hi, k0)
                        a1 = a1.addingProduct(lo, k1)
                        b1 = b1.addingProduct(hi, k1)
                        a2 = a2.addingProduct(lo, k2)
                        b2 = b2.addingProduct(hi, k2)
                        let k3 = Half(repeating: w3[i]), k4 = Half(repeating: w4[i]), k5 = Half(repeating: w5[i])
                        a3 = a3.addingProduct(lo, k3)
                        b3 = b3.addingProduct(hi, k3)
                        a4 = a4.addingProduct(lo, k4)
                        b4 = b4.addingProduct(hi, k4)
                        a5 = a5.addingProduct(lo, k5)
                        b5 = b5.addingProduct(hi, k5)
                        xp += stride
                    }
                }
                product(w0, x, stride: xStride, inDim: inDim)
                if let skip, let s0 { product(s0, skip.x, stride: skip.xStride, inDim: skip.inDim) }
                storeOutputs(a0, b0, r0, relu: relu, mask: mask.map { $0 + (r0 - out) })
                storeOutputs(a1, b1, r1, relu: relu, mask: mask.map { $0 + (r1 - out) })
                storeOutputs(a2, b2, r2, relu: relu, mask: mask.map { $0 + (r2 - out) })
                storeOutputs(a3, b3, r3, relu: relu, mask: mask.map { $0 + (r3 - out) })
                storeOutputs(a4, b4, r4, relu: relu, mask: mask.map { $0 + (r4 - out) })
                storeOutputs(a5, b5, r5, relu: relu, mask: mask.map { $0 + (r5 - out) })
                c += lanes
            }
            o += 6
        }
        while o + 4 <= outDim {
            let w0 = w + o * inDim, w1 = w0 + inDim, w2 = w1 + inDim, w3 = w2 + inDim
            let v0 = skip.map { $0.w + o * $0.inDim }
            let row = out + o * outStride
            var c = 0
            while c < count {
                let r0 = row + c, r1 = r0 + outStride, r2 = r1 + outStride, r3 = r2 + outStride
                var (a0, b0) = start(o, r0), (a1, b1) = start(o + 1, r1)
                var (a2, b2) = start(o + 2, r2), (a3, b3) = start(o + 3, r3)
                var xp = x + c
                for i in 0..<inDim {
                    let lo = loadHalf(xp), hi = loadHalf(xp + 8)
                    let k0 = Half(repeating: w0[i])
                    a0 = a0.addingProduct(lo, k0)
                    b0 = b0.addingProduct(hi, k0)
                    let k1 = Half(repeating: w1[i])
                    a1 = a1.addingProduct(lo, k1)
                    b1 = b1.addingProduct(hi, k1)
                    let k2 = Half(repeating: w2[i])
                    a2 = a2.addingProduct(lo, k2)
                    b2 = b2.addingProduct(hi, k2)
                    let k3 = Half(repeating: w3[i])
                    a3 = a3.addingProduct(lo, k3)
                    b3 = b3.addingProduct(hi, k3)
                    xp += xStride
                }
                if let skip, let v0 {
                    let v1 = v0 + skip.inDim, v2 = v1 + skip.inDim, v3 = v2 + skip.inDim
                    var sp = skip.x + c
                    for j in 0..<skip.inDim {
                        let lo = loadHalf(sp), hi = loadHalf(sp + 8)
                        let k0 = Half(repeating: v0[j])
                        a0 = a0.addingProduct(lo, k0)
                        b0 = b0.addingProduct(hi, k0)
                        let k1 = Half(repeating: v1[j])
                        a1 = a1.addingProduct(lo, k1)
                        b1 = b1.addingProduct(hi, k1)
                        let k2 = Half(repeating: v2[j])
                        a2 = a2.addingProduct(lo, k2)
                        b2 = b2.addingProduct(hi, k2)
                        let k3 = Half(repeating: v3[j])
                        a3 = a3.addingProduct(lo, k3)
                        b3 = b3.addingProduct(hi, k3)
                        sp += skip.xStride
                    }
                }
                storeOutputs(a0, b0, r0, relu: relu, mask: mask.map { $0 + (r0 - out) })
                storeOutputs(a1, b1, r1, relu: relu, mask: mask.map { $0 + (r1 - out) })
                storeOutputs(a2, b2, r2, relu: relu, mask: mask.map { $0 + (r2 - out) })
                storeOutputs(a3, b3, r3, relu: relu, mask: mask.map { $0 + (r3 - out) })
                c += lanes
            }
            o += 4
        }
        // Rows left over from the blocks of 4 (a sub-network's one output): 4 chunks of
        // samples at a time, so 8 independent sums are in flight instead of 2.
        for o in rowsInBlocks(outDim)..<outDim {
            let wr = w + o * inDim, vr = skip.map { $0.w + o * $0.inDim }
            var c = 0
            while c + 4 * lanes <= count {
                let r0 = out + o * outStride + c, r1 = r0 + lanes, r2 = r1 + lanes, r3 = r2 + lanes
                var (a0, b0) = start(o, r0), (a1, b1) = start(o, r1), (a2, b2) = start(o, r2), (a3, b3) = start(o, r3)
                var xp = x + c
                for i in 0..<inDim {
                    let k = Half(repeating: wr[i])
                    a0 = a0.addingProduct(loadHalf(xp), k)
                    b0 = b0.addingProduct(loadHalf(xp + 8), k)
                    a1 = a1.addingProduct(loadHalf(xp + 16), k)
                    b1 = b1.addingProduct(loadHalf(xp + 24), k)
                    a2 = a2.addingProduct(loadHalf(xp + 32), k)
                    b2 = b2.addingProduct(loadHalf(xp + 40), k)
                    a3 = a3.addingProduct(loadHalf(xp + 48), k)
                    b3 = b3.addingProduct(loadHalf(xp + 56), k)
                    xp += xStride
                }
                if let skip, let vr {
                    var sp = skip.x + c
                    for j in 0..<skip.inDim {
                        let k = Half(repeating: vr[j])
                        a0 = a0.addingProduct(loadHalf(sp), k)
                        b0 = b0.addingProduct(loadHalf(sp + 8), k)
                        a1 = a1.addingProduct(loadHalf(sp + 16), k)
                        b1 = b1.addingProduct(loadHalf(sp + 24), k)
                        a2 = a2.addingProduct(loadHalf(sp + 32), k)
                        b2 = b2.addingProduct(loadHalf(sp + 40), k)
                        a3 = a3.addingProduct(loadHalf(sp + 48), k)
                        b3 = b3.addingProduct(loadHalf(sp + 56), k)
                        sp += skip.xStride
                    }
                }
                storeOutputs(a0, b0, r0, relu: relu, mask: mask.map { $0 + (r0 - out) })
                storeOutputs(a1, b1, r1, relu: relu, mask: mask.map { $0 + (r1 - out) })
                storeOutputs(a2, b2, r2, relu: relu, mask: mask.map { $0 + (r2 - out) })
                storeOutputs(a3, b3, r3, relu: relu, mask: mask.map { $0 + (r3 - out) })
                c += 4 * lanes
            }
            while c < count {
                let r = out + o * outStride + c
                var (a, b) = start(o, r)
                var xp = x + c
                for i in 0..<inDim {
                    let k = Half(repeating: wr[i])
                    a = a.addingProduct(loadHalf(xp), k)
                    b = b.addingProduct(loadHalf(xp + 8), k)
                    xp += xStride
                }
                if let skip, let vr {
                    var sp = skip.x + c
                    for j in 0..<skip.inDim {
                        let k = Half(repeating: vr[j])
                        a = a.addingProduct(loadHalf(sp), k)
                        b = b.addingProduct(loadHalf(sp + 8), k)
                        sp += skip.xStride
                    }
                }
                storeOutputs(a, b, r, relu: relu, mask: mask.map { $0 + (r - out) })
                c += lanes
            }
        }
    }

    /// Whether `affine` takes the next 6 rows as one block: while the rows left still split
    /// into blocks of 6 and 4 (16 = 6 + 6 + 4, 10 = 6 + 4); 8 rows take two blocks of 4.
    @inline(__always)
    static func takesBlockOfSix(rowsLeft: Int) -> Bool { rowsLeft == 6 || rowsLeft >= 10 }

    /// The rows `affine` computes in blocks of 6 and 4; the rest go one at a time.
    static func rowsInBlocks(_ rows: Int) -> Int {
        var o = 0
        while takesBlockOfSix(rowsLeft: rows - o) { o += 6 }
        return o + (rows - o) / 4 * 4
    }

    /// Stores 16 outputs at `r`, after the ReLU when `relu`, zeroed where `mask` is not positive.
    /// Transparent because the optimiser did not inline it (nor a nested `@inline(__always)`
    /// helper) into `affine`, and the call per block cost jsc-5l about 15% of its throughput.
    @_transparent
    static func storeOutputs(
        _ lo: Half, _ hi: Half, _ r: UnsafeMutablePointer<Float>, relu: Bool, mask m: UnsafePointer<Float>?
    ) {
        let zero = Half(repeating: 0)
        var (lo, hi) = (lo, hi)
        if relu {
            lo = lo.replacing(with: zero, where: lo .< zero)
            hi = hi.replacing(with: zero, where: hi .< zero)
        }
        if let m {
            lo = zero.replacing(with: lo, where: loadHalf(m) .> zero)
            hi = zero.replacing(with: hi, where: loadHalf(m + 8) .> zero)
        }
        storeHalf(lo, r)
        storeHalf(hi, r + 8)
    }

    /// Adds a tile's weight gradient `Σ_b dz[o][b]·x[i][b]` into lanes of
    /// partial sums: `dw + (o·inDim + i)·8` holds 8 sums, lane `j` over the
    /// samples `b ≡ j (mod 8)`; with `db`, `db + o·8` likewise gets
    /// `Σ_b dz[o][b]`. The partial sums stay vectors across the whole batch
    /// and are reduced once (`reduceLanes`), not once per tile and output,
    /// and every lane adds its samples in order, so the result does not
    /// depend on the tiling. Two outputs share each input load. With
    /// `fresh` (the batch's first tile) the sums start from zero, whatever
    /// `dw` and `db` held, which spares a pass that clears them.
    static func weightGradient(
        dw: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>?, dz: UnsafePointer<Float>, dzStride: Int,
        x: UnsafePointer<Float>, xStride: Int, inDim: Int, outDim: Int, count: Int, fresh: Bool
    ) {
        let step = Half.scalarCount
        @inline(__always) func lanes(_ o: Int, _ i: Int) -> UnsafeMutablePointer<Float> { dw + (o * inDim + i) * step }
        @inline(__always) func sums(_ p: UnsafeMutablePointer<Float>) -> Half { partialSums(p, fresh: fresh) }
        /// Two inputs × 4 outputs at a time (8 sums in flight, 6 loads per 8 FMAs), then one input
        /// × 4 outputs: the narrow products of a partition's first layer (fan-in 2 or 3).
        func narrowInputs(_ inputs: Range<Int>, outputs rows: Range<Int>) {
            var i = inputs.lowerBound
            while i + 2 <= inputs.upperBound {
                let xi = x + i * xStride, xj = xi + xStride
                var o = rows.lowerBound
                while o + 4 <= rows.upperBound {
                    let g0 = dz + o * dzStride, g1 = g0 + dzStride, g2 = g1 + dzStride, g3 = g2 + dzStride
                    let r0 = lanes(o, i), r1 = lanes(o + 1, i), r2 = lanes(o + 2, i), r3 = lanes(o + 3, i)
                    var s0 = sums(r0), s1 = sums(r1), s2 = sums(r2), s3 = sums(r3)
                    var t0 = sums(r0 + 8), t1 = sums(r1 + 8), t2 = sums(r2 + 8), t3 = sums(r3 + 8)
                    var c = 0
                    while c < count {
                        let u = loadHalf(xi + c), v = loadHalf(xj + c)
                        let a0 = loadHalf(g0 + c), a1 = loadHalf(g1 + c), a2 = loadHalf(g2 + c), a3 = loadHalf(g3 + c)
                        s0 = s0.addingProduct(a0, u)
                        t0 = t0.addingProduct(a0, v)
                        s1 = s1.addingProduct(a1, u)
                        t1 = t1.addingProduct(a1, v)
                        s2 = s2.addingProduct(a2, u)
                        t2 = t2.addingProduct(a2, v)
                        s3 = s3.addingProduct(a3, u)
                        t3 = t3.addingProduct(a3, v)
                        c += step
                    }
                    storeHalf(s0, r0)
                    storeHalf(s1, r1)
                    storeHalf(s2, r2)
                    storeHalf(s3, r3)
                    storeHalf(t0, r0 + 8)
                    storeHalf(t1, r1 + 8)
                    storeHalf(t2, r2 + 8)
                    storeHalf(t3, r3 + 8)
                    o += 4
                }
                if o < rows.upperBound { singleInput(i, outputs: o..<rows.upperBound) }
                if o < rows.upperBound { singleInput(i + 1, outputs: o..<rows.upperBound) }
                i += 2
            }
            if i < inputs.upperBound { singleInput(i, outputs: rows) }
        }
        /// One input, 4 outputs per input load (4 sums in flight).
        func singleInput(_ i: Int, outputs rows: Range<Int>) {
            let xi = x + i * xStride
            var o = rows.lowerBound
            while o + 4 <= rows.upperBound {
                let g0 = dz + o * dzStride, g1 = g0 + dzStride, g2 = g1 + dzStride, g3 = g2 + dzStride
                let r0 = lanes(o, i), r1 = lanes(o + 1, i), r2 = lanes(o + 2, i), r3 = lanes(o + 3, i)
                var s0 = sums(r0), s1 = sums(r1), s2 = sums(r2), s3 = sums(r3)
                var c = 0
                while c < count {
                    let v = loadHalf(xi + c)
                    s0 = s0.addingProduct(loadHalf(g0 + c), v)
                    s1 = s1.addingProduct(loadHalf(g1 + c), v)
                    s2 = s2.addingProduct(loadHalf(g2 + c), v)
                    s3 = s3.addingProduct(loadHalf(g3 + c), v)
                    c += step
                }
                storeHalf(s0, r0)
                storeHalf(s1, r1)
                storeHalf(s2, r2)
                storeHalf(s3, r3)
                o += 4
            }
            while o < rows.upperBound {
                let g = dz + o * dzStride, r = lanes(o, i)
                var s = sums(r)
                var c = 0
                while c < count {
                    s = s.addingProduct(loadHalf(g + c), loadHalf(xi + c))
                    c += step
                }
                storeHalf(s, r)
                o += 1
            }
        }
        var o = 0
        // A lone output (the sub-network's output layer): 8 inputs at a time, so 8 sums are in flight.
        if outDim == 1 {
            var i = 0
            while i + 8 <= inDim {
                let x0 = x + i * xStride, x1 = x0 + xStride, x2 = x1 + xStride, x3 = x2 + xStride
                let x4 = x3 + xStride, x5 = x4 + xStride, x6 = x5 + xStride, x7 = x6 + xStride
                let r = lanes(0, i)
                var s0 = sums(r), s1 = sums(r + 8), s2 = sums(r + 16), s3 = sums(r + 24)
                var s4 = sums(r + 32), s5 = sums(r + 40), s6 = sums(r + 48), s7 = sums(r + 56)
                var c = 0
                while c < count {
                    let a = loadHalf(dz + c)
                    s0 = s0.addingProduct(a, loadHalf(x0 + c))
                    s1 = s1.addingProduct(a, loadHalf(x1 + c))
                    s2 = s2.addingProduct(a, loadHalf(x2 + c))
                    s3 = s3.addingProduct(a, loadHalf(x3 + c))
                    s4 = s4.addingProduct(a, loadHalf(x4 + c))
                    s5 = s5.addingProduct(a, loadHalf(x5 + c))
                    s6 = s6.addingProduct(a, loadHalf(x6 + c))
                    s7 = s7.addingProduct(a, loadHalf(x7 + c))
                    c += step
                }
                storeHalf(s0, r)
                storeHalf(s1, r + 8)
                storeHalf(s2, r + 16)
                storeHalf(s3, r + 24)
                storeHalf(s4, r + 32)
                storeHalf(s5, r + 40)
                storeHalf(s6, r + 48)
                storeHalf(s7, r + 56)
                i += 8
            }
            narrowInputs(i..<inDim, outputs: 0..<1)
            o = 1
        }
        // Pairs of outputs × 4 inputs: 8 sums in flight, 6 loads per 8 FMAs. The first block also
        // sums the two outputs' bias gradients from the same loads of `dz`.
        @inline(__always) func pairBlock(_ o: Int, _ i: Int, bias: UnsafeMutablePointer<Float>?) {
            let g0 = dz + o * dzStride, g1 = g0 + dzStride
            let x0 = x + i * xStride, x1 = x0 + xStride, x2 = x1 + xStride, x3 = x2 + xStride
            let r = lanes(o, i), q = lanes(o + 1, i)
            var s0 = sums(r), s1 = sums(r + 8), s2 = sums(r + 16), s3 = sums(r + 24)
            var t0 = sums(q), t1 = sums(q + 8), t2 = sums(q + 16), t3 = sums(q + 24)
            var (u0, u1) = bias.map { (sums($0), sums($0 + 8)) } ?? (Half(), Half())
            var c = 0
            while c < count {
                let a = loadHalf(g0 + c), b = loadHalf(g1 + c)
                let v0 = loadHalf(x0 + c), v1 = loadHalf(x1 + c), v2 = loadHalf(x2 + c), v3 = loadHalf(x3 + c)
                s0 = s0.addingProduct(a, v0)
                s1 = s1.addingProduct(a, v1)
                s2 = s2.addingProduct(a, v2)
                s3 = s3.addingProduct(a, v3)
                t0 = t0.addingProduct(b, v0)
                t1 = t1.addingProduct(b, v1)
                t2 = t2.addingProduct(b, v2)
                t3 = t3.addingProduct(b, v3)
                if bias != nil {
                    u0 += a
                    u1 += b
                }
                c += step
            }
            storeHalf(s0, r)
            storeHalf(s1, r + 8)
            storeHalf(s2, r + 16)
            storeHalf(s3, r + 24)
            storeHalf(t0, q)
            storeHalf(t1, q + 8)
            storeHalf(t2, q + 16)
            storeHalf(t3, q + 24)
            if let bias {
                storeHalf(u0, bias)
                storeHalf(u1, bias + 8)
            }
        }
        // The rows pair blocks take, and sum the bias gradients of; `rowSums` takes the rest.
        let pairedRows = inDim >= 4 ? outDim / 2 * 2 : 0
        while o + 2 <= pairedRows {
            pairBlock(o, 0, bias: db.map { $0 + o * step })
            var i = 4
            while i + 4 <= inDim {
                pairBlock(o, i, bias: nil)
                i += 4
            }
            o += 2
        }
        if outDim > 1 {
            narrowInputs(inDim / 4 * 4..<inDim, outputs: 0..<outDim)
            // An odd last output of a wider layer.
            if outDim % 2 == 1 { narrowInputs(0..<inDim / 4 * 4, outputs: outDim - 1..<outDim) }
        }
        if let db, pairedRows < outDim {
            rowSums(
                dz + pairedRows * dzStride, stride: dzStride, rows: outDim - pairedRows, count: count, into: db + pairedRows * step,
                fresh: fresh)
        }

    }

    /// The partial sums a block of `weightGradient` or `rowSums` starts from: zero for the
    /// batch's first tile (`fresh`, no separate clearing pass), else those so far.
    @inline(__always)
    static func partialSums(_ p: UnsafeMutablePointer<Float>, fresh: Bool) -> Half { fresh ? Half(repeating: 0) : loadHalf(p) }

    /// `lanes + o·8 += Σ_b v[o][b]` by lane (rows `stride` apart; `=` when `fresh`), 4 rows at a time.
    static func rowSums(
        _ v: UnsafePointer<Float>, stride: Int, rows: Int, count: Int, into lanes: UnsafeMutablePointer<Float>, fresh: Bool
    ) {
        let step = Half.scalarCount
        var o = 0
        while o + 4 <= rows {
            let v0 = v + o * stride, v1 = v0 + stride, v2 = v1 + stride, v3 = v2 + stride
            let r = lanes + o * step
            var s0 = partialSums(r, fresh: fresh), s1 = partialSums(r + 8, fresh: fresh), s2 = partialSums(r + 16, fresh: fresh),
                s3 = partialSums(r + 24, fresh: fresh)
            var c = 0
            while c < count {
                s0 += loadHalf(v0 + c)
                s1 += loadHalf(v1 + c)
                s2 += loadHalf(v2 + c)
                s3 += loadHalf(v3 + c)
                c += step
            }
            storeHalf(s0, r)
            storeHalf(s1, r + 8)
            storeHalf(s2, r + 16)
            storeHalf(s3, r + 24)
            o += 4
        }
        while o < rows {
            let vo = v + o * stride, r = lanes + o * step
            var s = partialSums(r, fresh: fresh)
            var c = 0
            while c < count {
                s += loadHalf(vo + c)
                c += step
            }
            storeHalf(s, r)
            o += 1
        }
    }

    /// `out[q] = Σ_j lanes[q·8 + j]` for `q < count`: the once-per-batch reduction
    /// of `weightGradient`'s partial sums, always in the same order.
    static func reduceLanes(_ lanes: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
        for q in 0..<count { out[q] = loadHalf(lanes + q * Half.scalarCount).sum() }
    }

    /// `wt[i·outDim + o] = w[o·inDim + i]`.
    static func transpose(_ w: UnsafePointer<Float>, into wt: UnsafeMutablePointer<Float>, outDim: Int, inDim: Int) {
        for o in 0..<outDim { for i in 0..<inDim { wt[i * outDim + o] = w[o * inDim + i] } }
    }
}
