import Foundation

/// Softmax cross-entropy on the last layer's dequantized outputs.
enum CrossEntropy {
    /// `logits` is `classes × batch`. Returns the summed loss and the number
    /// of correct first-maximum predictions over the `count` real samples,
    /// and writes `∂(mean loss)/∂logits` (zero on padding lanes). With
    /// `smoothing` ε the target puts `1 − ε + ε/classes` on the label and
    /// `ε/classes` on every other class.
    static func evaluate(
        logits: UnsafePointer<Float>, labels: UnsafePointer<Int32>, classes: Int, count: Int, batch: Int,
        smoothing: Float = 0, gradient: UnsafeMutablePointer<Float>
    ) -> (loss: Double, correct: Int) {
        var loss: Double = 0
        var correct = 0
        let inv = 1 / Float(count)
        var p = [Float](repeating: 0, count: classes)
        for b in 0..<count {
            var best = 0
            var m = logits[b]
            for c in 1..<classes where logits[c * batch + b] > m {
                m = logits[c * batch + b]
                best = c
            }
            var sum: Float = 0
            for c in 0..<classes {
                p[c] = exp(logits[c * batch + b] - m)
                sum += p[c]
            }
            let label = Int(labels[b])
            if best == label { correct += 1 }
            let other = smoothing / Float(classes), own = 1 - smoothing + other
            for c in 0..<classes {
                let target = c == label ? own : other
                if target > 0 { loss -= Double(target * log(p[c] / sum)) }
                gradient[c * batch + b] = (p[c] / sum - target) * inv
            }
        }
        for c in 0..<classes { for b in count..<batch { gradient[c * batch + b] = 0 } }
        return (loss, correct)
    }
}
