import Foundation
import NeuraLUT
import RTL
import Testing

@Suite struct EstimatorTests {
    @Test func tinyDesignHasPlausibleCounts() throws {
        let design = try VerilogEmitter.design(network: Fixtures.small, options: RTLOptions(topName: "est_net"))
        let directory = try Fixtures.temporaryDirectory("estimate")
        defer { try? FileManager.default.removeItem(at: directory) }
        let estimate = try Estimator(timeout: 300).estimate(design: design, in: directory)
        #expect(estimate.luts > 0)
        #expect(estimate.luts == estimate.lutsBySize.reduce(0, +))
        // At most one 6-input LUT per output bit per partition is needed, plus argmax.
        #expect(estimate.luts < 200)
        // Input, hidden and valid registers: 12 + 10 + 8 data bits and 3 valid bits.
        #expect(estimate.flipFlops == 12 + 10 + 8 + 3)
        #expect(estimate.logicDepth >= 1)
        // The stored JSON leaves out the run time (reports are deterministic); everything else round-trips.
        let decoded = try JSONDecoder().decode(ResourceEstimate.self, from: try estimate.json())
        var timeless = estimate
        timeless.seconds = 0
        #expect(decoded == timeless)
        #expect(estimate.report.contains("LUTs"))
    }
}
