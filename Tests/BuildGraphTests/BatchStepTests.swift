import BuildGraph
import Foundation
import Testing

/// The batch rule: a shared change makes every member stale; a member's own
/// change makes only it stale; fresh members are handed over frozen.
@Suite struct BatchStepTests {
    /// "train" has members p0…p3; member i outputs "<shared>:<own>:<seed>".
    static func graph(shared: String, own: [String], log: RunLog) throws -> StepGraph {
        var graph = StepGraph()
        try graph.add(batch(shared: shared, own: own, log: log))
        return graph
    }

    static func batch(shared: String, own: [String], log: RunLog) -> BatchStep {
        var sharedParameters = CanonicalEncoder()
        sharedParameters.append("optimizer", shared)
        let members = own.enumerated().map { index, value in
            var parameters = CanonicalEncoder()
            parameters.append("width", value)
            return BatchMember(name: "p\(index)", parameters: parameters.bytes, publish: "gen/p\(index).txt")
        }
        return BatchStep(id: "train", kind: "train", version: 1, parameters: sharedParameters.bytes,
                         inputs: ["data": .source("data.txt")], members: members, usesAllCores: true) { context in
            log.append("stale=\(context.stale.joined(separator: ",")) fresh=\(context.fresh.joined(separator: ","))")
            let data = text(try context.input("data"))
            var outputs: StepOutputs = [:]
            for member in context.stale {
                let index = Int(member.dropFirst())!
                outputs[member] = Data("\(data):\(shared):\(own[index])".utf8)
            }
            // Fresh members are readable, and anything returned for them is ignored.
            for member in context.fresh {
                _ = try context.freshOutput(member)
                outputs[member] = Data("overwritten".utf8)
            }
            return outputs
        }
    }

    @Test func memberChangeRetrainsOnlyThatMember() async throws {
        let project = try MemoryProject()
        let log = RunLog()
        try project.write("data.txt", "d")
        let first = try await project.build(Self.graph(shared: "adam", own: ["8", "8", "8", "8"], log: log))
        #expect(first.ran == ["train/p0", "train/p1", "train/p2", "train/p3"])
        let second = try await project.build(Self.graph(shared: "adam", own: ["8", "16", "8", "8"], log: log))
        #expect(second.ran == ["train/p1"])
        #expect(log.all.last == "stale=p1 fresh=p0,p2,p3")
        #expect(try project.read("gen/p0.txt") == "d:adam:8")
        #expect(try project.read("gen/p1.txt") == "d:adam:16")
        #expect(second.written == ["gen/p1.txt"])
    }

    @Test func sharedChangeRetrainsEveryMember() async throws {
        let project = try MemoryProject()
        let log = RunLog()
        try project.write("data.txt", "d")
        try await project.build(Self.graph(shared: "adam", own: ["8", "8"], log: log))
        let parameterChange = try await project.build(Self.graph(shared: "sgd", own: ["8", "8"], log: log))
        #expect(parameterChange.ran == ["train/p0", "train/p1"])
        try project.write("data.txt", "e")
        let dataChange = try await project.build(Self.graph(shared: "sgd", own: ["8", "8"], log: log))
        #expect(dataChange.ran == ["train/p0", "train/p1"])
        #expect(log.all.last == "stale=p0,p1 fresh=")
    }

    @Test func forcingOneMemberRetrainsOnlyIt() async throws {
        let project = try MemoryProject()
        let log = RunLog()
        try project.write("data.txt", "d")
        let graph = try Self.graph(shared: "adam", own: ["8", "8", "8"], log: log)
        try await project.build(graph)
        let forced = try await project.build(graph, options: BuildOptions(force: { $0 == "train/p2" }))
        #expect(forced.ran == ["train/p2"])
        #expect(try project.engine.explain(graph, force: { $0 == "train/p2" }) == [StaleStep(id: "train/p2", reasons: [.forced])])
    }

    @Test func explainSaysWhichMembersAndWhy() async throws {
        let project = try MemoryProject()
        let log = RunLog()
        try project.write("data.txt", "d")
        try await project.build(Self.graph(shared: "adam", own: ["8", "8"], log: log))
        #expect(try project.engine.explain(Self.graph(shared: "adam", own: ["8", "4"], log: log))
                == [StaleStep(id: "train/p1", reasons: [.parametersChanged])])
        #expect(try project.engine.explain(Self.graph(shared: "sgd", own: ["8", "8"], log: log)).map(\.reasons)
                == [[.sharedParametersChanged], [.sharedParametersChanged]])
    }
}
