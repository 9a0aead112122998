import Foundation

/// Softmax cross-entropy on the last layer's dequantized outputs.
enum CrossEntropy {
    /// A distilled run's soft targets (`TrainingConfig.distillation`): the teacher's logits
    /// of the batch (`classes × batch`, like the logits), their weight α and the temperature T.
    struct SoftTargets {
        var logits: UnsafePointer<Float>
        var weight: Float
        var temperature: Float
    }

    /// `logits` is `classes × batch`. Returns the summed loss and the number
    /// of correct first-maximum predictions over the `count` real samples,
    /// and writes `∂(mean loss)/∂logits` (zero on padding lanes). With
    /// `smoothing` ε the target puts `1 − ε + ε/classes` on the label and
    /// `ε/classes` on every other class. With `soft` targets the loss is
    /// (1 − α) · that cross-entropy + α · T² · KL(teacher at T ‖ network at T), Hinton's
    /// distillation loss, whose gradient is (1 − α)(p − y) + α · T · (p_T − q_T).
    static func evaluate(
        logits: UnsafePointer<Float>, labels: UnsafePointer<Int32>, classes: Int, count: Int, batch: Int,
        smoothing: Float = 0, soft: SoftTargets? = nil, gradient: UnsafeMutablePointer<Float>
    ) -> (loss: Double, correct: Int) {
        var loss: Double = 0
        var correct = 0
        let inv = 1 / Float(count)
        let hard = 1 - (soft?.weight ?? 0)
        var p = [Float](repeating: 0, count: classes)
        var student = [Float](repeating: 0, count: classes)
        var teacher = [Float](repeating: 0, count: classes)
        for b in 0..<count {
            var best = 0
            for c in 1..<classes where logits[c * batch + b] > logits[best * batch + b] { best = c }
            softmax(logits, b, batch: batch, classes: classes, temperature: 1, into: &p)
            let label = Int(labels[b])
            if best == label { correct += 1 }
            let other = smoothing / Float(classes), own = 1 - smoothing + other
            for c in 0..<classes {
                let target = c == label ? own : other
                if target > 0 { loss -= Double(hard * target * log(p[c])) }
                gradient[c * batch + b] = hard * (p[c] - target) * inv
            }
            guard let soft else { continue }
            let t = soft.temperature
            softmax(logits, b, batch: batch, classes: classes, temperature: t, into: &student)
            softmax(soft.logits, b, batch: batch, classes: classes, temperature: t, into: &teacher)
            for c in 0..<classes {
                if teacher[c] > 0 { loss += Double(soft.weight * t * t * teacher[c] * (log(teacher[c]) - log(max(student[c], 1e-30)))) }
                gradient[c * batch + b] += soft.weight * t * (student[c] - teacher[c]) * inv
            }
        }
        for c in 0..<classes { for b in count..<batch { gradient[c * batch + b] = 0 } }
        return (loss, correct)
    }

    /// softmax(values[·, b] / temperature), from `classes × batch` values (the plain softmax
    /// with temperature 1: dividing by 1 changes no bit).
    static func softmax(
        _ values: UnsafePointer<Float>, _ b: Int, batch: Int, classes: Int, temperature: Float, into out: inout [Float]
    ) {
        var m = values[b]
        for c in 1..<classes { m = max(m, values[c * batch + b]) }
        var sum: Float = 0
        for c in 0..<classes {
            out[c] = exp((values[c * batch + b] - m) / temperature)
            sum += out[c]
        }
        for c in 0..<classes { out[c] /= sum }
    }
}
