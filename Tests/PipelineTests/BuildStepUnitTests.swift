import Datasets
import Foundation
import NeuraLUT
import Testing
@testable import Pipeline
@testable import ProjectFile

/// Small pure parts of the build steps: raw-unit input thresholds and
/// project-relative data paths.
@Suite struct BuildStepUnitTests {
    /// Thresholds of the composed encoder give, on raw values, the codes the
    /// network computes after normalising (away from float rounding at a boundary).
    @Test func rawThresholdsReproduceNormalisedCodes() {
        let normalization = FeatureNormalization(scale: [0.25, -2, 0], offset: [-1.5, 0.3, 0.7])
        let encoder = InputEncoder(bits: 3, scale: [1.7, 2.2, 3], offset: [0.1, -0.4, 0.2])
        let thresholds = InputThresholds(encoder: ThresholdsStep.rawEncoder(encoder, after: normalization))
        var checked = 0
        for feature in 0..<3 {
            for step in -400...400 {
                let x = Double(step) * 0.0537
                let expected = Int(encoder.code(Float(x) * normalization.scale[feature] + normalization.offset[feature], feature: feature))
                let nearBoundary = thresholds.features[feature].thresholds.contains { abs($0 - x) < 1e-4 }
                if nearBoundary { continue }
                #expect(thresholds.code(x, feature: feature) == expected, "feature \(feature) x \(x)")
                checked += 1
            }
        }
        #expect(checked > 2000)
    }

    /// `xilinx:coreRevision` follows the IP's files: the same bytes give the
    /// same revision (deterministic output), any changed byte another one.
    @Test func coreRevisionChangesWithTheRTLAndOnlyWithIt() {
        let rtl: [String: Data] = [
            "gen/rtl/top.v": Data("module top; endmodule\n".utf8),
            "gen/rtl/top_l0_p0.v": Data("8'h00: data = 2'h3;\n".utf8),
        ]
        let revision = PackagingStep.coreRevision(contents: rtl)
        #expect(revision == PackagingStep.coreRevision(contents: rtl))
        #expect((1...(1 << 28)).contains(revision))
        var changed = rtl
        changed["gen/rtl/top_l0_p0.v"] = Data("8'h00: data = 2'h2;\n".utf8)
        #expect(PackagingStep.coreRevision(contents: changed) != revision)
        var renamed = rtl
        renamed["gen/rtl/other.v"] = renamed.removeValue(forKey: "gen/rtl/top.v")
        #expect(PackagingStep.coreRevision(contents: renamed) != revision)
    }

    @Test func dataPathsBecomeProjectRelative() {
        let project = URL(fileURLWithPath: "/home/a/proj", isDirectory: true)
        #expect(Project.projectRelative("data/x.csv", in: project) == "data/x.csv")
        #expect(Project.projectRelative("/home/a/proj/data/x.csv", in: project) == "data/x.csv")
        #expect(Project.projectRelative("/home/a/shared/x.csv", in: project) == "../shared/x.csv")
        #expect(Project.projectRelative("/srv/x.csv", in: project) == "../../../srv/x.csv")
    }
}
