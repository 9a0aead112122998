import ArgumentParser
import BuildGraph
import Datasets
import Foundation
import Pipeline

/// Opening a project for the engine commands, and their error handling.
enum EngineCommand {
    /// Opens the project; a bad project file ends the run with exit code 2.
    static func open(_ options: ProjectOption) throws -> Project {
        try reportingUserErrors { try Project.open(path: options.project) }
    }

    /// Takes `.lutbuild/lock` so builds, cleans and collections never overlap.
    static func lock(_ project: Project, wait: Bool) throws -> ProjectBuildLock {
        do {
            return try ProjectBuildLock(layout: OutputLayout.engineLayout(root: project.directory.path), wait: wait) { message in
                printError(message)
            }
        } catch let error as BuildError {
            printError("error: \(error); run again without --no-wait to wait for it")
            throw ExitCode(1)
        }
    }

    /// Runs the build under the project lock, rendering its events (status
    /// line, plain lines or JSON on stdout); Ctrl-C stops it at a safe point.
    static func build(_ project: Project, request: BuildRequest, json: Bool, wait: Bool, jobs: Int?,
                      remoteCache: RemoteCacheChoice = RemoteCacheChoice()) async throws -> BuildSummary {
        // A first build that the user's data rejects leaves the folder as it was (as a bad project file does).
        let state = URL(fileURLWithPath: OutputLayout.engineLayout(root: project.directory.path).stateDirectory)
        let firstBuild = !FileManager.default.fileExists(atPath: state.path)
        do {
            return try await lockedBuild(project, request: request, json: json, wait: wait, jobs: jobs, remoteCache: remoteCache)
        } catch let exit as ExitCode where exit.rawValue == 2 && firstBuild {
            try? FileManager.default.removeItem(at: state)
            throw exit
        }
    }

    private static func lockedBuild(_ project: Project, request: BuildRequest, json: Bool, wait: Bool, jobs: Int?,
                                    remoteCache: RemoteCacheChoice) async throws -> BuildSummary {
        let lock = try lock(project, wait: wait)
        defer { _ = lock }
        let interrupt = InterruptSignal()
        let renderer = json
            ? BuildEventRenderer(style: .json, write: { text in FileHandle.standardOutput.write(Data(text.utf8)) })
            : BuildEventRenderer.standardError(json: false)
        return try await reportingBuildErrors {
            let pipeline = BuildPipeline(project: project, request: request)
            do {
                defer { renderer.finish() }
                return try await pipeline.build(
                    concurrency: jobs ?? ProcessInfo.processInfo.activeProcessorCount, remoteCache: remoteCache,
                    isCancelled: { interrupt.isRaised }, events: renderer.render)
            } catch is CancellationError {
                printError("interrupted: finished steps are kept; the next build resumes (training from its checkpoint)")
                throw ExitCode(130)
            }
        }
    }

    /// Runs `body`; engine and pipeline errors are printed and end with exit code 1.
    static func reportingBuildErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as BuildError {
            printError("error: \(error)")
        } catch let failure as BuildFailure {
            // A mistake in the user's data or project file is reported as when opening the project (exit 2).
            let userErrors = failure.failures.compactMap { userMessage($0.error) }
            if userErrors.count == failure.failures.count {
                userErrors.forEach(printError)
                throw ExitCode(2)
            }
            printError("error: \(failure)")
        } catch let error as PipelineError {
            printError("error: \(error)")
        } catch let error as FileSystemError {
            printError("error: \(error)")
        }
        throw ExitCode(1)
    }
}

/// The message of an error caused by the user's input, as `reportingUserErrors` prints it.
private func userMessage(_ error: any Error) -> String? {
    if let error = error as? ProjectError { return error.description }
    if let error = error as? DatasetError { return "error: \(error.description)" }
    return nil
}
