import Foundation
import Testing
@testable import Pipeline

/// The sweep's grid, settings and results files, without building anything.
@Suite struct SweepResultsTests {
    static func point(_ name: String, accuracy: Double?, luts: Int?) -> SweepPointResult {
        var result = SweepPointResult(name: "model.fan_in=\(name)", settings: [SweepSetting(key: "model.fan_in", value: name)],
                                      configDigest: name, results: BuildResults(), buildSeconds: 1)
        result.accuracy = accuracy
        result.luts = luts
        return result
    }

    @Test func paretoFrontKeepsOnlyUndominatedPoints() {
        let results = SweepResults(keys: ["model.fan_in"], points: [
            Self.point("3", accuracy: 0.90, luts: 1_000),
            Self.point("4", accuracy: 0.93, luts: 2_000),
            Self.point("5", accuracy: 0.92, luts: 3_000),  // dominated by 4
            Self.point("6", accuracy: 0.95, luts: 9_000),
            Self.point("7", accuracy: nil, luts: 500),  // not measured: never on the front
        ])
        #expect(results.points.map(\.pareto) == [true, true, false, true, false])
        let csv = results.csv().split(separator: "\n")
        #expect(csv[0] == "model.fan_in,accuracy,validation_accuracy,luts,flip_flops,latency_cycles,logic_levels,build_seconds,pareto,point")
        #expect(csv[3] == "5,0.920000,,3000,,,,1.0,0,model.fan_in=5")
        let svg = SweepPlot.svg(results, title: "t")
        #expect(svg == SweepPlot.svg(results, title: "t"), "the plot must be deterministic")
        #expect(svg.contains("3: model.fan_in=5 — 92.00%, 3,000 LUTs"))
    }

    @Test func argumentsSplitOnTopLevelCommasAndValuesKeepTheirTOMLType() throws {
        #expect(SweepAxis.splitValues("1, 2,\"a,b\",[3,4]") == ["1", "2", "\"a,b\"", "[3,4]"])
        guard case .success(let axis) = SweepAxis.parse("model.layers[1].fan_in=3,4") else { Issue.record("not parsed"); return }
        #expect(axis.path.description == "model.layers[1].fan_in")
        #expect(SweepPointResult.Value(toml: "3e-3") == .double(0.003))
        #expect(SweepPointResult.Value(toml: "4") == .int(4))
        #expect(SweepPointResult.Value(toml: "unseen") == .string("unseen"))
        #expect(SweepPointResult.Value(toml: "\"none\"") == .string("none"))
        #expect(SweepPlan.product([2, 3]).count == 6)
        #expect(SweepPlan.product([2, 3]).first == [0, 0] && SweepPlan.product([2, 3])[1] == [0, 1])
    }
}
