import Foundation

/// The uniform quantizers at every partition boundary (docs/method.md):
/// `value = scale · clamp(round(x / scale), lo, hi)` with round-half-to-even,
/// unsigned ReLU-type (`0 … 2^β−1`) or signed hard-tanh type
/// (`−2^(β−1) … 2^(β−1)−1`, stored offset binary). Rounding has a
/// straight-through gradient; the scale's gradient is LSQ's.
enum Quantization {
    /// Batch-norm's variance epsilon (PyTorch's default).
    static let epsilon: Float = 1e-5

    /// Code range of a `bits`-bit quantizer.
    struct Range: Sendable {
        let lo: Float
        let hi: Float
        /// Added to a (signed) level to get its stored code.
        let offset: Int

        init(bits: Int, signed: Bool) {
            if signed {
                lo = -Float(1 << (bits - 1))
                hi = Float((1 << (bits - 1)) - 1)
                offset = 1 << (bits - 1)
            } else {
                lo = 0
                hi = Float((1 << bits) - 1)
                offset = 0
            }
        }

        /// The value of a stored code.
        @inline(__always)
        func value(code: UInt16, scale: Float) -> Float { Float(Int(code) - offset) * scale }

        /// The quantizer level (not yet offset) of `x`.
        @inline(__always)
        func level(_ x: Float, scale: Float) -> Float {
            Swift.min(Swift.max((x / scale).rounded(.toNearestOrEven), lo), hi)
        }

        @inline(__always)
        func code(_ x: Float, scale: Float) -> UInt16 { UInt16(Int(level(x, scale: scale)) + offset) }
    }

    /// A starting scale covering roughly ±2 (signed) or 0…3 (unsigned) of a
    /// unit-variance input.
    static func initialScale(bits: Int, signed: Bool) -> Float {
        signed ? 2 / Float(1 << (bits - 1)) : 3 / Float((1 << bits) - 1)
    }

    /// Training forward: `out[b] = scale · level(x[b])` for `count` lanes.
    static func forward(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int, scale: Float, range: Range) {
        // 8 lanes at a time, the same element-wise operations as `Range.level`.
        typealias V = SIMD8<Float>
        let lo = V(repeating: range.lo), hi = V(repeating: range.hi), s = V(repeating: scale)
        var b = 0
        while b + V.scalarCount <= count {
            let v = (UnsafeRawPointer(x + b).loadUnaligned(as: V.self) / s).rounded(.toNearestOrEven)
            // Swift.max then Swift.min, spelled as masks (their choice on ties keeps ±0 the same).
            let m = v.replacing(with: lo, where: lo .>= v)
            UnsafeMutableRawPointer(out + b).storeBytes(of: m.replacing(with: hi, where: hi .< m) * s, as: V.self)
            b += V.scalarCount
        }
        for t in b..<count { out[t] = range.level(x[t], scale: scale) * scale }
    }

    /// Backward: `dx[b] = dout[b]` inside the clamp range, 0 outside
    /// (straight-through rounding), and returns `∂L/∂scale` (LSQ: inside
    /// `round(v) − v`, below `lo`, above `hi`, with `v = x / scale`).
    static func backward(
        _ x: UnsafePointer<Float>, dout: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>,
        count: Int, scale: Float, range: Range
    ) -> Float {
        // 8 lanes of partial sums, reduced once: a serial sum would wait on every add.
        typealias V = SIMD8<Float>
        let zero = V(repeating: 0), lo = V(repeating: range.lo), hi = V(repeating: range.hi), s = V(repeating: scale)
        var sums = zero
        var b = 0
        while b + V.scalarCount <= count {
            // Branch-free: the clamp side is data-dependent and unpredictable.
            let v = UnsafeRawPointer(x + b).loadUnaligned(as: V.self) / s
            let g = UnsafeRawPointer(dout + b).loadUnaligned(as: V.self)
            let below = v .< lo, above = v .> hi
            UnsafeMutableRawPointer(dx + b).storeBytes(of: g.replacing(with: zero, where: below .| above), as: V.self)
            let term = (v.rounded(.toNearestOrEven) - v).replacing(with: lo, where: below).replacing(with: hi, where: above)
            sums += g * term
            b += V.scalarCount
        }
        var ds = sums.sum()
        while b < count {
            let v = x[b] / scale
            let g = dout[b]
            let below = v < range.lo, above = v > range.hi
            dx[b] = below || above ? 0 : g
            ds += g * (below ? range.lo : (above ? range.hi : v.rounded(.toNearestOrEven) - v))
            b += 1
        }
        return ds
    }
}

extension PartitionTableSpec {
    /// The quantizer of the codes the layer reads: the input front end's
    /// (signed) for layer 0, else the layer below's (unsigned, as only the
    /// last layer's codes are signed).
    var inputRange: Quantization.Range { Quantization.Range(bits: inputBits, signed: layer == 0) }
}

extension QuantizerParameters {
    /// The scale of the codes layer `layer` reads.
    func inputScale(ofLayer layer: Int) -> Float { layer == 0 ? inputFrontEnd.scale : outputScales[layer - 1] }
}
