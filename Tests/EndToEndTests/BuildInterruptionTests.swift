import Foundation
import Testing
import TestSupport

/// Interrupted builds: Ctrl-C keeps the training checkpoint, `kill -9` loses
/// nothing that finished; the next build resumes.
@Suite struct BuildInterruptionTests {
    /// Starts `lutbuild build --json --no-verify`, sends `signal` when training
    /// (the `step` run) reports progress, and waits for the process.
    func interruptTraining(_ project: TinyProject, with signal: Int32, step: String = "train") throws -> Int32 {
        guard let binary = LutbuildBinary.url else { throw LutbuildBinary.NotFound() }
        let build = try RunningProcess(binary, ["build", "--json", "--no-verify", "--no-estimate"], in: project.url)
        defer { build.terminateIfRunning() }
        // Wait for a training progress line (an epoch is under way).
        let progress = build.waitForLine(within: 300) {
            $0.contains(#""event":"progress""#) && $0.contains(#""step":"\#(step)""#) && $0.contains("epoch")
        }
        try #require(progress != nil, "no training progress; output so far:\n\(build.output)\n\(build.errors)")
        build.send(signal)
        return build.finish().status
    }

    @Test func ctrlCKeepsTheCheckpointAndTheNextBuildResumes() throws {
        let project = try TinyProject(epochs: 3)
        defer { project.remove() }
        let status = try interruptTraining(project, with: SIGINT)
        #expect(status == 130)
        let resumed = try project.build()
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(!resumed.ran.contains("data/prepare"), "finished steps are kept")
        #expect(resumed.messages("progress").contains { $0.contains("resuming") })
    }

    /// The wiring search is a training run too: Ctrl-C keeps its checkpoint, and the next
    /// build resumes it and gives what an uninterrupted build gives.
    @Test func ctrlCDuringTheWiringSearchResumesIt() throws {
        /// The same project for the interrupted and the clean build.
        func searchingProject() throws -> TinyProject {
            let project = try TinyProject(epochs: 6)
            try project.edit("[model]\n", "[model]\nimage_width = 8\nsearch_wiring = true\n")
            return project
        }
        let project = try searchingProject()
        defer { project.remove() }
        #expect(try interruptTraining(project, with: SIGINT, step: "connectivity") == 130)
        let resumed = try project.build()
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.messages("progress").contains { $0.contains("resuming") })
        // The training that reads the searched wiring, epoch by epoch (no timings).
        let training = try project.scratch.read("gen/reports/training.csv")
        let clean = try searchingProject()
        defer { clean.remove() }
        #expect(try clean.build().status == 0)
        #expect(try clean.scratch.read("gen/reports/training.csv") == training)
    }

    @Test func damagedCheckpointMeansTrainingFromTheStart() throws {
        let project = try TinyProject(epochs: 3)
        defer { project.remove() }
        #expect(try interruptTraining(project, with: SIGINT) == 130)
        let checkpoints = FileManager.default.enumerator(at: project.url, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.lastPathComponent == "checkpoint" }
        #expect(checkpoints.count == 1)
        for url in checkpoints { try Data("not a checkpoint".utf8).write(to: url) }
        let rebuilt = try project.build()
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(rebuilt.messages("progress").contains { $0.contains("cannot resume") && $0.contains("training from the start") })
        #expect(try project.build().ran.isEmpty)
    }

    @Test func killedBuildResumesWithCompletedSteps() throws {
        let project = try TinyProject(epochs: 2)
        defer { project.remove() }
        _ = try interruptTraining(project, with: SIGKILL)
        let resumed = try project.build()
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(!resumed.ran.contains("data/prepare"))
        #expect(!resumed.ran.contains("connectivity"))
        #expect(resumed.ran(prefix: "train/").count == (try project.trainUnits()))
        #expect(try project.build().ran.isEmpty)
    }
}
