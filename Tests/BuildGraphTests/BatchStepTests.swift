import BuildGraph
import Foundation
import Synchronization
import Testing

/// The batch rule: every member's key covers the batch's and every member's
/// parameters, so any change reruns the whole batch (what a clean build gives);
/// only forced members run alone, with the others frozen, under derived keys.
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
        return BatchStep(
            id: "train", kind: "train", version: 1, parameters: sharedParameters.bytes,
            inputs: ["data": .source("data.txt")], members: members, usesAllCores: true
        ) { context in
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

    @Test func memberChangeRerunsTheWholeBatch() async throws {
        let project = try MemoryProject()
        let log = RunLog()
        try project.write("data.txt", "d")
        let first = try await project.build(Self.graph(shared: "adam", own: ["8", "8", "8", "8"], log: log))
        #expect(first.ran == ["train/p0", "train/p1", "train/p2", "train/p3"])
        let second = try await project.build(Self.graph(shared: "adam", own: ["8", "16", "8", "8"], log: log))
        #expect(second.ran == ["train/p0", "train/p1", "train/p2", "train/p3"])
        #expect(log.all.last == "stale=p0,p1,p2,p3 fresh=")
        #expect(try project.read("gen/p0.txt") == "d:adam:8")
        #expect(try project.read("gen/p1.txt") == "d:adam:16")
        #expect(second.written == ["gen/p1.txt"])
    }

    /// The key leak this rule closes: a member's key must change when another
    /// member's parameters change, since the run that made it read them.
    @Test func everyMembersKeyCoversEveryMembersParameters() async throws {
        func keys(_ own: [String]) async throws -> [String: Digest] {
            let project = try MemoryProject()
            try project.write("data.txt", "d")
            try await project.build(Self.graph(shared: "adam", own: own, log: RunLog()))
            return try #require(try project.engine.lockFile()).steps.mapValues(\.key)
        }
        let before = try await keys(["8", "8"]), after = try await keys(["8", "16"])
        #expect(before["train/p0"] != after["train/p0"])
        #expect(before["train/p1"] != after["train/p1"])
    }

    @Test func aLostMemberRerunsTheWholeBatchNotItAlone() async throws {
        let project = try MemoryProject()
        let log = RunLog()
        try project.write("data.txt", "d")
        let graph = try Self.graph(shared: "adam", own: ["8", "8", "8"], log: log)
        try await project.build(graph)
        let lock = try #require(try project.engine.lockFile())
        try project.loseOutput(of: "train/p1", "p1", published: "gen/p1.txt")
        let rebuilt = try await project.build(graph)
        #expect(Set(rebuilt.ran) == ["train/p0", "train/p1", "train/p2"])
        #expect(log.all.last == "stale=p0,p1,p2 fresh=")
        #expect(try project.engine.lockFile() == lock)
    }

    /// `--retrain`: the forced member runs alone, the others frozen; its result
    /// is recorded under a key that no clean build computes, kept until the
    /// batch changes, and then the batch gives a clean build's result again.
    @Test func aForcedRunHasADerivedKeyAndLastsUntilTheBatchChanges() async throws {
        let project = try MemoryProject()
        let log = RunLog()
        try project.write("data.txt", "d")
        let graph = try Self.graph(shared: "adam", own: ["8", "8", "8"], log: log)
        try await project.build(graph)
        let clean = try #require(try project.engine.lockFile())
        let forced = try await project.build(graph, options: BuildOptions(force: { $0 == "train/p2" }))
        #expect(forced.ran == ["train/p2"])
        #expect(log.all.last == "stale=p2 fresh=p0,p1")
        let partial = try #require(try project.engine.lockFile())
        #expect(partial.steps["train/p2"]?.key != clean.steps["train/p2"]?.key)
        #expect(partial.steps["train/p0"] == clean.steps["train/p0"])
        // Kept: a plain build after it reruns nothing and leaves the lock as the forced run wrote it.
        let after = try await project.build(graph)
        #expect(after.ran.isEmpty)
        #expect(try project.engine.lockFile() == partial)
        #expect(try project.engine.explain(graph).isEmpty)
        // Lost, it cannot be made again: the build says so and gives the clean build's result.
        try project.loseOutput(of: "train/p2", "p2", published: "gen/p2.txt")
        let warnings = Mutex<[String]>([])
        project.clock.advance()
        try await project.engine.build(graph, options: BuildOptions(concurrency: 2)) { event in
            if case .warning(let message) = event { warnings.withLock { $0.append(message) } }
        }
        #expect(warnings.withLock { $0 }.contains { $0.contains("train/p2") && $0.contains("--retrain") }, "\(warnings.withLock { $0 })")
        #expect(try project.engine.lockFile() == clean)
        try await project.build(
            Self.graph(shared: "adam", own: ["8", "8", "8"], log: log), options: BuildOptions(force: { $0 == "train/p2" }))
        // A change of the batch gives what a clean build gives.
        try await project.build(Self.graph(shared: "sgd", own: ["8", "8", "8"], log: log))
        try await project.build(graph)
        #expect(try project.engine.lockFile() == clean)
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
        #expect(
            try project.engine.explain(Self.graph(shared: "adam", own: ["8", "4"], log: log))
                == [
                    StaleStep(id: "train/p0", reasons: [.sharedParametersChanged]),
                    StaleStep(id: "train/p1", reasons: [.sharedParametersChanged, .parametersChanged]),
                ])
        #expect(
            try project.engine.explain(Self.graph(shared: "sgd", own: ["8", "8"], log: log)).map(\.reasons)
                == [[.sharedParametersChanged], [.sharedParametersChanged]])
    }
}
