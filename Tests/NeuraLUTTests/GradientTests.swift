import Foundation
import Testing
@testable import NeuraLUT

/// Finite-difference checks of every hand-written backward pass.
@Suite struct GradientTests {
    static let batch = Kernels.lanes

    static func random(_ n: Int, _ rng: inout SeededRandom, scale: Float = 1) -> [Float] {
        (0..<n).map { _ in (rng.nextUnitFloat() * 2 - 1) * scale }
    }

    /// Central difference of `f` with respect to `values[i]`, in Double.
    static func numeric(_ values: inout [Float], _ i: Int, h: Float = 1e-2, _ f: ([Float]) -> Double) -> Double {
        let saved = values[i]
        values[i] = saved + h
        let up = f(values)
        values[i] = saved - h
        let down = f(values)
        values[i] = saved
        return (up - down) / Double(2 * h)
    }

    static func close(_ a: Double, _ b: Double, tolerance: Double = 2e-2) -> Bool {
        abs(a - b) <= tolerance * max(1, abs(a), abs(b))
    }

    @Test func subNetworkWithReluAndSkips() {
        // depth 4, skip 2: every op of the reference block (linear, ReLU, skip add).
        for shape in [
            PartitionShape.neuraLUT(width: 5), PartitionShape(width: 3, depth: 3, skip: 0), PartitionShape(width: 1, depth: 1, skip: 0),
        ] {
            let layout = PartitionLayout(fanIn: 3, shape: shape)
            let sub = SubNetwork(layout: layout, tile: Self.batch)
            var rng = SeededRandom(seed: 11)
            var params = Self.random(layout.parameterCount, &rng)
            var x = Self.random(3 * Self.batch, &rng)
            let r = Self.random(Self.batch, &rng)
            let hidden = FloatBuffer(count: sub.hiddenCount), y = FloatBuffer(count: Self.batch)
            func loss(_ p: [Float], _ x: [Float]) -> Double {
                sub.forward(params: p, x: x, xStride: Self.batch, hidden: hidden.base, y: y.base, count: Self.batch)
                return (0..<Self.batch).reduce(0) { $0 + Double(r[$1] * y[$1]) }
            }
            _ = loss(params, x)
            let grads = FloatBuffer(count: layout.parameterCount), dx = FloatBuffer(count: 3 * Self.batch)
            let dy = FloatBuffer(r)
            let dHidden = FloatBuffer(count: sub.hiddenCount), transposed = FloatBuffer(count: sub.transposedCount)
            let lanes = FloatBuffer(count: sub.gradientLaneCount)
            sub.transposeWeights(params: params, into: transposed.base)
            sub.backward(
                transposed: transposed.base, gradientLanes: lanes.base, x: x, xStride: Self.batch, hidden: hidden.base,
                dy: dy.base, dx: dx.base, dHidden: dHidden.base, count: Self.batch, firstTile: true)
            sub.reduceGradients(lanes: lanes.base, into: grads.base)
            withExtendedLifetime((dHidden, transposed, dy, lanes)) {}
            for i in 0..<layout.gammaOffset {
                let n = Self.numeric(&params, i, h: 1e-3) { loss($0, x) }
                #expect(Self.close(Double(grads[i]), n), "\(shape) parameter \(i): analytic \(grads[i]) numeric \(n)")
            }
            for i in 0..<x.count {
                let n = Self.numeric(&x, i, h: 1e-3) { loss(params, $0) }
                #expect(Self.close(Double(dx[i]), n), "\(shape) input \(i): analytic \(dx[i]) numeric \(n)")
            }
        }
    }

    /// Backpropagating tile by tile (recomputing hidden activations) gives the whole-batch gradients, bit for bit.
    @Test func tiledBackwardEqualsWholeBatch() {
        let layout = PartitionLayout(fanIn: 3, shape: .neuraLUT(width: 6))
        let batch = 3 * Self.batch
        var rng = SeededRandom(seed: 15)
        let params = Self.random(layout.parameterCount, &rng)
        let x = Self.random(3 * batch, &rng)
        let r = Self.random(batch, &rng)
        func gradients(tile: Int) -> ([Float], [Float]) {
            let sub = SubNetwork(layout: layout, tile: tile)
            let hidden = FloatBuffer(count: sub.hiddenCount), dHidden = FloatBuffer(count: sub.hiddenCount)
            let y = FloatBuffer(count: tile), dy = FloatBuffer(r), transposed = FloatBuffer(count: sub.transposedCount)
            sub.transposeWeights(params: params, into: transposed.base)
            let grads = FloatBuffer(count: layout.parameterCount), dx = FloatBuffer(count: 3 * batch)
            // Whatever the partial sums held before the first tile is ignored.
            let lanes = FloatBuffer([Float](repeating: .nan, count: sub.gradientLaneCount))
            for start in stride(from: 0, to: batch, by: tile) {
                let count = min(tile, batch - start)
                x.withUnsafeBufferPointer { x in
                    sub.forward(params: params, x: x.baseAddress! + start, xStride: batch, hidden: hidden.base, y: y.base, count: count)
                    sub.backward(
                        transposed: transposed.base, gradientLanes: lanes.base, x: x.baseAddress! + start, xStride: batch,
                        hidden: hidden.base, dy: dy.base + start, dx: dx.base + start, dHidden: dHidden.base, count: count,
                        firstTile: start == 0)
                }
            }
            sub.reduceGradients(lanes: lanes.base, into: grads.base)
            return (grads.array(), dx.array())
        }
        let (whole, wholeDx) = gradients(tile: batch)
        let (tiled, tiledDx) = gradients(tile: Self.batch)
        #expect(wholeDx == tiledDx)
        // Each parameter's partial sums run over the same samples in the same order whatever the tile.
        #expect(whole == tiled)
    }

    @Test func batchNorm() {
        var rng = SeededRandom(seed: 12)
        let count = 12
        var x = Self.random(Self.batch, &rng, scale: 2)
        let r = Self.random(Self.batch, &rng)
        var gb: [Float] = [1.3, -0.4]
        let xhat = FloatBuffer(count: Self.batch), out = FloatBuffer(count: Self.batch)
        func loss(_ x: [Float], _ gb: [Float]) -> Double {
            _ = BatchNorm.forward(x, xhat: xhat.base, out: out.base, count: count, gamma: gb[0], beta: gb[1])
            return (0..<count).reduce(0) { $0 + Double(r[$1] * out[$1]) }
        }
        _ = loss(x, gb)
        let stats = BatchNorm.forward(x, xhat: xhat.base, out: out.base, count: count, gamma: gb[0], beta: gb[1])
        let dx = FloatBuffer(count: Self.batch)
        let g = BatchNorm.backward(
            dout: r, xhat: xhat.base, dx: dx.base, count: count, padded: Self.batch,
            gamma: gb[0], variance: stats.variance)
        for i in 0..<count {
            let n = Self.numeric(&x, i, h: 1e-3) { loss($0, gb) }
            #expect(Self.close(Double(dx[i]), n), "x\(i): analytic \(dx[i]) numeric \(n)")
        }
        for i in count..<Self.batch { #expect(dx[i] == 0) }
        #expect(Self.close(Double(g.gamma), Self.numeric(&gb, 0) { loss(x, $0) }))
        #expect(Self.close(Double(g.beta), Self.numeric(&gb, 1) { loss(x, $0) }))
    }

    /// The straight-through estimator is the exact gradient of the surrogate
    /// `s · clamp(x/s + c)` with the rounding offset `c = round(v₀) − v₀` frozen.
    @Test func quantizerStraightThrough() {
        for signed in [false, true] {
            let range = Quantization.Range(bits: 3, signed: signed)
            var rng = SeededRandom(seed: 13)
            let scale: Float = 0.7
            let x = Self.random(Self.batch, &rng, scale: 6)
            let r = Self.random(Self.batch, &rng)
            // Rounding offset, frozen; zero where the clamp is active.
            let offsets = x.map { x -> Float in
                let v = x / scale
                return v < range.lo || v > range.hi ? 0 : v.rounded(.toNearestOrEven) - v
            }
            func clampedPlusOffset(_ v: Float, _ b: Int) -> Float { min(max(v, range.lo), range.hi) + offsets[b] }
            func surrogate(_ x: [Float], _ s: Float) -> Double {
                (0..<x.count).reduce(0) { acc, b in acc + Double(r[b] * s * clampedPlusOffset(x[b] / s, b)) }
            }
            let out = FloatBuffer(count: Self.batch)
            Quantization.forward(x, out.base, count: Self.batch, scale: scale, range: range)
            for b in 0..<Self.batch {
                let v = x[b] / scale
                // The surrogate and the real quantizer agree at the point itself.
                #expect(abs(out[b] - scale * clampedPlusOffset(v, b)) < 1e-5)
            }
            let dx = FloatBuffer(count: Self.batch)
            let ds = Quantization.backward(x, dout: r, dx: dx.base, count: Self.batch, scale: scale, range: range)
            var xs = x
            for i in 0..<Self.batch where abs(x[i] / scale - range.lo) > 0.05 && abs(x[i] / scale - range.hi) > 0.05 {
                let n = Self.numeric(&xs, i, h: 1e-3) { surrogate($0, scale) }
                #expect(Self.close(Double(dx[i]), n), "x\(i)")
            }
            var s = [scale]
            let n = Self.numeric(&s, 0, h: 1e-4) { surrogate(x, $0[0]) }
            #expect(Self.close(Double(ds), n, tolerance: 5e-2), "scale: analytic \(ds) numeric \(n)")
        }
    }

    /// The distillation loss (`CrossEntropy.SoftTargets`): its gradient is the loss's derivative.
    @Test(arguments: [Float(0), 0.1]) func crossEntropyWithSoftTargets(smoothing: Float) {
        var rng = SeededRandom(seed: 15)
        let classes = 4, count = 10
        var logits = Self.random(classes * Self.batch, &rng, scale: 3)
        let teacher = Self.random(classes * Self.batch, &rng, scale: 4)
        let labels: [Int32] = (0..<Self.batch).map { Int32($0 % classes) }
        let grad = FloatBuffer(count: classes * Self.batch)
        let unused = FloatBuffer(count: classes * Self.batch)
        teacher.withUnsafeBufferPointer { teacher in
            let soft = CrossEntropy.SoftTargets(logits: teacher.baseAddress!, weight: 0.6, temperature: 2)
            func loss(_ l: [Float]) -> Double {
                CrossEntropy.evaluate(
                    logits: l, labels: labels, classes: classes, count: count, batch: Self.batch,
                    smoothing: smoothing, soft: soft, gradient: unused.base
                ).loss / Double(count)
            }
            _ = CrossEntropy.evaluate(
                logits: logits, labels: labels, classes: classes, count: count, batch: Self.batch,
                smoothing: smoothing, soft: soft, gradient: grad.base)
            for i in 0..<logits.count {
                let n = Self.numeric(&logits, i, h: 1e-2) { loss($0) }
                #expect(Self.close(Double(grad[i]), n, tolerance: 1e-2), "logit \(i): analytic \(grad[i]) numeric \(n)")
            }
        }
    }

    @Test(arguments: [Float(0), 0.1]) func crossEntropy(smoothing: Float) {
        var rng = SeededRandom(seed: 14)
        let classes = 4, count = 10
        var logits = Self.random(classes * Self.batch, &rng, scale: 3)
        let labels: [Int32] = (0..<Self.batch).map { Int32($0 % classes) }
        let grad = FloatBuffer(count: classes * Self.batch)
        let unused = FloatBuffer(count: classes * Self.batch)
        func loss(_ l: [Float]) -> Double {
            CrossEntropy.evaluate(
                logits: l, labels: labels, classes: classes, count: count, batch: Self.batch,
                smoothing: smoothing, gradient: unused.base
            ).loss / Double(count)
        }
        _ = CrossEntropy.evaluate(
            logits: logits, labels: labels, classes: classes, count: count, batch: Self.batch,
            smoothing: smoothing, gradient: grad.base)
        for i in 0..<logits.count {
            let n = Self.numeric(&logits, i, h: 1e-2) { loss($0) }
            #expect(Self.close(Double(grad[i]), n, tolerance: 1e-2), "logit \(i): analytic \(grad[i]) numeric \(n)")
        }
    }
}
