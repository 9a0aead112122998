import Foundation
import NeuraLUT
import Testing
@testable import Pipeline

@Suite struct BuildResultsTests {
    /// The LUT count covers every mapped partition; the line says how many of
    /// them are in partitions no output depends on.
    @Test func hardwareLineSaysWhichLUTsReachNoOutput() throws {
        var resources = BuildResults.Resources(luts: 4294, flipFlops: 100, logicLevels: 6)
        #expect(BuildResults(resources: resources).lines == ["hardware: 4294 LUTs (mapped partitions, exact), 100 FFs, 6 LUT levels"])
        resources.unreadLUTs = 428
        resources.unreadPartitions = 4
        #expect(
            BuildResults(resources: resources).lines == [
                "hardware: 4294 LUTs (mapped partitions, exact; 428 of them in 4 partitions no output depends on, which"
                    + " synthesis removes), 100 FFs, 6 LUT levels"
            ])
    }

    @Test func dontCaresAddALineComparingFilledAndExact() throws {
        let effect = FillingEffect(
            exactTestAccuracy: 0.9387, filledTestAccuracy: 0.9359, testLookupsOutsideCare: 0.0156,
            caredEntries: 203_051, entries: 434_176)
        let results = BuildResults(inference: .init(testAccuracy: 0.9359, testSamples: 359, latencyCycles: 3, dontCare: effect))
        #expect(
            results.lines == [
                "test accuracy 93.59% (LUT inference, 359 samples)",
                "don't-cares: test accuracy 93.59% filled, 93.87% exact (-0.28 points); 1.56% of test lookups outside the care"
                    + " sets (46.77% of table entries cared for)",
                "latency: 3 cycles",
            ])
        // The report the evaluate step writes reads back with the comparison.
        let report = EvaluateStep.Report(testAccuracy: 0.9359, testSamples: 359, latencyCycles: 3, dontCare: effect)
        #expect(try JSONDecoder().decode(BuildResults.Inference.self, from: StepCodecs.json(report)).dontCare == effect)
    }

    /// The tables' validation accuracy, where a model is chosen, is printed beside the test accuracy, filled and exact.
    @Test func validationAccuracyOfTheTablesIsPrinted() throws {
        let effect = FillingEffect(
            exactTestAccuracy: 0.9387, filledTestAccuracy: 0.9359, testLookupsOutsideCare: 0.0156,
            caredEntries: 203_051, entries: 434_176, exactValidationAccuracy: 0.9443, filledValidationAccuracy: 0.9423)
        var inference = BuildResults.Inference(testAccuracy: 0.9359, testSamples: 359, latencyCycles: 3, dontCare: effect)
        inference.validationAccuracy = 0.9423
        inference.validationSamples = 503
        #expect(
            BuildResults(inference: inference).lines == [
                "test accuracy 93.59% (LUT inference, 359 samples; validation 94.23%, 503 samples)",
                "don't-cares: test accuracy 93.59% filled, 93.87% exact (-0.28 points); 1.56% of test lookups outside the care"
                    + " sets (46.77% of table entries cared for); validation 94.23% filled, 94.43% exact",
                "latency: 3 cycles",
            ])
        #expect(try JSONDecoder().decode(BuildResults.Inference.self, from: StepCodecs.json(inference)) == inference)
    }
}
