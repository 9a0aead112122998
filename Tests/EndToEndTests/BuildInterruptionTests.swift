import Foundation
import Testing

/// Interrupted builds: Ctrl-C keeps the training checkpoint, `kill -9` loses
/// nothing that finished; the next build resumes.
@Suite struct BuildInterruptionTests {
    /// Starts `lutbuild build --json --no-verify`, sends `signal` when training
    /// reports progress, and waits for the process.
    func interruptTraining(_ project: TinyProject, with signal: Int32) throws -> Int32 {
        let process = Process()
        process.executableURL = LutbuildBinary.url
        process.arguments = ["build", "--json", "--no-verify", "--no-estimate"]
        process.currentDirectoryURL = project.url
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait for a training progress line (an epoch is under way).
        var buffer = ""
        while !buffer.split(separator: "\n").contains(where: { $0.contains(#""event":"progress""#) && $0.contains(#""step":"train""#) && $0.contains("epoch") }) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer += String(decoding: chunk, as: UTF8.self)
        }
        kill(process.processIdentifier, signal)
        _ = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus
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
        #expect(resumed.ran(prefix: "train/").count == 27)
        #expect(try project.build().ran.isEmpty)
    }
}
