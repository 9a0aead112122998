import Foundation
import NeuraLUT
import Testing
@testable import Pipeline

@Suite struct BuildResultsTests {
    @Test func dontCaresAddALineComparingFilledAndExact() throws {
        let effect = FillingEffect(exactTestAccuracy: 0.9387, filledTestAccuracy: 0.9359, testLookupsOutsideCare: 0.0156,
                                   caredEntries: 203_051, entries: 434_176)
        let results = BuildResults(inference: .init(testAccuracy: 0.9359, testSamples: 359, latencyCycles: 3, dontCare: effect))
        #expect(results.lines == [
            "test accuracy 93.59% (LUT inference, 359 samples)",
            "don't-cares: test accuracy 93.59% filled, 93.87% exact (-0.28 points); 1.56% of test lookups outside the care sets (46.77% of table entries cared for)",
            "latency: 3 cycles",
        ])
        // The report the evaluate step writes reads back with the comparison.
        let report = EvaluateStep.Report(testAccuracy: 0.9359, testSamples: 359, latencyCycles: 3, dontCare: effect)
        #expect(try JSONDecoder().decode(BuildResults.Inference.self, from: StepCodecs.json(report)).dontCare == effect)
    }
}
