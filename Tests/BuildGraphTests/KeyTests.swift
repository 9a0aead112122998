import BuildGraph
import Foundation
import Testing

@Suite struct KeyTests {
    @Test func canonicalEncodingSeparatesFieldBoundaries() {
        var ab = CanonicalEncoder()
        ab.append("ab")
        ab.append("c")
        var a = CanonicalEncoder()
        a.append("a")
        a.append("bc")
        #expect(ab.bytes != a.bytes)
        var int = CanonicalEncoder()
        int.append(1)
        var string = CanonicalEncoder()
        string.append("1")
        #expect(int.bytes != string.bytes)
    }

    @Test func digestIsSha256Hex() {
        #expect(Digest.of("abc").hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest(hex: "xyz") == nil)
        #expect(Digest(hex: String(repeating: "A", count: 64)) == nil)
    }

    @Test func graphRejectsUnknownInputsDuplicatesAndCycles() throws {
        let log = RunLog()
        var graph = StepGraph()
        try graph.add(textStep("a", from: .output(step: "b", name: "out"), log: log) { $0 })
        #expect(throws: BuildError.self) { try graph.add(textStep("a", from: .source("x"), log: log) { $0 }) }
        try graph.add(textStep("b", from: .output(step: "a", name: "out"), log: log) { $0 })
        let project = try MemoryProject()
        let cyclic = graph
        do {
            _ = try project.engine.explain(cyclic)
            Issue.record("a cycle must be rejected")
        } catch let error as BuildError {
            #expect("\(error)".contains("cycle"))
        }
        var dangling = StepGraph()
        try dangling.add(textStep("c", from: .output(step: "nope", name: "out"), log: log) { $0 })
        #expect(throws: BuildError.invalidGraph("input 'in' of step 'c' names the unknown step 'nope'")) {
            try project.engine.explain(dangling)
        }
    }
}
