/// Batch-norm of one row (one partition output or one input feature) over
/// the `count` real samples of a batch; padding lanes get zero gradient.
enum BatchNorm {
    struct Statistics: Sendable {
        var mean: Float
        var variance: Float

        /// Mean and unbiased variance of `value(0) … value(count − 1)`, summed in Double.
        init(of count: Int, _ value: (Int) -> Float) {
            var sum: Double = 0
            for i in 0..<count { sum += Double(value(i)) }
            let mean = sum / Double(count)
            var sq: Double = 0
            for i in 0..<count {
                let d = Double(value(i)) - mean
                sq += d * d
            }
            self.init(mean: Float(mean), variance: Float(sq / Double(count - 1)))
        }

        init(mean: Float, variance: Float) {
            self.mean = mean
            self.variance = variance
        }
    }

    /// Training forward: normalises with the batch statistics, writes
    /// `xhat = (x − μ)/σ` and `out = γ·xhat + β`, returns (μ, biased σ²).
    static func forward(
        _ x: UnsafePointer<Float>, xhat: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>,
        count: Int, gamma: Float, beta: Float
    ) -> Statistics {
        // Sums in Double, 4 lanes of partial sums reduced once (a serial sum would wait on every add).
        typealias D = SIMD4<Double>
        @inline(__always) func load(_ b: Int) -> SIMD4<Float> { UnsafeRawPointer(x + b).loadUnaligned(as: SIMD4<Float>.self) }
        let whole = count / D.scalarCount * D.scalarCount
        var sums = D(repeating: 0)
        for b in stride(from: 0, to: whole, by: D.scalarCount) { sums += D(load(b)) }
        var sum = sums.sum()
        for b in whole..<count { sum += Double(x[b]) }
        let mean = Float(sum / Double(count))
        var squares = D(repeating: 0)
        for b in stride(from: 0, to: whole, by: D.scalarCount) {
            let d = D(load(b) - SIMD4(repeating: mean))
            squares += d * d
        }
        var sq = squares.sum()
        for b in whole..<count {
            let d = Double(x[b] - mean)
            sq += d * d
        }
        let variance = Float(sq / Double(count))
        let invStd = 1 / (variance + Quantization.epsilon).squareRoot()
        for b in 0..<count {
            let n = (x[b] - mean) * invStd
            xhat[b] = n
            out[b] = gamma * n + beta
        }
        return Statistics(mean: mean, variance: variance)
    }

    /// Moves running statistics toward a batch's (PyTorch convention:
    /// momentum 0.1, unbiased variance).
    static func update(_ running: inout Statistics, with batch: Statistics, count: Int, momentum: Float) {
        let unbiased = count > 1 ? batch.variance * Float(count) / Float(count - 1) : batch.variance
        running.mean = (1 - momentum) * running.mean + momentum * batch.mean
        running.variance = (1 - momentum) * running.variance + momentum * unbiased
    }

    /// Training backward. Returns (∂L/∂γ, ∂L/∂β); writes `dx` for all
    /// `padded` lanes (zero beyond `count`).
    static func backward(
        dout: UnsafePointer<Float>, xhat: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>,
        count: Int, padded: Int, gamma: Float, variance: Float
    ) -> (gamma: Float, beta: Float) {
        // 8 lanes of partial sums, reduced once: a serial sum would wait on every add.
        typealias V = SIMD8<Float>
        @inline(__always) func load(_ p: UnsafePointer<Float>, _ b: Int) -> V { UnsafeRawPointer(p + b).loadUnaligned(as: V.self) }
        var g8 = V(repeating: 0), gx8 = V(repeating: 0)
        var b = 0
        while b + V.scalarCount <= count {
            let g = load(dout, b)
            g8 += g
            gx8 += g * load(xhat, b)
            b += V.scalarCount
        }
        var sumG = g8.sum(), sumGX = gx8.sum()
        for t in b..<count {
            sumG += dout[t]
            sumGX += dout[t] * xhat[t]
        }
        let invStd = 1 / (variance + Quantization.epsilon).squareRoot()
        let n = Float(count)
        let k = gamma * invStd / n
        for b in 0..<count { dx[b] = k * (n * dout[b] - sumG - xhat[b] * sumGX) }
        for b in count..<padded { dx[b] = 0 }
        return (sumGX, sumG)
    }

    /// The inference form `out = x·a + c` folded from running statistics.
    static func folded(gamma: Float, beta: Float, running: Statistics) -> (a: Float, c: Float) {
        let a = gamma / (running.variance + Quantization.epsilon).squareRoot()
        return (a, beta - running.mean * a)
    }
}
