import Foundation
import Testing
@testable import NeuraLUT

@Suite struct ClassScoresTests {
    @Test func scoresSumEachClassesContiguousPartitions() {
        // Two rows, 3 classes × 2 partitions: class c owns codes 2c and 2c+1.
        let codes: [UInt16] = [1, 2, 3, 0, 0, 3, 7, 7, 0, 0, 14, 0]
        #expect(ClassScores.scores(codes, classes: 3, partitionsPerClass: 2) == [3, 3, 3, 14, 0, 14])
        // Ties go to the lowest class: row 0 ties all three, row 1 classes 0 and 2.
        #expect(ClassScores.classes(codes, classes: 3, partitionsPerClass: 2) == [0, 0])
        #expect(ClassScores.classes([0, 1, 2, 2, 0, 0], classes: 3, partitionsPerClass: 2) == [1])
    }

    @Test func oneClassPerPartitionIsTheArgmaxOfTheCodes() {
        let codes: [UInt16] = [3, 7, 7, 1, 0, 0, 0, 0]
        #expect(ClassScores.scores(codes, classes: 4, partitionsPerClass: 1) == codes.map(UInt32.init))
        #expect(ClassScores.classes(codes, classes: 4, partitionsPerClass: 1) == [1, 0])
    }

    @Test func scoreBitsHoldTheLargestSum() {
        for k in [1, 2, 3, 4, 5, 8, 9, 4096] {
            for bits in [1, 3, 16] {
                let scoreBits = ClassScores.scoreBits(outputBits: bits, partitionsPerClass: k)
                #expect(UInt64(k) * UInt64((1 << bits) - 1) < UInt64(1) << UInt64(scoreBits), "k \(k), \(bits) bits")
            }
        }
        #expect(ClassScores.scoreBits(outputBits: 3, partitionsPerClass: 1) == 3)
        #expect(ClassScores.scoreBits(outputBits: 3, partitionsPerClass: 3) == 5)
    }

    @Test func networkSpecEncodesWithoutTheKeyWhenOnePerClass() throws {
        let plain = Fixtures.blobsSpec()
        let json = String(decoding: try JSONEncoder().encode(plain), as: UTF8.self)
        #expect(!json.contains("partitionsPerClass"))
        let grouped = Fixtures.groupedBlobsSpec(partitionsPerClass: 2)
        let decoded = try JSONDecoder().decode(NetworkSpec.self, from: try JSONEncoder().encode(grouped))
        #expect(decoded == grouped && decoded.partitionsPerClass == 2)
        var back = grouped
        back.partitionsPerClass = 1
        back.layers[2].partitions = 3
        #expect(back == plain)
    }

    /// With t tie-breakers the last t codes of a class weigh 1 and the others 2,
    /// so with t = 1 that code decides only between classes the others tie.
    @Test func tieBreakersWeighHalfAndDecideTies() {
        // One row, 3 classes × 3 partitions: classes 0 and 1 tie on their first two codes.
        let codes: [UInt16] = [1, 1, 0, 1, 1, 1, 0, 1, 1]
        #expect(ClassScores.scores(codes, classes: 3, partitionsPerClass: 3) == [2, 3, 2])
        #expect(ClassScores.scores(codes, classes: 3, partitionsPerClass: 3, tieBreakers: 1) == [4, 5, 3])
        #expect(ClassScores.classes(codes, classes: 3, partitionsPerClass: 3, tieBreakers: 1) == [1])
        // A tie-breaker never outweighs one code of weight 2: class 0 leads by one there.
        #expect(ClassScores.classes([1, 1, 0, 1, 0, 1], classes: 2, partitionsPerClass: 3, tieBreakers: 1) == [0])
        for (k, t) in [(2, 1), (3, 1), (25, 1), (26, 3), (4096, 4095)] {
            for bits in [1, 3] {
                let largest = (0..<k).reduce(0) { $0 + ClassScores.weight(ofPartition: $1, partitionsPerClass: k, tieBreakers: t) }
                let scoreBits = ClassScores.scoreBits(outputBits: bits, partitionsPerClass: k, tieBreakers: t)
                #expect(largest * ((1 << bits) - 1) < 1 << scoreBits, "k \(k), t \(t), \(bits) bits")
            }
        }
        // Training's logits weigh the outputs the same way, halved: 1 and ½.
        #expect(GroupSum.factors(partitionsPerClass: 3, tieBreakers: 1) == [1, 1, 0.5])
        #expect(GroupSum.factors(partitionsPerClass: 3, tieBreakers: 0) == [1, 1, 1])
    }

    @Test func tieBreakersNeedAtLeastOneFullWeightPartition() throws {
        var spec = Fixtures.groupedBlobsSpec(partitionsPerClass: 2)
        spec.tieBreakers = 1
        try spec.validate()
        spec.tieBreakers = 2
        #expect(throws: SpecError(.tieBreakers, "must be less than `partitions_per_class` (2), got 2")) { try spec.validate() }
        let json = String(decoding: try JSONEncoder().encode(Fixtures.groupedBlobsSpec(partitionsPerClass: 2)), as: UTF8.self)
        #expect(!json.contains("tieBreakers"))
    }

    @Test func validationAsksForClassesTimesK() throws {
        try Fixtures.groupedBlobsSpec(partitionsPerClass: 2).validate()
        var spec = Fixtures.groupedBlobsSpec(partitionsPerClass: 2)
        spec.layers[2].partitions = 5
        #expect(throws: SpecError("model: the last layer has 5 partitions, expected 2 per class (3 × 2 = 6)")) { try spec.validate() }
        spec.partitionsPerClass = 4097
        #expect(throws: SpecError(.partitionsPerClass, "must be in 1...4096, got 4097")) { try spec.validate() }
    }
}
