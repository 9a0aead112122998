import Testing
@testable import Pipeline
@testable import ProjectFile

/// Where a sweep runs is not what it builds: `[sweep.slurm]` enters no configuration digest.
@Suite struct SweepSlurmDigestTests {
    @Test func sweepSlurmEntersNoDigest() throws {
        let minimal = MemoryPipeline.config
        let withSlurm = minimal + "\n[sweep.slurm]\npartition = \"short\"\ncpus_per_task = 8\n"
        let config = try ProjectConfig.parse(text: withSlurm, path: "p.toml")
        #expect(config.sweep.slurm.partition == "short")
        #expect(try SweepPlan.digest(config) == SweepPlan.digest(ProjectConfig.parse(text: minimal, path: "p.toml")))
    }
}
