import BuildGraph
import Foundation
import NeuraLUT
import RTL
import ProjectFile

/// What to build beyond what the project file says (command-line choices).
public struct BuildRequest: Sendable {
    /// Layers whose partitions are retrained even if cached (`--retrain layerK`).
    public var retrainLayers: Set<Int>
    /// Simulate the RTL against software LUT inference (the `verify` step).
    public var verify: Bool
    /// Nil picks Verilator, else Icarus Verilog.
    public var simulator: Simulator?
    /// Add up the mapped hardware (the `estimate` step; seconds).
    public var estimate: Bool
    /// Also synthesise the whole design with yosys for calibration
    /// (`estimate/yosys`; minutes on large designs).
    public var yosysEstimate: Bool

    public init(retrainLayers: Set<Int> = [], verify: Bool = true, simulator: Simulator? = nil, estimate: Bool = true,
                yosysEstimate: Bool = false) {
        self.retrainLayers = retrainLayers
        self.verify = verify
        self.simulator = simulator
        self.estimate = estimate
        self.yosysEstimate = yosysEstimate
    }

    /// `layer2` (or `2`) → 2; the message names the flag and what is expected.
    public static func parseLayer(_ text: String, layers: Int) throws -> Int {
        let digits = text.hasPrefix("layer") ? String(text.dropFirst(5)) : text
        guard let layer = Int(digits), (0..<layers).contains(layer) else {
            throw PipelineError.input("--retrain \(text): expected layer0 … layer\(max(layers - 1, 0)) (the project has \(layers) layers)")
        }
        return layer
    }
}

/// lutbuild's build: the project's steps on the engine (see docs/pipeline.md).
///
/// data/prepare → connectivity, train (one batch step, a member per
/// partition, plus the training log) → thresholds, tabulate/layerL/pK → synthesize/layerL/pK →
/// verilog/layerL/pK → network →
/// verilog/top, testbench → verify, estimate (from the mapping), package; estimate/yosys on
/// request. Outputs go to `gen/`.
public struct BuildPipeline: Sendable {
    public let project: Project
    public let request: BuildRequest
    let fileSystem: any FileSystem
    let clock: any BuildClock
    /// The train step's work (tests of the build's keys substitute one that does not train).
    let training: TrainStep.Action

    public init(project: Project, request: BuildRequest = BuildRequest()) {
        self.init(project: project, request: request, fileSystem: LocalFileSystem(), clock: SystemClock())
    }

    init(project: Project, request: BuildRequest, fileSystem: any FileSystem, clock: any BuildClock,
         training: @escaping TrainStep.Action = TrainStep.train) {
        self.project = project
        self.request = request
        self.fileSystem = fileSystem
        self.clock = clock
        self.training = training
    }

    public var engine: BuildEngine { BuildEngine(layout: OutputLayout.engineLayout(root: project.directory.path), fileSystem: fileSystem, clock: clock) }

    public func graph() throws -> StepGraph {
        let config = project.config
        var graph = StepGraph()
        try graph.add(PrepareDataStep.make(project))
        try graph.add(ConnectivityStep.make(project))
        try graph.add(TrainStep.make(config, action: training))
        try graph.add(ThresholdsStep.make(config))
        for id in PipelineGraph.partitionIDs(config) {
            try graph.add(TabulateStep.make(id, table: config.model.tableSpec(ofLayer: id.layer)))
            try graph.add(SynthesizeStep.make(id, config, care: CareSetStep.output(config, id)))
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
        if request.verify { try graph.add(VerificationSteps.verify(config, simulator: request.simulator)) }
        if request.estimate { try graph.add(EstimateStep.make(config)) }
        try graph.add(ReportPageStep.make(config, verify: request.verify, estimate: request.estimate))
        if request.yosysEstimate { try graph.add(YosysEstimateStep.make(config)) }
        return graph
    }

    /// Units forced to rebuild by `--retrain`.
    public var force: @Sendable (String) -> Bool {
        let prefixes = request.retrainLayers.map { "\(TrainStep.id)/layer\($0)/" }
        return { unit in prefixes.contains { unit.hasPrefix($0) } }
    }

    /// Runs the build; completed steps are kept even when it fails or is cancelled.
    @discardableResult
    public func build(concurrency: Int = ProcessInfo.processInfo.activeProcessorCount,
                      remoteCache: RemoteCacheChoice = RemoteCacheChoice(),
                      isCancelled: @escaping @Sendable () -> Bool = { false },
                      events: @escaping @Sendable (BuildEvent) -> Void = { _ in }) async throws -> BuildSummary {
        let options = BuildOptions(concurrency: concurrency, force: force, isCancelled: isCancelled,
                                   remoteCache: try remoteCache.settings(for: project.config.cache))
        do {
            return try await engine.build(graph(), options: options, events: events)
        } catch {
            throw project.userFacing(error)
        }
    }

    /// What a build would run and why.
    public func explain() throws -> [StaleStep] { try engine.explain(graph(), force: force) }

    /// `verify` re-hashes every file instead of trusting unchanged stats.
    public func status(verify: Bool = false) throws -> StatusReport { try engine.status(graph(), verify: verify) }

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

    /// Partitions a build summary says were trained.
    public static func trainedPartitions(_ summary: BuildSummary) -> [String] {
        summary.ran.filter { $0.hasPrefix("\(TrainStep.id)/layer") }
    }
}

enum PipelineGraph {
    /// Whether table entries no training row reaches are don't-cares (`[hardware] dont_care`).
    static func fillsDontCares(_ config: ProjectConfig) -> Bool { config.hardware.dontCare != .none }

    static func partitionIDs(_ config: ProjectConfig) -> [PartitionID] {
        config.model.layers.enumerated().flatMap { layer, spec in
            (0..<spec.partitions).map { PartitionID(layer: layer, index: $0) }
        }
    }
}
