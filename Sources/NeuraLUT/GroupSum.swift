/// The additive output head in training (`NetworkSpec.partitionsPerClass`
/// = k > 1): class c's logit is the sum of its k partitions' dequantized
/// outputs, each times its `ClassScores.weight` over 2 when there are
/// tie-breakers (the last layer's learned scale acts as the softmax
/// temperature), so the argmax of the logits is the argmax of the weighted
/// code sums the hardware takes (`ClassScores`). Sums run in partition
/// order on one thread, so results never depend on the thread count.
enum GroupSum {
    /// Partition j's factor in its class's logit: its score weight, halved with tie-breakers.
    static func factors(partitionsPerClass k: Int, tieBreakers t: Int) -> [Float] {
        (0..<k).map { Float(ClassScores.weight(ofPartition: $0, partitionsPerClass: k, tieBreakers: t)) / (t == 0 ? 1 : 2) }
    }

    /// `logits[c·batch + b] = Σ factor_j · outputs[(c·k + j)·batch + b]` over j = 0 … k−1.
    static func forward(
        _ outputs: UnsafePointer<Float>, logits: UnsafeMutablePointer<Float>, classes: Int, partitionsPerClass k: Int,
        tieBreakers t: Int, batch: Int
    ) {
        let factors = factors(partitionsPerClass: k, tieBreakers: t)
        for c in 0..<classes {
            let row = logits + c * batch
            // Partition 0 always has factor 1 (t < k).
            row.update(from: outputs + c * k * batch, count: batch)
            for j in 1..<k {
                // A factor of 1 multiplies exactly, so plain sums keep their bits.
                let source = outputs + (c * k + j) * batch, f = factors[j]
                for b in 0..<batch { row[b] += f * source[b] }
            }
        }
    }

    /// Each partition's output gradient is its class's logit gradient times its factor.
    static func backward(
        _ logitGradients: UnsafePointer<Float>, outputGradients: UnsafeMutablePointer<Float>, classes: Int,
        partitionsPerClass k: Int, tieBreakers t: Int, batch: Int
    ) {
        let factors = factors(partitionsPerClass: k, tieBreakers: t)
        for c in 0..<classes {
            for j in 0..<k {
                let out = outputGradients + (c * k + j) * batch, gradient = logitGradients + c * batch, f = factors[j]
                for b in 0..<batch { out[b] = f * gradient[b] }
            }
        }
    }
}
