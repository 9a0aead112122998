import NeuraLUT
import RTL
import Testing
@testable import Synthesis

/// The estimate counts every mapped partition and says which LUTs no output depends on.
@Suite struct MappedEstimateTests {
    @Test func unreadPartitionsAreCountedSeparately() throws {
        let spec = NetworkSpec(
            inputFeatures: 4, inputBits: 2, classes: 2,
            layers: [
                LayerSpec(partitions: 4, fanIn: 1, outputBits: 2, shape: .neuraLUT(width: 4)),
                LayerSpec(partitions: 3, fanIn: 1, outputBits: 2, shape: .neuraLUT(width: 4)),
                LayerSpec(partitions: 2, fanIn: 1, outputBits: 2, shape: .neuraLUT(width: 4)),
            ], seed: 1)
        // Layer 2 reads only hidden output 0; hidden 0 reads layer-0 outputs 0 and 1.
        let wiring = Connectivity(inputs: [[[0], [1], [2], [3]], [[0, 1], [2], [3]], [[0], [0]]])
        func luts(_ n: Int) -> NetlistStatistics {
            var sizes = [Int](repeating: 0, count: LUT.maximumInputs + 1)
            sizes[6] = n
            return NetlistStatistics(lutsBySize: sizes, levels: 1)
        }
        let estimate = MappedEstimate(
            spec: spec, connectivity: wiring,
            statistics: [[luts(1), luts(2), luts(4), luts(8)], [luts(16), luts(32), luts(64)], [luts(1), luts(1)]],
            registers: .everyLayer)
        #expect(estimate.luts == 129)
        #expect(estimate.unreadPartitions == 4)
        #expect(estimate.unreadLUTs == 4 + 8 + 32 + 64)
        #expect(estimate.layers.map(\.unreadPartitions) == [2, 2, 0])
        #expect(
            estimate.report.contains(
                "unread      108 of these LUTs are in 4 partitions no output depends on; synthesis removes them (21 LUTs reach an output)"))
        #expect(estimate.report.contains("layer 1: 3 partitions (2 unread: 96 LUTs), 112 LUTs"))
    }
}
