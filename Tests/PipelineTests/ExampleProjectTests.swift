import Foundation
import Testing
@testable import Pipeline
@testable import ProjectFile

/// The shipped example projects (`examples/*/lutbuild.toml`, docs/mnist-frontier.md)
/// pass the project-file check as they are, data paths included (MNIST in
/// `../shared/datasets` beside the checkout), and select their model on
/// validation rows only, with the MNIST test set only reported.
@Suite struct ExampleProjectTests {
    static let examples = ConfigTemplateTests.root.appendingPathComponent("examples")

    static func exampleFolders() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(atPath: examples.path).sorted()
            .map { examples.appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent(ProjectConfig.fileName).path) }
    }

    @Test func everyExampleLoadsAndSelectsOnValidationOnly() throws {
        let folders = try Self.exampleFolders()
        #expect(folders.map(\.lastPathComponent).contains("mnist-lean"))
        for folder in folders {
            let config = try ProjectConfig.load(contentsOf: folder.appendingPathComponent(ProjectConfig.fileName))
            let name = folder.lastPathComponent
            #expect(config.dataset.test != nil, "\(name): the test set must be a separate file, never drawn from training rows")
            #expect(config.dataset.validationFraction > 0, "\(name): the model must be selected on validation rows")
            #expect(config.train.selection == .bestValidation, "\(name): the model must be selected on validation rows")
        }
    }

    /// The frontier example's tables as docs/mnist-frontier.md describes them:
    /// 8-bit leaf tables (4 inputs of 2 bits) read once each by 6-bit root
    /// tables (3 leaves), in three such pairs; don't-cares on.
    @Test func mnistLeanHasTheDocumentedShape() throws {
        let config = try ProjectConfig.load(contentsOf: Self.examples.appendingPathComponent("mnist-lean/\(ProjectConfig.fileName)"))
        let spec = config.networkSpec(inputFeatures: 784, classes: 10)
        #expect(spec.layers.indices.map(spec.tableAddressBits(ofLayer:)) == [8, 6, 8, 6, 8, 6])
        // Each root layer reads every leaf exactly once: the layers form trees.
        for root in stride(from: 1, to: spec.layers.count, by: 2) {
            #expect(spec.layers[root].partitions * spec.layers[root].fanIn == spec.layers[root - 1].partitions)
        }
        #expect(config.hardware.dontCare == .unseen)
    }
}
