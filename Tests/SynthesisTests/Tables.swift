import Foundation
import TestSupport
import NeuraLUT

/// Truth tables for the mapper tests.
enum Tables {
    /// Seeded random codes: no structure, the hardest case for the mapper.
    static func random(addressBits: Int, outputBits: Int, seed: UInt64) -> TruthTable {
        var rng = SeededRandom(seed: seed)
        let codes = (0..<(1 << addressBits)).map { _ in UInt16(rng.nextInt(below: 1 << outputBits)) }
        return TruthTable(addressBits: addressBits, outputBits: outputBits, codes: codes)
    }

    /// A quantized weighted sum of 2-bit inputs, like a trained partition.
    static func weightedSum(inputs: Int, weights: [Int], outputBits: Int) -> TruthTable {
        let codes = (0..<(1 << (2 * inputs))).map { address -> UInt16 in
            var sum = 0
            for i in 0..<inputs { sum += ((address >> (2 * i)) & 3) * weights[i % weights.count] }
            return UInt16(min(max(sum / 3, 0), (1 << outputBits) - 1))
        }
        return TruthTable(addressBits: 2 * inputs, outputBits: outputBits, codes: codes)
    }

    /// A fresh temporary directory.
    static func temporaryDirectory(_ label: String) throws -> URL {
        return try Sandbox("synth-\(label)").url
    }
}
