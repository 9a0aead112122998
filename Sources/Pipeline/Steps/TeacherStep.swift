import BuildGraph
import Foundation
import NeuraLUT
import ProjectFile

/// `teacher`: with `[train] distillation`, the float network the train step (and the wiring
/// search's run) learns from besides the labels (`TeacherRecipe`; docs/training.md,
/// "Distillation"). Its output is its logits on every training row, which those runs read
/// as a declared input, so their keys cover the teacher by construction; its report
/// (`gen/reports/teacher.json`) gives its accuracies. Only in the graph when distillation is on.
enum TeacherStep: PipelineStep {
    static let id = "teacher"
    static let kind = "teacher"
    static let version = 1
    static let reportPath = OutputLayout.Report.teacher

    /// The recipe, seeded by `model.seed`.
    struct Parameters: Codable, Sendable {
        var recipe: TeacherRecipe
    }

    /// `gen/reports/teacher.json`: what the teacher is and how well it does (no timings, so
    /// the same inputs give the same bytes).
    struct Report: Codable, Equatable {
        var format = "lutbuild-teacher"
        var version = 1
        var hidden: Int
        var epochs: Int
        var trainAccuracy: Double
        var validationAccuracy: Double?
        var testAccuracy: Double?
    }

    static let logitsOutput = "logits"
    static let logits = StepSource<[Float]>.output(step: id, name: logitsOutput)

    static func make(_ config: ProjectConfig) throws -> Step {
        var inputs = StepInputs()
        inputs.bind(CommonInputs.data, to: OutputRefs.data)
        return try step(
            id: id, Parameters(recipe: TeacherRecipe(seed: config.model.seed)), inputs: inputs,
            outputs: [logitsOutput, "report"], publish: ["report": reportPath], usesAllCores: true)
    }

    static func run(_ parameters: Parameters, _ context: StepContext) async throws -> StepOutputs {
        let prepared = try context.read(CommonInputs.data)
        let recipe = parameters.recipe
        context.progress(
            "training the float teacher (\(prepared.features) → \(recipe.hidden) → \(prepared.classes), \(recipe.epochs) epochs)")
        let throttle = ProgressThrottle()
        guard
            let outcome = try Teacher.train(
                recipe, data: prepared.train, validation: prepared.validation, test: prepared.test,
                progress: { done, epochs in
                    if throttle.shouldReport(final: done == epochs) {
                        context.status("epoch \(done)/\(epochs)", fraction: Double(done) / Double(max(epochs, 1)))
                    }
                },
                shouldStop: { context.isCancelled })
        else { throw CancellationError() }
        let report = Report(
            hidden: recipe.hidden, epochs: recipe.epochs, trainAccuracy: outcome.trainAccuracy,
            validationAccuracy: outcome.validationAccuracy, testAccuracy: outcome.testAccuracy)
        context.progress(
            "the teacher: "
                + [("training", outcome.trainAccuracy), ("validation", outcome.validationAccuracy), ("test", outcome.testAccuracy)]
                .compactMap { name, value in value.map { String(format: "%@ %.2f%%", name, $0 * 100) } }.joined(separator: ", "))
        return [logitsOutput: encode(outcome.logits), "report": try StepCodecs.json(report)]
    }

    /// Little-endian float32 values.
    static func encode(_ values: [Float]) -> Data {
        var data = Data(capacity: values.count * 4)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func decode(_ data: Data) throws -> [Float] {
        guard data.count % 4 == 0 else { throw PipelineError("the teacher's logits are \(data.count) bytes, not whole float32 values") }
        return data.withUnsafeBytes { raw in
            (0..<data.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }

    /// The teacher's logits, for the runs that distill.
    static let input = StepInputName("teacher", decode: decode)

    /// Declares the teacher's logits as an input of a run that distills (a no-op otherwise).
    static func bind(_ inputs: inout StepInputs, _ config: ProjectConfig) {
        if config.train.distills { inputs.bind(input, to: logits) }
    }

    /// The teacher's logits when the run distills (`Trainer`'s `teacher`), nil otherwise.
    static func read(_ context: StepContext, distills: Bool) throws -> [Float]? {
        distills ? try context.read(input) : nil
    }
}
