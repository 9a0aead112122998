import Foundation
import Testing
@testable import Pipeline
@testable import ProjectFile

/// docs/pipeline.md lists every step the graph has, and no other.
@Suite struct PipelineDocsTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../docs/pipeline.md").standardizedFileURL

    /// The graph's step ids, partitions written `layerL/pK`, with don't-cares and distillation on so that every kind of
    /// step is there.
    static func graphSteps() throws -> Set<String> {
        let text =
            MemoryPipeline.config.replacingOccurrences(of: "epochs = 3", with: "epochs = 3\ndistillation = 0.5")
            + "\n[hardware]\ndont_care = \"unseen\"\n"
        let config = try ProjectConfig.parse(text: text, path: ProjectConfig.fileName)
        let project = Project(directory: URL(fileURLWithPath: "/project"), displayDirectory: "", config: config, text: text)
        let ids = try BuildPipeline(project: project).graph().stepIDs
        return Set(ids.map { $0.replacingOccurrences(of: #"layer\d+/p\d+"#, with: "layerL/pK", options: .regularExpression) })
    }

    @Test func theStepListIsTheGraphs() throws {
        let text = try String(contentsOf: Self.docs, encoding: .utf8)
        let section = try #require(text.components(separatedBy: "## Every step").dropFirst().first?.components(separatedBy: "\n## ").first)
        let listed = section.split(separator: "\n").filter { $0.hasPrefix("- `") }.map { line in
            String(line.dropFirst(3).prefix { $0 != "`" })
        }
        #expect(Set(listed).count == listed.count, "a step listed twice")
        let graph = try Self.graphSteps()
        #expect(graph.subtracting(listed).sorted() == [], "steps missing from docs/pipeline.md")
        #expect(Set(listed).subtracting(graph).sorted() == [], "docs/pipeline.md lists steps the graph does not have")
    }
}
