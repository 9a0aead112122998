import BuildGraph
import Foundation
import Testing

/// Batch members that report on the run (`reportsRun`) and the previous
/// outputs handed to stale members (warm start).
@Suite struct BatchRunReportTests {
    /// "train" has members p0…p(n-1), each outputting "<own>#<run>" (the run
    /// counter from `log`), and a `log` member listing the stale members and
    /// the previous outputs it was handed.
    static func graph(own: [String], log: RunLog) throws -> StepGraph {
        var members = own.enumerated().map { index, value in
            var parameters = CanonicalEncoder()
            parameters.append("width", value)
            return BatchMember(name: "p\(index)", parameters: parameters.bytes)
        }
        members.append(BatchMember(name: "log", publish: "gen/log.txt", reportsRun: true))
        var graph = StepGraph()
        try graph.add(
            BatchStep(id: "train", kind: "train", version: 1, members: members) { context in
                log.append("run")
                let run = log.all.count
                var outputs: StepOutputs = [:]
                var previous: [String] = []
                for member in context.stale where member != "log" {
                    outputs[member] = Data("\(own[Int(member.dropFirst())!])#\(run)".utf8)
                    previous.append("\(member)<-\(context.previousOutput(member: member).map(text) ?? "none")")
                }
                outputs["log"] = Data("stale=\(context.stale.joined(separator: ",")) \(previous.joined(separator: " "))".utf8)
                return outputs
            })
        return graph
    }

    @Test func reportMemberRunsWithAnyMemberAndDescribesThatRun() async throws {
        let project = try MemoryProject()
        let log = RunLog()
        let first = try await project.build(Self.graph(own: ["8", "8", "8"], log: log))
        #expect(first.ran == ["train/p0", "train/p1", "train/p2", "train/log"])
        #expect(try project.read("gen/log.txt") == "stale=p0,p1,p2,log p0<-none p1<-none p2<-none")

        let noOp = try await project.build(Self.graph(own: ["8", "8", "8"], log: log))
        #expect(noOp.ran.isEmpty)
        #expect(log.all.count == 1)

        #expect(try project.engine.explain(Self.graph(own: ["8", "8", "8"], log: log)).isEmpty)
        // A change reruns the whole batch, which starts afresh (no previous outputs).
        let changed = try await project.build(Self.graph(own: ["8", "4", "8"], log: log))
        #expect(changed.ran == ["train/p0", "train/p1", "train/p2", "train/log"])
        #expect(try project.read("gen/log.txt") == "stale=p0,p1,p2,log p0<-none p1<-none p2<-none")
    }

    @Test func staleMemberReceivesItsPreviousOutput() async throws {
        let project = try MemoryProject()
        let log = RunLog()
        let graph = try Self.graph(own: ["8", "8"], log: log)
        try await project.build(graph)
        let forced = try await project.build(graph, options: BuildOptions(force: { $0 == "train/p1" }))
        #expect(forced.ran == ["train/p1", "train/log"])
        #expect(try project.read("gen/log.txt") == "stale=p1,log p1<-8#1")
    }
}
