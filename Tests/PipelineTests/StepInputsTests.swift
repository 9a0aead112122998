import Foundation
import Testing
import NeuraLUT
@testable import Pipeline

/// Steps declare their inputs as typed names (`StepInputName`), bound once in
/// the graph and read back with the same constant, so no input name is
/// spelled twice and every reader decodes an input one way.
@Suite struct StepInputsTests {
    static let steps = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/Pipeline/Steps").standardizedFileURL

    /// Only `StepInputs.swift` touches the engine's untyped inputs: no step
    /// reads an input by a string or declares one in a dictionary literal.
    @Test func noStepReadsOrDeclaresAnInputByAString() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.steps.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count > 10)
        for file in files where file != "StepInputs.swift" {
            let text = try String(contentsOf: Self.steps.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.contains("context.input("), "\(file) reads an input by its name; declare a StepInputName")
            #expect(!text.contains("[String: StepInput]"), "\(file) declares inputs untyped; bind them in StepInputs")
        }
    }

    @Test func aFamilyNamesItsMembersUnderItsPrefix() {
        #expect(CommonInputs.tables["layer1/p2"].name == "table/layer1/p2")
        #expect(CommonInputs.rtl["top.v"].name == "rtl/top.v")
    }

    @Test func boundInputsAreTheStepsInputs() throws {
        var inputs = StepInputs()
        inputs.bind(CommonInputs.network, to: OutputRefs.network)
        inputs.bind(CommonInputs.tables["layer0/p0"], to: OutputRefs.table(PartitionID(layer: 0, index: 0)))
        #expect(
            inputs.sources == [
                "network": .output(step: NetworkStep.id, name: "network"),
                "table/layer0/p0": .output(step: "tabulate/layer0/p0", name: "table"),
            ])
    }
}
