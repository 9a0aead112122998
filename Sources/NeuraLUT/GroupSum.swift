/// The additive output head in training (`NetworkSpec.partitionsPerClass`
/// = k > 1): class c's logit is the plain sum of its k partitions'
/// dequantized outputs (the last layer's learned scale acts as the
/// softmax temperature), so the argmax of the logits is the argmax of the
/// code sums the hardware takes (`ClassScores`). Sums run in partition
/// order on one thread, so results never depend on the thread count.
enum GroupSum {
    /// `logits[c·batch + b] = Σ outputs[p·batch + b]` over partitions p = c·k … c·k+k−1.
    static func forward(
        _ outputs: UnsafePointer<Float>, logits: UnsafeMutablePointer<Float>, classes: Int, partitionsPerClass k: Int,
        batch: Int
    ) {
        for c in 0..<classes {
            let row = logits + c * batch
            row.update(from: outputs + c * k * batch, count: batch)
            for p in c * k + 1..<(c + 1) * k {
                let source = outputs + p * batch
                for b in 0..<batch { row[b] += source[b] }
            }
        }
    }

    /// Each partition's output gradient is its class's logit gradient (∂logit/∂y = 1).
    static func backward(
        _ logitGradients: UnsafePointer<Float>, outputGradients: UnsafeMutablePointer<Float>, classes: Int,
        partitionsPerClass k: Int, batch: Int
    ) {
        for c in 0..<classes {
            for p in c * k..<(c + 1) * k {
                (outputGradients + p * batch).update(from: logitGradients + c * batch, count: batch)
            }
        }
    }
}
