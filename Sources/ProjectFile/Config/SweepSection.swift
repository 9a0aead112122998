import TOMLKit

/// `[sweep.slurm]`: how `lutbuild sweep --executor slurm` asks Slurm for its
/// tasks (docs/sweep.md, "On a cluster"). Where a point is built never changes
/// what is built: no step key and no point's configuration digest depends on
/// this section.
public struct SweepSection: Sendable, Equatable, Hashable, Codable {
    public var slurm: SlurmSettings

    public init(slurm: SlurmSettings = SlurmSettings()) {
        self.slurm = slurm
    }
}

/// The `sbatch` options of a sweep's tasks; nil: Slurm's default. Flags of
/// `lutbuild sweep` override each.
public struct SlurmSettings: Sendable, Equatable, Hashable, Codable {
    public var partition: String?
    public var account: String?
    /// `--time`, as Slurm writes it: `30`, `2:00:00`, `1-12:00:00`.
    public var time: String?
    public var cpusPerTask: Int?
    /// `--mem`, as Slurm writes it: `4G`, `8000M`.
    public var mem: String?
    /// Further `sbatch` arguments, each one word (`--qos=short`, `--constraint=avx2`).
    public var extraArgs: [String]
    /// Tasks of the array running at once (`--array=0-N%K`).
    public var maxRunning: Int

    public static let defaultMaxRunning = 10

    public init(
        partition: String? = nil, account: String? = nil, time: String? = nil, cpusPerTask: Int? = nil, mem: String? = nil,
        extraArgs: [String] = [], maxRunning: Int = SlurmSettings.defaultMaxRunning
    ) {
        self.partition = partition
        self.account = account
        self.time = time
        self.cpusPerTask = cpusPerTask
        self.mem = mem
        self.extraArgs = extraArgs
        self.maxRunning = maxRunning
    }
}

extension ProjectConfigSchema {
    static func readSweep(_ table: TOMLTable, with r: inout TOMLReader) -> SweepSection {
        let path = ConfigKeyPath().appending("sweep")
        r.checkKeys(of: table, at: path, known: ["slurm"])
        guard let slurm = r.table(table, "slurm", at: path) else { return SweepSection() }
        return SweepSection(slurm: ProjectKeys.slurm.read(slurm, at: path.appending("slurm"), with: &r).value)
    }
}
