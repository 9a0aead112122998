import BuildGraph
import Foundation
import Synchronization
import Testing

@Suite struct SchedulingTests {
    /// Tracks how many steps run at once, and what the all-cores step saw.
    /// Steps wait for each other without sleeping: each waits at a gate that
    /// opens once `bound` steps run together, so the peak is what the engine
    /// allowed, whatever the machine's speed (and a scheduler that allowed
    /// fewer would leave the gate shut: the time limit fails the test).
    final class Occupancy: Sendable {
        private struct State {
            var running = 0, peak = 0
            var exclusiveRunning = false, overlapped = false
            var open = false
            var waiting: [CheckedContinuation<Void, Never>] = []
        }
        private let state = Mutex(State())
        let bound: Int

        init(bound: Int) { self.bound = bound }

        func enter(exclusive: Bool) async {
            let opened = state.withLock { s -> [CheckedContinuation<Void, Never>] in
                s.running += 1
                s.peak = max(s.peak, s.running)
                if s.exclusiveRunning || (exclusive && s.running > 1) { s.overlapped = true }
                if exclusive { s.exclusiveRunning = true }
                guard s.running >= bound, !s.open else { return [] }
                s.open = true
                defer { s.waiting = [] }
                return s.waiting
            }
            opened.forEach { $0.resume() }
            // The all-cores step runs alone: it never waits for company.
            if exclusive { return }
            await withCheckedContinuation { continuation in
                let now = state.withLock { s -> Bool in
                    if s.open { return true }
                    s.waiting.append(continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        }

        func leave(exclusive: Bool) {
            state.withLock {
                $0.running -= 1
                if exclusive { $0.exclusiveRunning = false }
            }
        }
        var peak: Int { state.withLock { $0.peak } }
        var overlapped: Bool { state.withLock { $0.overlapped } }
    }

    static func gated(_ id: String, exclusive: Bool = false, occupancy: Occupancy) -> Step {
        Step(id: id, kind: "gated", version: 1, parameters: Data(id.utf8), outputs: ["out"], usesAllCores: exclusive) { _ in
            await occupancy.enter(exclusive: exclusive)
            occupancy.leave(exclusive: exclusive)
            return ["out": Data(id.utf8)]
        }
    }

    @Test(.timeLimit(.minutes(1))) func independentStepsRunInParallelWithinTheBound() async throws {
        let project = try MemoryProject()
        let occupancy = Occupancy(bound: 3)
        var graph = StepGraph()
        for index in 0..<8 { try graph.add(Self.gated("s\(index)", occupancy: occupancy)) }
        try await project.build(graph, options: BuildOptions(concurrency: 3))
        #expect(occupancy.peak == 3)
    }

    @Test(.timeLimit(.minutes(1))) func allCoresStepRunsAlone() async throws {
        let project = try MemoryProject()
        let occupancy = Occupancy(bound: 4)
        var graph = StepGraph()
        for index in 0..<4 { try graph.add(Self.gated("a\(index)", occupancy: occupancy)) }
        try graph.add(Self.gated("train", exclusive: true, occupancy: occupancy))
        for index in 0..<4 { try graph.add(Self.gated("b\(index)", occupancy: occupancy)) }
        let summary = try await project.build(graph, options: BuildOptions(concurrency: 4))
        #expect(summary.ran.count == 9)
        #expect(!occupancy.overlapped)
        #expect(occupancy.peak == 4)
    }

    @Test func failureMidGraphThenRebuildReusesCompletedSteps() async throws {
        let project = try MemoryProject()
        let log = RunLog()
        let broken = Mutex(true)
        func graph() throws -> StepGraph {
            var graph = StepGraph()
            try graph.add(textStep("a", from: .source("source.txt"), log: log) { $0 + "a" })
            try graph.add(
                Step(id: "b", kind: "b", version: 1, inputs: ["in": .output(step: "a", name: "out")], outputs: ["out"]) { context in
                    log.append("b")
                    if broken.withLock({ $0 }) { throw BuildError.stepFailed(step: "b", message: "simulated crash") }
                    return ["out": try context.input("in")]
                })
            try graph.add(textStep("c", from: .source("source.txt"), log: log) { $0 + "c" })
            try graph.add(textStep("d", from: .output(step: "b", name: "out"), log: log) { $0 + "d" })
            return graph
        }
        try project.write("source.txt", "x")
        await #expect(throws: BuildFailure.self) { try await project.build(graph(), options: BuildOptions(concurrency: 1)) }
        #expect(!log.all.contains("d"))
        broken.withLock { $0 = false }
        let summary = try await project.build(graph())
        #expect(summary.ran.sorted() == ["b", "d"])
    }

    @Test func tornIndexLineIsIgnoredAndOnlyItsStepReruns() async throws {
        let project = try MemoryProject()
        let log = RunLog()
        try project.write("source.txt", "abc")
        try await project.build(chainGraph(log: log))
        // A kill -9 in the middle of appending the last record leaves half a line.
        let index = project.root + "/.lutbuild/cache/index"
        var content = try project.fileSystem.read(index)
        content.removeLast(20)
        try project.fileSystem.overwrite(index, content)
        let summary = try await project.build(chainGraph(log: log))
        #expect(summary.ran == ["report"])
        #expect(try await project.build(chainGraph(log: log)).ran.isEmpty)
    }

    @Test func cancellationStopsTheBuildAndKeepsFinishedSteps() async throws {
        let project = try MemoryProject()
        let cancelled = Mutex(false)
        var graph = StepGraph()
        try graph.add(Step(id: "quick", kind: "quick", version: 1, outputs: ["out"]) { _ in ["out": Data("q".utf8)] })
        try graph.add(
            Step(
                id: "slow", kind: "slow", version: 1, inputs: ["in": .output(step: "quick", name: "out")],
                outputs: ["out"]
            ) { context in
                cancelled.withLock { $0 = true }
                while !context.isCancelled { try await Task.sleep(nanoseconds: 1_000_000) }
                try context.checkCancellation()
                return ["out": Data()]
            })
        await #expect(throws: CancellationError.self) {
            try await project.build(graph, options: BuildOptions(isCancelled: { cancelled.withLock { $0 } }))
        }
        let explained = try project.engine.explain(graph)
        #expect(explained.map(\.id) == ["slow"])
    }
}
