import BuildGraph
import Foundation
import NeuraLUT

/// A training run that survives Ctrl-C: its checkpoint lives in the step's
/// scratch folder beside the key of the job that wrote it, so the next build
/// of the same job resumes, and a build of any other job starts afresh. Used
/// by the train step and by the wiring search's run.
enum ResumableRun {
    /// The checkpoint's path (nil when the build's files are not on disk)
    /// and the run: `resume` reads the checkpoint an interrupted run of this
    /// job left, `start` makes a new one when there is none or it cannot be read.
    static func trainer(
        _ context: StepContext, resume: (URL) throws -> Trainer, start: () throws -> Trainer
    ) throws -> (trainer: Trainer, checkpoint: URL?) {
        guard let scratch = try context.diskScratchDirectory() else { return (try start(), nil) }
        let checkpoint = scratch.appendingPathComponent("checkpoint")
        let jobFile = scratch.appendingPathComponent("job")
        if (try? String(contentsOf: jobFile, encoding: .utf8)) == context.jobKey.hex,
            FileManager.default.fileExists(atPath: checkpoint.path)
        {
            do {
                let resumed = try resume(checkpoint)
                context.progress("resuming from the checkpoint of an interrupted run")
                return (resumed, checkpoint)
            } catch {
                // A damaged checkpoint costs the interrupted run's progress, never the build.
                context.progress("cannot resume from the checkpoint of the interrupted run (\(error)); training from the start")
            }
        }
        try? FileManager.default.removeItem(at: checkpoint)
        try Data(context.jobKey.hex.utf8).write(to: jobFile, options: .atomic)
        return (try start(), checkpoint)
    }
}
