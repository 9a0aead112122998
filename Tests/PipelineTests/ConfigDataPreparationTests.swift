import Foundation
import Testing
@testable import Pipeline
import TestSupport
@testable import ProjectFile

/// Data preparation from a project file on the real MNIST IDX files.
@Suite struct ConfigDataPreparationTests {

    @Test
    func idxProjectSplitsAndScalesPixels() throws {
        let mnist = try SharedData.require("datasets/mnist").path
        let folderSandbox = try Sandbox("prep")
        defer { folderSandbox.remove() }
        let folder = folderSandbox.url
        let text = """
            [project]
            name = "mnist_lut"
            [dataset]
            format = "idx"
            train = "\(mnist)/t10k-images-idx3-ubyte.gz"
            train_labels = "\(mnist)/t10k-labels-idx1-ubyte.gz"
            normalize = "mnist"
            [model]
            layers = [{ partitions = 20 }, { partitions = 12 }]
            """
        try Data(text.utf8).write(to: folder.appendingPathComponent("lutbuild.toml"))
        let project = try Project.open(path: folder.path)
        #expect {
            try project.prepareData()
        } throws: { error in
            (error as? ProjectError)?.diagnostics.map(\.description) == [
                "\(folder.path)/lutbuild.toml:9: model.layers[1].partitions: the last layer needs one partition per class:"
                    + " expected 10 (the classes in \(mnist)/t10k-images-idx3-ubyte.gz), found 12"
            ]
        }
        // Class names must name every class of the data.
        try Data(
            text.replacingOccurrences(of: "partitions = 12", with: "partitions = 10")
                .replacingOccurrences(of: "[dataset]", with: "[dataset]\nclass_names = [\"zero\", \"one\"]").utf8
        )
        .write(to: folder.appendingPathComponent("lutbuild.toml"))
        #expect {
            try Project.open(path: folder.path).prepareData()
        } throws: { error in
            (error as? ProjectError)?.diagnostics.map(\.description) == [
                "\(folder.path)/lutbuild.toml:4: dataset.class_names: 2 names for the 10 classes in"
                    + " \(mnist)/t10k-images-idx3-ubyte.gz; expected one name per class, in label order"
            ]
        }
        try Data(text.replacingOccurrences(of: "partitions = 12", with: "partitions = 10").utf8)
            .write(to: folder.appendingPathComponent("lutbuild.toml"))
        let data = try Project.open(path: folder.path).prepareData()
        #expect((data.train.rows, data.validation.rows, data.test.rows) == (7200, 800, 2000))
        #expect(data.features == 784 && data.classes == 10)
        let black = Float(-0.1307 / 0.3081), white = Float((1 - 0.1307) / 0.3081)
        #expect(abs(data.train.features[0] - black) < 1e-6)
        #expect(abs(data.train.features.max()! - white) < 1e-5)
    }
}
