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

    @Test func validationAsksForClassesTimesK() throws {
        try Fixtures.groupedBlobsSpec(partitionsPerClass: 2).validate()
        var spec = Fixtures.groupedBlobsSpec(partitionsPerClass: 2)
        spec.layers[2].partitions = 5
        #expect(throws: SpecError("model: the last layer has 5 partitions, expected 2 per class (3 × 2 = 6)")) { try spec.validate() }
        spec.partitionsPerClass = 4097
        #expect(throws: SpecError(.partitionsPerClass, "must be in 1...4096, got 4097")) { try spec.validate() }
    }
}
