import Allocation
import BuildGraph
import Foundation
import NeuraLUT
import RTL
import ProjectFile

/// Which targets of the project's one graph a command brings up to date,
/// and the command-line choices that enter keys. Every command builds in the
/// same graph (`BuildPipeline.graph()`); what it leaves out stays as it was.
public struct BuildRequest: Sendable {
    /// Layers whose partitions are retrained even if cached (`--retrain layerK`).
    public var retrainLayers: Set<Int>
    /// The design and everything published about it: training through the
    /// RTL, the packaging and the report page (the page also needs `verify`
    /// and `estimate`). False for `lutbuild verify` and `lutbuild estimate`.
    public var design: Bool
    /// Simulate the RTL against software LUT inference (the `verify` step).
    public var verify: Bool
    /// `--simulator`; nil: the documented automatic choice (`Simulator.available(forPartitions:)`). Part of verify's key.
    public var simulator: Simulator?
    /// Add up the mapped hardware (the `estimate` step; seconds).
    public var estimate: Bool
    /// Also synthesise the whole design with yosys for calibration
    /// (`estimate/yosys`; minutes on large designs).
    public var yosysEstimate: Bool
    /// `--audit`: run a share of the reused steps again and compare (docs/build-engine.md).
    public var audit: AuditSample?

    public init(
        retrainLayers: Set<Int> = [], design: Bool = true, verify: Bool = true, simulator: Simulator? = nil,
        estimate: Bool = true, yosysEstimate: Bool = false
    ) {
        self.retrainLayers = retrainLayers
        self.design = design
        self.verify = verify
        self.simulator = simulator
        self.estimate = estimate
        self.yosysEstimate = yosysEstimate
    }

    /// What `lutbuild build` brings up to date by default (and so what `status` checks).
    public static let build = BuildRequest()

    /// The steps a command asks for by name, and whether this request does;
    /// every other step of the graph comes with `design`.
    private var onRequest: [(step: String, wanted: Bool)] {
        [
            (VerificationSteps.verifyID, verify), (EstimateStep.id, estimate),
            (ReportPageStep.id, design && verify && estimate), (YosysEstimateStep.id, yosysEstimate),
        ]
    }

    /// The step ids of `graph` this request brings up to date (with the steps they need).
    func targets(in graph: StepGraph) -> Set<String> {
        var targets = design ? Set(graph.stepIDs).subtracting(onRequest.map(\.step)) : []
        targets.formUnion(onRequest.filter(\.wanted).map(\.step))
        return targets
    }

    /// Steps of the graph this request leaves as they are although `build` would make them (for the summary).
    public var leftOut: [String] {
        let build = Set(Self.build.onRequest.filter(\.wanted).map(\.step))
        return (design ? [] : ["the design's other outputs"]) + onRequest.filter { !$0.wanted && build.contains($0.step) }.map(\.step)
    }

    /// `layer2` (or `2`) → 2; the message names the flag and what is expected.
    public static func parseLayer(_ text: String, layers: Int) throws -> Int {
        let digits = text.hasPrefix("layer") ? String(text.dropFirst(5)) : text
        guard let layer = Int(digits), (0..<layers).contains(layer) else {
            throw PipelineError.usage(
                "--retrain \(text): expected layer0 … layer\(max(layers - 1, 0)) (the project has \(layers) layers)")
        }
        return layer
    }
}

/// lutbuild's build: the project's steps on the engine (see docs/pipeline.md).
///
/// data/prepare → connectivity, train (one batch step, a member per
/// partition, plus the training log) → thresholds, tabulate/layerL/pK → synthesize/layerL/pK →
/// verilog/layerL/pK → network →
/// verilog/top, testbench → verify, estimate (from the mapping), package → report/html;
/// estimate/yosys (in the graph, built on request). Outputs go to `gen/`.
public struct BuildPipeline: Sendable {
    public let project: Project
    public let request: BuildRequest
    let fileSystem: any FileSystem
    let clock: any BuildClock
    /// The train step's work (tests of the build's keys substitute one that does not train).
    let training: TrainStep.Action
    /// The external tools steps run (tests of the build's keys substitute recording fakes).
    let tools: PipelineTools

    public init(project: Project, request: BuildRequest = BuildRequest()) {
        self.init(project: project, request: request, fileSystem: LocalFileSystem(), clock: SystemClock())
    }

    init(
        project: Project, request: BuildRequest, fileSystem: any FileSystem, clock: any BuildClock,
        training: @escaping TrainStep.Action = TrainStep.train, tools: PipelineTools = PipelineTools()
    ) {
        self.project = project
        self.request = request
        self.fileSystem = fileSystem
        self.clock = clock
        self.training = training
        self.tools = tools
    }

    public var engine: BuildEngine {
        BuildEngine(layout: OutputLayout.engineLayout(root: project.directory.path), fileSystem: fileSystem, clock: clock)
    }

    public func graph() throws -> StepGraph {
        let config = project.config
        var graph = StepGraph()
        try graph.add(PrepareDataStep.make(project))
        if config.train.distills { try graph.add(TeacherStep.make(config)) }
        try graph.add(ConnectivityStep.make(project))
        try graph.add(TrainStep.make(config, action: training))
        try graph.add(ThresholdsStep.make(config))
        for id in PipelineGraph.partitionIDs(config) {
            try graph.add(TabulateStep.make(id, table: config.model.tableSpec(ofLayer: id.layer)))
            try graph.add(SynthesizeStep.make(id, config, care: PipelineGraph.fillsDontCares(config) ? CareSetStep.output(id) : nil))
            if PipelineGraph.fillsDontCares(config) {
                try graph.add(SynthesizeStep.make(id, config, stepID: SynthesizeStep.exactID(id)))
            }
            try graph.add(VerilogSteps.partition(config, id))
        }
        if PipelineGraph.fillsDontCares(config) {
            try graph.add(NetworkStep.make(config, id: NetworkStep.exactID))
            try graph.add(CareSetStep.make(config))
        }
        // With don't-cares the filled tables (what the mapped netlists compute) are the truth downstream.
        try graph.add(NetworkStep.make(config, table: PipelineGraph.fillsDontCares(config) ? SynthesizeStep.filledTable : OutputRefs.table))
        try graph.add(VerilogSteps.network(config))
        try graph.add(VerificationSteps.testbench(config))
        try graph.add(EvaluateStep.make(config))
        try graph.add(TableCheckStep.make(config))
        try graph.add(PackagingStep.make(project))
        try graph.add(VerificationSteps.verify(config, simulator: request.simulator, simulate: tools.simulate))
        try graph.add(EstimateStep.make(config, countModule: tools.countModule))
        try graph.add(ReportPageStep.make(config))
        try graph.add(YosysEstimateStep.make(config))
        return graph
    }

    /// The step ids the request brings up to date.
    public func targets() throws -> Set<String> { request.targets(in: try graph()) }

    /// Units forced to rebuild by `--retrain`.
    public var force: @Sendable (String) -> Bool {
        let prefixes = request.retrainLayers.map { "\(TrainStep.id)/layer\($0)/" }
        return { unit in prefixes.contains { unit.hasPrefix($0) } }
    }

    /// Runs the build; completed steps are kept even when it fails or is cancelled.
    @discardableResult
    public func build(
        concurrency: Int = CPUAllocation.count,
        remoteCache: RemoteCacheChoice = RemoteCacheChoice(),
        isCancelled: @escaping @Sendable () -> Bool = { false },
        events: @escaping @Sendable (BuildEvent) -> Void = { _ in }
    ) async throws -> BuildSummary {
        let options = BuildOptions(
            concurrency: concurrency, force: force, isCancelled: isCancelled,
            remoteCache: try remoteCache.settings(for: project.config.cache, projectDirectory: project.directory),
            audit: request.audit)
        do {
            let graph = try graph()
            return try await engine.build(graph, targets: request.targets(in: graph), options: options, events: events)
        } catch {
            throw userFacing(error)
        }
    }

    /// `error` as the user should see it: each failed step's error through `Project.userFacing`.
    func userFacing(_ error: any Error) -> any Error {
        guard let failure = error as? BuildFailure else { return project.userFacing(error) }
        return BuildFailure(failures: failure.failures.map { .init(step: $0.step, error: project.userFacing($0.error)) })
    }

    /// What a build would run and why.
    public func explain() throws -> [StaleStep] {
        let graph = try graph()
        return try engine.explain(graph, targets: request.targets(in: graph), force: force)
    }

    /// Whether what the request builds is up to date; `verify` re-hashes
    /// every file instead of trusting unchanged stats.
    public func status(verify: Bool = false) throws -> StatusReport {
        let graph = try graph()
        return try engine.status(graph, targets: request.targets(in: graph), verify: verify)
    }

    /// `lutbuild clean`: removes the generated files (and the folders left
    /// empty under `gen/`) and the local cache; keeps `lutbuild.lock`.
    /// Returns the removed files.
    public func clean() throws -> [String] {
        let removed = try engine.clean()
        Self.removeEmptyDirectories(project.directory.appendingPathComponent(OutputLayout.generated))
        return removed
    }

    /// `lutbuild gc`: drops cached objects neither the lock file nor the last `keepBuilds` builds refer to.
    public func collectGarbage(keepBuilds: Int) throws -> GarbageReport {
        try engine.collectGarbage(keepBuilds: keepBuilds)
    }

    /// Removes `folder` and its subfolders that hold no files.
    private static func removeEmptyDirectories(_ folder: URL) {
        let manager = FileManager.default
        for child in (try? manager.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [] {
            var isDirectory: ObjCBool = false
            if manager.fileExists(atPath: child.path, isDirectory: &isDirectory), isDirectory.boolValue {
                removeEmptyDirectories(child)
            }
        }
        if (try? manager.contentsOfDirectory(atPath: folder.path))?.isEmpty == true {
            try? manager.removeItem(at: folder)
        }
    }

    /// `--audit` found steps whose output differs from the stored one for the same key: a failure naming each.
    public static func auditFailure(_ summary: BuildSummary) -> PipelineError? {
        guard !summary.auditFindings.isEmpty else { return nil }
        return PipelineError(
            "the audit ran \(summary.audited.count) reused step(s) again; \(summary.auditFindings.count) gave other "
                + "bytes than the cache holds under the same key (a key that leaves out something the step reads, a step that is "
                + "not deterministic, or a damaged cache entry):\n"
                + summary.auditFindings.map { "  " + $0.description }.joined(separator: "\n"))
    }

    /// Partitions a build summary says were trained.
    public static func trainedPartitions(_ summary: BuildSummary) -> [String] {
        summary.ran.filter { $0.hasPrefix("\(TrainStep.id)/layer") }
    }
}

/// The external tools the build's steps call that depend on no key
/// (simulators, yosys on the input encoder): the real ones, or in tests of
/// the build's keys recording fakes, so those tests cover every step.
struct PipelineTools: Sendable {
    var simulate: VerificationSteps.Simulate = VerificationSteps.Verify.simulate
    var countModule: EstimateStep.CountModule = EstimateStep.moduleCost
}
