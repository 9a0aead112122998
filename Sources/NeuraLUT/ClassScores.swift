/// How a sample's output codes become its class: the one rule training's
/// reports, LUT inference, the table check, the test vectors and the
/// hardware all follow. Class c's score is the sum of the output codes of
/// its k partitions, c·k … c·k+k−1 (the additive "GroupSum" head; with
/// k = 1 a score is the code itself). With t tie-breakers the last t of them
/// weigh 1 and the others 2, so those t decide only where the others leave
/// classes close (with t = 1: exactly tied). The class is the first largest
/// score. Codes are the unsigned offset-binary codes the tables hold, so
/// their order is the signed values' order and their sums need no sign.
public enum ClassScores {
    /// The weight of the code of partition `j` (0 ..< k) of its class in the
    /// class's score: 1 without tie-breakers; with t, 1 for the last t and 2 for the others.
    @inline(__always)
    public static func weight(ofPartition j: Int, partitionsPerClass k: Int, tieBreakers t: Int) -> Int {
        t == 0 || j >= k - t ? 1 : 2
    }

    /// The sum of a class's weights: its largest score is this times the largest code.
    static func weightSum(partitionsPerClass k: Int, tieBreakers t: Int) -> Int { t == 0 ? k : 2 * k - t }

    /// Bits of one score: the output code's bits plus the carries, so the sum never overflows.
    public static func scoreBits(outputBits: Int, partitionsPerClass: Int, tieBreakers: Int = 0) -> Int {
        outputBits + carryBits(partitionsPerClass, tieBreakers: tieBreakers)
    }

    /// ⌈log2 Σw⌉: the carries a weighted sum of k codes adds (⌈log2 k⌉ without tie-breakers).
    public static func carryBits(_ partitionsPerClass: Int, tieBreakers: Int = 0) -> Int {
        ceilLog2(weightSum(partitionsPerClass: partitionsPerClass, tieBreakers: tieBreakers))
    }

    /// How class `index`'s score sums its partitions' codes, for file headers and port descriptions.
    public static func sumDescription(index: String, partitionsPerClass k: Int, tieBreakers t: Int) -> String {
        "the sum of the offset-binary output codes of partitions \(index)*\(k) ... \(index)*\(k)+\(k - 1)"
            + (t == 0 ? "" : ", each times 2 but the last \(t) (tie-breakers, times 1)")
    }

    /// ⌈log2 n⌉ (0 for n ≤ 1): the bits that tell n things apart.
    public static func ceilLog2(_ n: Int) -> Int {
        var bits = 0
        while (1 << bits) < n { bits += 1 }
        return bits
    }

    /// Each row's class scores (`rows × classes`) from its output codes
    /// (`rows × classes·k`), each sum taken in partition order.
    public static func scores(_ codes: [UInt16], classes: Int, partitionsPerClass k: Int, tieBreakers t: Int = 0) -> [UInt32] {
        let width = classes * k
        guard classes > 0, k > 0 else { return [] }
        let rows = codes.count / width
        let weights = (0..<k).map { UInt32(weight(ofPartition: $0, partitionsPerClass: k, tieBreakers: t)) }
        var scores = [UInt32](repeating: 0, count: rows * classes)
        for r in 0..<rows {
            for c in 0..<classes {
                var sum: UInt32 = 0
                for j in 0..<k { sum += weights[j] * UInt32(codes[r * width + c * k + j]) }
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
    public static func classes(_ codes: [UInt16], classes: Int, partitionsPerClass k: Int, tieBreakers t: Int = 0) -> [Int] {
        argmax(scores(codes, classes: classes, partitionsPerClass: k, tieBreakers: t), width: classes)
    }
}

extension NetworkSpec {
    /// Scores per sample, one per class: the last layer's partitions over k.
    public var scoreCount: Int { (layers.last?.partitions ?? 0) / max(partitionsPerClass, 1) }

    /// Bits of one class score (with k = 1, the output code's bits).
    public var scoreBits: Int {
        ClassScores.scoreBits(
            outputBits: layers.last?.outputBits ?? 0, partitionsPerClass: partitionsPerClass, tieBreakers: tieBreakers)
    }

    /// Each row's class scores from its last-layer output codes.
    public func classScores(outputCodes: [UInt16]) -> [UInt32] {
        ClassScores.scores(outputCodes, classes: scoreCount, partitionsPerClass: partitionsPerClass, tieBreakers: tieBreakers)
    }

    /// Each row's predicted class from its last-layer output codes.
    public func predictedClasses(outputCodes: [UInt16]) -> [Int] {
        ClassScores.classes(outputCodes, classes: scoreCount, partitionsPerClass: partitionsPerClass, tieBreakers: tieBreakers)
    }
}
