import Foundation
import Synthesis
import Testing
@testable import Pipeline

/// The sweep's grid, settings and results files, without building anything.
@Suite struct SweepResultsTests {
    static func point(_ name: String, accuracy: Double?, luts: Int?) -> SweepPointResult {
        var result = SweepPointResult(
            name: "model.fan_in=\(name)", settings: [SweepSetting(key: "model.fan_in", value: name)],
            configDigest: name, results: BuildResults(), buildSeconds: 1)
        result.accuracy = accuracy
        result.luts = luts
        return result
    }

    @Test func paretoFrontKeepsOnlyUndominatedPoints() {
        let results = SweepResults(
            keys: ["model.fan_in"],
            points: [
                Self.point("3", accuracy: 0.90, luts: 1_000),
                Self.point("4", accuracy: 0.93, luts: 2_000),
                Self.point("5", accuracy: 0.92, luts: 3_000),  // dominated by 4
                Self.point("6", accuracy: 0.95, luts: 9_000),
                Self.point("7", accuracy: nil, luts: 500),  // not measured: never on the front
            ])
        #expect(results.points.map(\.pareto) == [true, true, false, true, false])
        let csv = results.csv().split(separator: "\n")
        #expect(
            csv[0]
                == "model.fan_in,accuracy,validation_accuracy,luts,encoder_luts,flip_flops,latency_cycles,logic_levels,build_seconds,pareto,point"
        )
        #expect(csv[3] == "5,0.920000,,3000,,,,,1.0,0,model.fan_in=5")
        let svg = SweepPlot.svg(results, title: "t")
        #expect(svg == SweepPlot.svg(results, title: "t"), "the plot must be deterministic")
        #expect(svg.contains("3: model.fan_in=5 — 92.00%, 3,000 LUTs"))
    }

    /// With the input encoder, a point carries the encoder's LUTs apart from the network's, from the estimate.
    @Test func theEncodersLUTsHaveTheirOwnColumn() {
        let encoder = MappedEstimate.ModuleCost(
            luts: 172, lutsBySize: [0, 0, 170, 2, 0, 0], carryChains: 0, logicDepth: 2, counter: "yosys")
        let results = BuildResults(resources: .init(luts: 1_307, flipFlops: 10, logicLevels: 4, encoder: encoder))
        let point = SweepPointResult(
            name: "model.seed=1", settings: [SweepSetting(key: "model.seed", value: "1")], configDigest: "d", results: results,
            buildSeconds: 2)
        #expect(point.luts == 1_307 && point.encoderLuts == 172)
        let csv = SweepResults(keys: ["model.seed"], points: [point]).csv().split(separator: "\n")
        #expect(csv[1].hasPrefix("1,,,1307,172,10,"), "\(csv[1])")
        #expect(
            SweepPlot.svg(SweepResults(keys: ["model.seed"], points: [point]), title: "t").contains("1,307 LUTs, encoder 172 LUTs more"))
    }

    /// The LUT axis starts at 0; points close together far from it (mnist-tiny's seeds:
    /// 2,704–2,826 LUTs) still keep a margin to the right edge for their dots.
    @Test func closePointsFarFromZeroStayInsideThePlot() {
        let axis = SweepPlot.Axis(values: [2_704, 2_761, 2_826], padFraction: 0.05, floorAtZero: true)
        #expect(axis.low == 0)
        let right = SweepPlot.plotLeft + 2_826 / axis.high * SweepPlot.plotWidth
        #expect(right <= SweepPlot.plotLeft + SweepPlot.plotWidth - 20, "the largest point at x = \(right)")
        let one = SweepPlot.Axis(values: [500], padFraction: 0.05, floorAtZero: true)
        #expect(one.low == 0 && one.high > 500)
        let accuracy = SweepPlot.Axis(values: [94.0, 95.0], padFraction: 0.1, floorAtZero: false)
        #expect(accuracy.low == 93.9 && accuracy.high == 95.1)
    }

    @Test func argumentsSplitOnTopLevelCommasAndValuesKeepTheirTOMLType() throws {
        #expect(SweepAxis.splitValues("1, 2,\"a,b\",[3,4]") == ["1", "2", "\"a,b\"", "[3,4]"])
        guard case .success(let axis) = SweepAxis.parse("model.layers[1].fan_in=3,4") else {
            Issue.record("not parsed")
            return
        }
        #expect(axis.path.description == "model.layers[1].fan_in")
        #expect(SweepPointResult.Value(toml: "3e-3") == .double(0.003))
        #expect(SweepPointResult.Value(toml: "4") == .int(4))
        #expect(SweepPointResult.Value(toml: "unseen") == .string("unseen"))
        #expect(SweepPointResult.Value(toml: "\"none\"") == .string("none"))
        #expect(SweepPlan.product([2, 3]).count == 6)
        #expect(SweepPlan.product([2, 3]).first == [0, 0] && SweepPlan.product([2, 3])[1] == [0, 1])
    }

    @Test func valuesEqualAsTOMLValuesAreOnePoint() {
        func message(_ argument: String) -> String? {
            guard case .failure(let error) = SweepAxis.parse(argument) else { return nil }
            return error.diagnostics.first?.message
        }
        #expect(message("train.learning_rate=3e-3,0.003") == "the values 3e-3 and 0.003 are the same value; each point must differ")
        #expect(message("model.fan_in=4,6,+6") == "the values 6 and +6 are the same value; each point must differ")
        #expect(message("rtl.registers=none,\"none\"") == "the values none and \"none\" are the same value; each point must differ")
        #expect(message("model.fan_in=4,4") == "the value 4 is given twice; each point must differ")
        #expect(message("model.fan_in=4,\"4\"") == nil, "an integer and a string differ")
    }

    @Test func aLongPointNameBecomesADigestThatFitsAFileName() {
        let short = [SweepSetting(key: "model.fan_in", value: "4")]
        #expect(SweepPlan.pointName(short) == "model.fan_in=4")
        let long = { (text: String) in
            [SweepSetting(key: "project.name", value: "\"\(text)\""), SweepSetting(key: "model.fan_in", value: "4")]
        }
        let name = SweepPlan.pointName(long(String(repeating: "a", count: 300)))
        #expect(name.utf8.count <= SweepPlan.maxNameLength && name.hasPrefix("point-"), "\(name)")
        #expect(SweepPlan.pointName(long(String(repeating: "a", count: 300))) == name, "stable")
        #expect(SweepPlan.pointName(long(String(repeating: "a", count: 299) + "b")) != name)
    }

    @Test func theGridSizeIsBoundedFromTheAxisSizesAlone() {
        #expect(throws: Never.self) { try SweepPlan.count([10, 100], limit: 1000) }
        #expect(throws: SweepPlan.TooManyPoints(count: 1_000_000, limit: 1000)) { try SweepPlan.count([1000, 1000], limit: 1000) }
        #expect(throws: SweepPlan.TooManyPoints(count: nil, limit: 1000)) { try SweepPlan.count([Int.max, 2], limit: 1000) }
    }
}
