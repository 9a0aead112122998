import Datasets
import Foundation
import NeuraLUT
import RTL
import Testing

/// The hardware path on a briefly trained model rather than random tables.
@Suite struct TrainedModelTests {
    static let data = Fixtures.blobs()
    static let trained: TrainedNetwork = {
        try! Trainer(spec: Fixtures.smallSpec, config: TrainingConfig(epochs: 8, batchSize: 16, learningRate: 1e-2), data: data).run()
            .network
    }()

    @Test func lutInferenceEqualsTheQuantizedNetworkExactly() throws {
        let lut = tabulate(Self.trained)
        let quantized = QuantizedNetwork(Self.trained)
        #expect(try lut.infer(dataset: Self.data) == quantized.outputCodes(Self.data))
        #expect(try lut.classify(dataset: Self.data) == quantized.predictions(Self.data))
        #expect(try lut.accuracy(dataset: Self.data) == quantized.accuracy(Self.data))
        #expect(try lut.accuracy(dataset: Self.data) > 0.5, "the model has learned something")
    }

    @Test func rtlOfTheTrainedModelPassesVerify() throws {
        let lut = tabulate(Self.trained)
        let design = try VerilogEmitter.design(network: lut, options: RTLOptions(topName: "trained_net"))
        let vectors = try TestVectors(network: lut, dataset: Self.data)
        let directory = try Fixtures.temporaryDirectory("trained")
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = try Verifier().verify(design: design, network: lut, vectors: vectors, in: directory)
        #expect(report.mismatches == 0, "\(report.summary)")
        #expect(report.samples == Self.data.rows)
        #expect(report.accuracy == QuantizedNetwork(Self.trained).accuracy(Self.data))
    }
}
