import Foundation
import TestSupport
import Testing
@testable import Pipeline
@testable import ProjectFile

/// `--set` reads a value as the key table types the key: unquoted text is a
/// string for a key that holds one (a Slurm time of `30`, a version `2.0`),
/// and a number stays a number for a key that takes one.
@Suite struct SetValueTypingTests {
    let sandbox: Sandbox

    init() throws {
        sandbox = try Sandbox("set-typing")
        try sandbox.write("data/train.csv", "a,label\n1,0\n")
    }

    func project() throws -> Project {
        let text = MemoryPipeline.config
        return Project(
            directory: sandbox.url, displayDirectory: ".", config: try ProjectConfig.parse(text: text, path: "lutbuild.toml"),
            text: text)
    }

    @Test func unquotedTextIsAStringForAStringKey() throws {
        let variant = try SweepPlan.variant(
            of: project(), setting: ["sweep.slurm.time=30", "project.version=2.0", "train.epochs=3", "rtl.registers=none"])
        #expect(variant.config.sweep.slurm.time == "30")
        #expect(variant.config.project.version == "2.0")
        #expect(variant.config.train.epochs == 3)
        #expect(variant.config.rtl.registers == RegisterPlacement.none)
        sandbox.remove()
    }

    @Test func aWordIsStillRefusedForANumberKey() throws {
        #expect(throws: ProjectError.self) { try SweepPlan.variant(of: project(), setting: ["train.epochs=many"]) }
        sandbox.remove()
    }
}
