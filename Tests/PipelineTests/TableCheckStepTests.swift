import BuildGraph
import Datasets
import Foundation
import NeuraLUT
import Testing
@testable import Pipeline
@testable import ProjectFile

/// `check/tables` in the tiny in-memory project: a consistent build passes
/// it, a network with one wrong table entry fails the build, naming the rows.
@Suite struct TableCheckStepTests {
    @Test func aConsistentBuildPassesTheCheck() async throws {
        let project = try MemoryPipeline()
        #expect(try await project.build().ran.contains(TableCheckStep.id))
        // With don't-cares it checks the exact tables, not the filled ones (which differ off the care sets):
        // the same bytes as before, so the stored verdict stands.
        try project.edit("[rtl]", "[hardware]\ndont_care = \"unseen\"\n[rtl]")
        let config = try ProjectConfig.parse(text: try project.read("lutbuild.toml"), path: ProjectConfig.fileName)
        #expect(try TableCheckStep.make(config).inputs["tables"] == .output(step: NetworkStep.exactID, name: "network"))
        #expect(!(try await project.build().ran.contains(TableCheckStep.id)))
    }

    /// The damaged partition and the test row whose lookup is flipped.
    static let damaged = PartitionID(layer: 0, index: 1)
    static let row = 0
    static let addressFile = "gen/damaged_address.txt"

    @Test func aWrongTableEntryFailsTheBuildNamingTheRows() async throws {
        let memory = try MemoryPipeline()
        let (address, error) = try await Self.buildWithDamagedTable(memory)
        let failure = try #require(error as? BuildFailure)
        #expect(failure.failures.map(\.step) == [TableCheckStep.id])
        let message = "\(try #require(failure.failures.first?.error as? PipelineError))"
        #expect(
            message.hasPrefix(
                "the tables disagree with the trained network: LUT inference on the exact tables differs "
                    + "from the quantized network on "), "\(message)")
        #expect(
            message.contains("test row \(Self.row): the tables give class ") || message.contains("test row \(Self.row): both give class "),
            "\(message)")
        #expect(message.contains("(first difference: \(Self.damaged) entry \(address) holds "), "\(message)")
        #expect(message.hasSuffix("run `lutbuild clean` and build again"), "\(message)")
    }

    /// The build's steps up to the network and the check, with one table
    /// entry of `damaged` flipped on its way into the network: the entry
    /// test row `row` looks up. Returns that address and the build's error.
    static func buildWithDamagedTable(_ memory: MemoryPipeline) async throws -> (address: Int, error: (any Error)?) {
        let text = try memory.read("lutbuild.toml")
        let config = try ProjectConfig.parse(text: text, path: ProjectConfig.fileName)
        let project = Project(directory: URL(fileURLWithPath: memory.root), displayDirectory: "", config: config, text: text)
        var graph = StepGraph()
        try graph.add(PrepareDataStep.make(project))
        try graph.add(ConnectivityStep.make(project))
        try graph.add(TrainStep.make(config, action: MemoryPipeline.untrained))
        for id in PipelineGraph.partitionIDs(config) {
            try graph.add(TabulateStep.make(id, table: config.model.tableSpec(ofLayer: id.layer)))
        }
        let tableInput = StepInputName("table", decode: StepCodecs.decodeTable)
        var damageInputs = StepInputs()
        damageInputs.bind(tableInput, to: OutputRefs.table(damaged))
        damageInputs.bind(CommonInputs.data, to: OutputRefs.data)
        damageInputs.bind(CommonInputs.connectivity, to: OutputRefs.connectivity)
        damageInputs.bind(CommonInputs.quantizers, to: OutputRefs.quantizers)
        try graph.add(
            Step(
                id: "damage", kind: "damage", version: 1,
                inputs: damageInputs.sources,
                outputs: ["table", "address"], publish: ["address": addressFile]
            ) { context in
                var table = try context.read(tableInput)
                let address = try lookedUp(context)
                table.codes[address] ^= 1
                return ["table": StepCodecs.encode(table), "address": Data("\(address)".utf8)]
            })
        try graph.add(NetworkStep.make(config) { $0 == damaged ? .output(step: "damage", name: "table") : OutputRefs.table($0) })
        try graph.add(TableCheckStep.make(config))
        let engine = BuildEngine(layout: OutputLayout.engineLayout(root: memory.root), fileSystem: memory.fileSystem, clock: memory.clock)
        memory.clock.advance()
        var failure: (any Error)?
        do {
            try await engine.build(graph, options: BuildOptions(concurrency: 2))
        } catch {
            failure = error
        }
        // Published when the damage step finished, before the check ran.
        let address = try #require(Int(try memory.read(addressFile)))
        return (address, failure)
    }

    /// The address test row `row` looks up in `damaged`'s table (layer 0: the encoded features it is wired to).
    static func lookedUp(_ context: StepContext) throws -> Int {
        let test = try context.read(CommonInputs.data).test
        let connectivity = try context.read(CommonInputs.connectivity)
        let encoder = try context.read(CommonInputs.quantizers).inputFrontEnd.encoder
        let codes = encoder.encode(test.row(row))
        return connectivity.inputs[0][damaged.index].reduce(0) { $0 << encoder.bits | Int(codes[$1]) }
    }
}
