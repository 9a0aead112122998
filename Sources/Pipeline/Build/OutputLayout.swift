import BuildGraph
import Packaging

/// Where lutbuild keeps what it writes in a project, relative to the project
/// directory: the one spelling of every `gen/…` path, of the engine's state
/// folder and of the lock file. The engine is handed these (`engineLayout`)
/// and names none of them itself. (Packaging's own folders under `gen/` are
/// `PackagingLayout`.)
public enum OutputLayout {
    /// Everything generated: removed by `lutbuild clean`, ignored by watch mode
    /// (spelled once, in Packaging, the lowest module writing there).
    public static let generated = PackagingLayout.generated
    public static let rtl = "\(generated)/rtl"
    public static let testbench = "\(generated)/tb"
    /// Simulation-only models of vendor cells the RTL instantiates (FuseSoC's sim and lint targets).
    public static let simulationModels = "\(generated)/sim"
    public static let reports = "\(generated)/reports"

    /// The engine's cache, stat cache, build lock and scratch space (not committed).
    public static let stateDirectory = ".lutbuild"
    /// What was built from what (committed).
    public static let lockFile = "lutbuild.lock"

    /// `lutbuild sweep`'s results, and its own lock file (docs/sweep.md).
    public static let sweep = "\(generated)/sweep"
    public static let sweepLockFile = "\(sweep)/sweep.lock"
    /// A sweep run on a cluster: its manifest, each task's result and log.
    public static let sweepCluster = "\(sweep)/cluster"

    /// Folders watch mode never watches (outputs, state, version control).
    public static let unwatched = [generated, stateDirectory, ".git"]

    /// The engine's layout of the project in `root`.
    public static func engineLayout(root: String) -> ProjectLayout {
        ProjectLayout(root: root, stateDirectoryName: stateDirectory, lockFileName: lockFile)
    }

    /// The layout of a sweep's build: the project's cache, the sweep's lock file.
    public static func sweepEngineLayout(root: String) -> ProjectLayout {
        ProjectLayout(root: root, stateDirectoryName: stateDirectory, lockFileName: sweepLockFile)
    }

    /// The reports under `gen/reports`.
    public enum Report {
        public static let data = report("data.json")
        public static let trainingJSON = report("training.json")
        public static let trainingCSV = report("training.csv")
        /// With `[train] distillation`: the float teacher's accuracies (`TeacherStep`).
        public static let teacher = report("teacher.json")
        public static let inference = report("lut_inference.json")
        public static let verify = report("verify.json")
        public static let estimateJSON = report("estimate.json")
        public static let estimateText = report("estimate.txt")
        /// `lutbuild estimate --yosys`: yosys' whole-design synthesis, for calibration.
        public static let yosysEstimateJSON = report("estimate_yosys.json")
        public static let yosysEstimateText = report("estimate_yosys.txt")
        public static let vivado = report("vivado.json")
        /// The page a person opens: `ReportPage`.
        public static let page = report("index.html")

        static func report(_ name: String) -> String { "\(OutputLayout.reports)/\(name)" }
    }
}
