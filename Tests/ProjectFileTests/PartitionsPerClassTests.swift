import Foundation
import NeuraLUT
import Testing
@testable import ProjectFile

/// `model.partitions_per_class` at its default leaves every encoding (and so
/// every step key and sweep digest) as it was before the key existed.
@Suite struct PartitionsPerClassTests {
    static func config(_ extra: String, last: Int) throws -> ProjectConfig {
        try ProjectConfig.parse(
            text: """
                [project]
                name = "demo"
                [dataset]
                train = "data/d.csv"
                [model]
                fan_in = 4
                \(extra)
                layers = [{ partitions = 8 }, { partitions = \(last) }]
                """, path: "lutbuild.toml")
    }

    @Test func defaultIsAbsentFromEveryEncoding() throws {
        let plain = try Self.config("", last: 3)
        #expect(plain.model.partitionsPerClass == 1)
        #expect(plain.model.networkShape.partitionsPerClass == nil)
        for json in [try JSONEncoder().encode(plain), try JSONEncoder().encode(plain.model.networkShape)] {
            #expect(!String(decoding: json, as: UTF8.self).contains("partitionsPerClass"))
        }
        let written = try Self.config("partitions_per_class = 1", last: 3)
        #expect(written == plain)
    }

    @Test func aGroupedHeadReachesTheNetwork() throws {
        let grouped = try Self.config("partitions_per_class = 4", last: 12)
        #expect(grouped.model.partitionsPerClass == 4)
        let spec = grouped.networkSpec(inputFeatures: 8, classes: 3)
        #expect(spec.partitionsPerClass == 4 && spec.scoreCount == 3)
        try spec.validate()
        let decoded = try JSONDecoder().decode(ProjectConfig.self, from: try JSONEncoder().encode(grouped))
        #expect(decoded == grouped)
    }
}
