import Foundation
import Testing
import Datasets

/// The real MNIST files from the shared data folder.
@Suite struct MNISTTests {
    static let folder = URL(fileURLWithPath: "/work/shared/datasets/mnist")

    @Test(.enabled(if: FileManager.default.fileExists(atPath: folder.path)))
    func testSetShapesLabelsAndChecksum() throws {
        let data = try IDXLoader.load(
            images: Self.folder.appendingPathComponent("t10k-images-idx3-ubyte.gz"),
            labels: Self.folder.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
        #expect(data.rows == 10_000 && data.columns == 784 && data.classes == 10)
        #expect(Array(data.labels.prefix(10)) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])
        let checksum = data.features.reduce(0.0) { $0 + Double($1) }
        #expect(checksum == 264_923_200)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: folder.path)))
    func trainingSetShapesAndFirstLabels() throws {
        let data = try IDXLoader.load(
            images: Self.folder.appendingPathComponent("train-images-idx3-ubyte.gz"),
            labels: Self.folder.appendingPathComponent("train-labels-idx1-ubyte.gz"))
        #expect(data.rows == 60_000 && data.columns == 784 && data.classes == 10)
        #expect(Array(data.labels.prefix(5)) == [5, 0, 4, 1, 9])
        let firstImage = data.row(0).reduce(0.0) { $0 + Double($1) }
        #expect(firstImage == 27_525)
    }
}
