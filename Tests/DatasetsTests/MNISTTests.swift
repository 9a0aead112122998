import Foundation
import Testing
import Datasets
import TestSupport

/// The real MNIST files from the shared data folder.
@Suite struct MNISTTests {
    /// `../shared/datasets/mnist`; a clear failure naming it when it is missing.
    static func folder() throws -> URL { try SharedData.require("datasets/mnist") }

    @Test
    func testSetShapesLabelsAndChecksum() throws {
        let folder = try Self.folder()
        let data = try IDXLoader.load(
            images: folder.appendingPathComponent("t10k-images-idx3-ubyte.gz"),
            labels: folder.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
        #expect(data.rows == 10_000 && data.columns == 784 && data.classes == 10)
        #expect(Array(data.labels.prefix(10)) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])
        let checksum = data.features.reduce(0.0) { $0 + Double($1) }
        #expect(checksum == 264_923_200)
    }

    @Test
    func trainingSetShapesAndFirstLabels() throws {
        let folder = try Self.folder()
        let data = try IDXLoader.load(
            images: folder.appendingPathComponent("train-images-idx3-ubyte.gz"),
            labels: folder.appendingPathComponent("train-labels-idx1-ubyte.gz"))
        #expect(data.rows == 60_000 && data.columns == 784 && data.classes == 10)
        #expect(Array(data.labels.prefix(5)) == [5, 0, 4, 1, 9])
        let firstImage = data.row(0).reduce(0.0) { $0 + Double($1) }
        #expect(firstImage == 27_525)
    }
}
