import ArgumentParser
import FrontEnd
import Pipeline

/// `lutbuild explain`: what the next build would run, and why.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show which steps the next build would run, and why.",
        discussion: """
            For each step: new step, input X changed (old → new digest), parameters \
            changed, step version changed, output missing or corrupt, or an input \
            that another step rebuilds first (which may turn out unchanged).
            """
    )

    @OptionGroup var options: ProjectOption

    @Option(name: .long, help: "Also force layerK's partitions to retrain, as `build --retrain` would.")
    var retrain: [String] = []

    @OptionGroup var flags: BuildFlags

    func run() async throws {
        let project = try EngineCommand.open(options)
        let layers = try Set(retrain.map { try BuildRequest.parseLayer($0, layers: project.config.model.layers.count) })
        let stale = try BuildPipeline(project: project, request: flags.request(retrainLayers: layers)).explain()
        if stale.isEmpty {
            print("up to date: a build would run nothing")
        } else {
            BuildReport.explanation(stale).forEach { print($0) }
        }
    }
}
