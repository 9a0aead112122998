import Datasets
import Foundation
import Testing
@testable import NeuraLUT

@Suite struct BatchNormCalibrationTests {
    /// A briefly trained network whose running averages differ from its population statistics.
    static func trained() throws -> (TrainedNetwork, Dataset) {
        let data = Fixtures.blobs()
        let config = TrainingConfig(epochs: 1, batchSize: 32, calibrationRows: 0, threads: 1)
        return (try Trainer(spec: Fixtures.blobsSpec(), config: config, data: data).run().network, data)
    }

    @Test func statisticsAreThoseOfTheCalibrationRows() throws {
        let (net, data) = try Self.trained()
        let rows = Array(stride(from: 0, to: data.rows, by: 2))
        let calibrated = net.recalibratingBatchNorm(on: data, rows: rows, threads: 1)

        // Input front end: the rows' per-feature mean and unbiased variance.
        for f in 0..<data.columns {
            let x = rows.map { Double(data.features[$0 * data.columns + f]) }
            let mean = x.reduce(0, +) / Double(x.count)
            let variance = x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(x.count - 1)
            #expect(abs(Double(calibrated.quantizers.inputFrontEnd.mean[f]) - mean) < 1e-5)
            #expect(abs(Double(calibrated.quantizers.inputFrontEnd.variance[f]) - variance) < 1e-4)
        }

        // Layer 0: statistics of each partition's sub-network output on the rows' input codes.
        let encoder = calibrated.encoder
        let range = Quantization.Range(bits: net.spec.inputBits, signed: true)
        let n = Kernels.padded(rows.count)
        for (p, inputs) in net.connectivity.inputs[0].enumerated() {
            let w = calibrated.partitions[0][p]
            let layout = PartitionLayout(fanIn: w.fanIn, shape: w.shape)
            var x = [Float](repeating: 0, count: w.fanIn * n)
            for (slot, f) in inputs.enumerated() {
                for (b, r) in rows.enumerated() {
                    x[slot * n + b] = range.value(
                        code: encoder.code(data.features[r * data.columns + f], feature: f),
                        scale: calibrated.quantizers.inputFrontEnd.scale)
                }
            }
            let sub = SubNetwork(layout: layout, tile: n)
            var hidden = [Float](repeating: 0, count: sub.hiddenCount), y = [Float](repeating: 0, count: n)
            x.withUnsafeBufferPointer { xs in
                sub.forward(params: w.parameters, x: xs.baseAddress!, xStride: n, hidden: &hidden, y: &y, count: n)
            }
            let values = y.prefix(rows.count).map(Double.init)
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)
            #expect(abs(Double(w.runningMean) - mean) < 1e-4 * max(1, abs(mean)))
            #expect(abs(Double(w.runningVariance) - variance) < 1e-4 * max(1, variance))
        }
        #expect(calibrated != net)
    }

    /// Each layer is calibrated on the codes of the already calibrated layers
    /// below it, so a second pass changes nothing.
    @Test func calibratesInInferenceOrder() throws {
        let (net, data) = try Self.trained()
        let rows = Array(0..<data.rows)
        let once = net.recalibratingBatchNorm(on: data, rows: rows, threads: 2)
        #expect(once.recalibratingBatchNorm(on: data, rows: rows, threads: 1) == once)
    }

    @Test func onlySelectedPartitionsChange() throws {
        let (net, data) = try Self.trained()
        let chosen = PartitionID(layer: 1, index: 2)
        let calibrated = net.recalibratingBatchNorm(on: data, rows: Array(0..<data.rows), partitions: [chosen], inputFrontEnd: false)
        #expect(calibrated.quantizers == net.quantizers)
        for l in net.spec.layers.indices {
            for p in 0..<net.spec.layers[l].partitions where PartitionID(layer: l, index: p) != chosen {
                #expect(calibrated.partitions[l][p] == net.partitions[l][p])
            }
        }
        #expect(calibrated.partitions[1][2] != net.partitions[1][2])
        #expect(calibrated.partitions[1][2].parameters == net.partitions[1][2].parameters)
    }

    /// The trainer validates, selects and returns the calibrated network.
    @Test func trainerKeepsTheCalibratedNetwork() throws {
        let data = Fixtures.blobs()
        let trainer = try Trainer(
            spec: Fixtures.blobsSpec(), config: TrainingConfig(epochs: 2, batchSize: 32, keepsBestEpoch: false, calibrationRows: 100),
            data: data)
        #expect(trainer.calibrationRows.count == 100)
        #expect(Set(trainer.calibrationRows).isSubset(of: Set(trainer.trainRows)))
        let outcome = try trainer.run()
        #expect(outcome.log.bestEpoch == 2)  // keepsBestEpoch: false keeps the last
        let net = outcome.network
        #expect(net.recalibratingBatchNorm(on: data, rows: trainer.calibrationRows) == net)
        let uncalibrated = try Trainer(
            spec: Fixtures.blobsSpec(), config: TrainingConfig(epochs: 2, batchSize: 32, keepsBestEpoch: false, calibrationRows: 0),
            data: data
        ).run().network
        #expect(uncalibrated != net)
        #expect(uncalibrated.partitions.map { $0.map(\.parameters) } == net.partitions.map { $0.map(\.parameters) })
    }
}
