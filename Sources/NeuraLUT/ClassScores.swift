/// How a sample's output codes become its class: the one rule training's
/// reports, LUT inference, the table check, the test vectors and the
/// hardware all follow. Class c's score is the sum of the output codes of
/// its k partitions, c·k … c·k+k−1 (the additive "GroupSum" head; with
/// k = 1 a score is the code itself). The class is the first largest score.
/// Codes are the unsigned offset-binary codes the tables hold, so their
/// order is the signed values' order and their sums need no sign.
public enum ClassScores {
    /// Bits of one score: the output code's bits plus ⌈log2 k⌉, so the sum never overflows.
    public static func scoreBits(outputBits: Int, partitionsPerClass: Int) -> Int {
        outputBits + carryBits(partitionsPerClass)
    }

    /// ⌈log2 k⌉: the carries a sum of k codes adds.
    public static func carryBits(_ partitionsPerClass: Int) -> Int { ceilLog2(partitionsPerClass) }

    /// ⌈log2 n⌉ (0 for n ≤ 1): the bits that tell n things apart.
    public static func ceilLog2(_ n: Int) -> Int {
        var bits = 0
        while (1 << bits) < n { bits += 1 }
        return bits
    }

    /// Each row's class scores (`rows × classes`) from its output codes
    /// (`rows × classes·k`), each sum taken in partition order.
    public static func scores(_ codes: [UInt16], classes: Int, partitionsPerClass k: Int) -> [UInt32] {
        let width = classes * k
        guard classes > 0, k > 0 else { return [] }
        let rows = codes.count / width
        var scores = [UInt32](repeating: 0, count: rows * classes)
        for r in 0..<rows {
            for c in 0..<classes {
                var sum: UInt32 = 0
                for p in c * k..<(c + 1) * k { sum += UInt32(codes[r * width + p]) }
                scores[r * classes + c] = sum
            }
        }
        return scores
    }

    /// Index of the first largest value in each row of `width` values (ties go to the lowest index).
    public static func argmax<T: Comparable>(_ values: [T], width: Int) -> [Int] {
        guard width > 0 else { return [] }
        return (0..<values.count / width).map { r in
            var best = 0
            for i in 1..<width where values[r * width + i] > values[r * width + best] { best = i }
            return best
        }
    }

    /// Each row's predicted class: the argmax of its scores.
    public static func classes(_ codes: [UInt16], classes: Int, partitionsPerClass k: Int) -> [Int] {
        argmax(scores(codes, classes: classes, partitionsPerClass: k), width: classes)
    }
}

extension NetworkSpec {
    /// Scores per sample, one per class: the last layer's partitions over k.
    public var scoreCount: Int { (layers.last?.partitions ?? 0) / max(partitionsPerClass, 1) }

    /// Bits of one class score (with k = 1, the output code's bits).
    public var scoreBits: Int {
        ClassScores.scoreBits(outputBits: layers.last?.outputBits ?? 0, partitionsPerClass: partitionsPerClass)
    }

    /// Each row's class scores from its last-layer output codes.
    public func classScores(outputCodes: [UInt16]) -> [UInt32] {
        ClassScores.scores(outputCodes, classes: scoreCount, partitionsPerClass: partitionsPerClass)
    }

    /// Each row's predicted class from its last-layer output codes.
    public func predictedClasses(outputCodes: [UInt16]) -> [Int] {
        ClassScores.classes(outputCodes, classes: scoreCount, partitionsPerClass: partitionsPerClass)
    }
}
