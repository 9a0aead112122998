import Foundation
import Testing
@testable import FrontEnd
@testable import Pipeline

/// The `--json` summary event: what the build command writes is what watch mode reads.
@Suite struct BuildSummaryEventTests {
    static let event = BuildSummaryEvent(
        ran: 7, cached: 30, trainedPartitions: 4, written: 9, fetched: 2, uploaded: 3,
        results: BuildResults(inference: BuildResults.Inference(testAccuracy: 0.9375, testSamples: 359, latencyCycles: 3)))

    @Test func writesSnakeCaseKeysOnOneLine() throws {
        let line = try Self.event.jsonLine()
        let expected =
            #"{"cached":30,"event":"summary","fetched":2,"ran":7,"results":{"inference":{"latency_cycles":3,"#
            + #""test_accuracy":0.9375,"test_samples":359}},"trained_partitions":4,"uploaded":3,"written":9}"#
        #expect(line == expected)
    }

    @Test func watchReadsWhatTheBuildWrote() throws {
        let lines = #"{"event":"step","step":"train"}"# + "\n" + (try Self.event.jsonLine()) + "\n"
        #expect(BuildSummaryEvent.last(inJSONLines: Data(lines.utf8)) == Self.event)
        let outcome = try #require(ChildBuildOutcome.parse(jsonLines: Data(lines.utf8), seconds: 1.5))
        // Watch uses the results the build sent, not the files it finds afterwards.
        #expect(
            outcome == ChildBuildOutcome(seconds: 1.5, ran: 7, cached: 30, trainedPartitions: 4, written: 9, results: Self.event.results))
        #expect(BuildSummaryEvent.last(inJSONLines: Data(#"{"event":"step"}"#.utf8)) == nil)
    }

    /// Watch's `ran N steps` counts steps as the build's progress counter
    /// does, not the units inside them (a summary without `ran_steps`, from
    /// an older binary, still reads: its `ran` stands in).
    @Test func watchCountsStepsNotUnits() throws {
        var event = Self.event
        event.ranSteps = 5
        let line = try event.jsonLine()
        #expect(line.contains(#""ran":7,"ran_steps":5,"#))
        let outcome = try #require(ChildBuildOutcome.parse(jsonLines: Data(line.utf8), seconds: 1))
        #expect(outcome.ran == 5)
    }

    /// The watch line's figures come from the event, and its changes from the previous one.
    @Test func theWatchLineShowsTheEventsFiguresAndTheirChange() {
        var results = BuildResults(
            verification: VerifyReport(simulator: "iverilog", samples: 359, mismatches: 0, cycles: 400, accuracy: 0.85),
            resources: BuildResults.Resources(luts: 1234, flipFlops: 10, logicLevels: 4))
        let summary = RebuildSummary()
        let first = summary.line(ChildBuildOutcome(seconds: 4.2, ran: 12, cached: 40, trainedPartitions: 3, written: 5, results: results))
        #expect(first == "ok in 4.2 s: ran 12 steps (trained 3 partitions), 40 cached, test acc 85.0%, LUTs 1234")
        results.verification?.accuracy = 0.853
        results.resources?.luts = 1178
        let second = summary.line(ChildBuildOutcome(seconds: 1, ran: 1, cached: 51, trainedPartitions: 0, written: 1, results: results))
        #expect(second == "ok in 1.0 s: ran 1 step, 51 cached, test acc 85.3% (+0.3), LUTs 1178 (−56)")
    }
}
