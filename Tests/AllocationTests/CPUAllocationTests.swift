import Foundation
import Testing
@testable import Allocation
import CAffinity

@Suite struct CPUAllocationTests {
    @Test func theSmallestLimitWinsAndAQuotaRoundsUp() {
        #expect(CPUAllocation.limit(affinity: 1, quota: nil, online: 2) == 1)
        #expect(CPUAllocation.limit(affinity: 8, quota: 1.5, online: 8) == 2)
        #expect(CPUAllocation.limit(affinity: nil, quota: 0.2, online: 4) == 1)
        #expect(CPUAllocation.limit(affinity: nil, quota: nil, online: 4) == 4)
    }

    @Test func cgroupV2AndV1QuotasAreRead() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("cpu-allocation-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let job = root.appendingPathComponent("slurm/job_7")
        try FileManager.default.createDirectory(at: job, withIntermediateDirectories: true)
        try "max 100000\n".write(to: root.appendingPathComponent("cpu.max"), atomically: true, encoding: .utf8)
        try "300000 100000\n".write(to: job.appendingPathComponent("cpu.max"), atomically: true, encoding: .utf8)
        #expect(CPUAllocation.cgroupQuota(root: root.path, membership: "0::/slurm/job_7\n") == 3)
        #expect(CPUAllocation.cgroupQuota(root: root.path, membership: "0::/\n") == nil)

        let v1 = root.appendingPathComponent("v1")
        let cpu = v1.appendingPathComponent("cpu,cpuacct/docker/abc")
        try FileManager.default.createDirectory(at: cpu, withIntermediateDirectories: true)
        try "50000\n".write(to: cpu.appendingPathComponent("cpu.cfs_quota_us"), atomically: true, encoding: .utf8)
        try "100000\n".write(to: cpu.appendingPathComponent("cpu.cfs_period_us"), atomically: true, encoding: .utf8)
        #expect(CPUAllocation.cgroupQuota(root: v1.path, membership: "4:cpu,cpuacct:/docker/abc\n0::/\n") == 0.5)
        try "-1\n".write(to: cpu.appendingPathComponent("cpu.cfs_quota_us"), atomically: true, encoding: .utf8)
        #expect(CPUAllocation.cgroupQuota(root: v1.path, membership: "4:cpu,cpuacct:/docker/abc\n") == nil)
    }

    /// What `taskset -c 0` does, on this test's thread: the count follows the
    /// mask where `activeProcessorCount` does not.
    @Test func followsTheAffinityMask() throws {
        var saved = [UInt8](repeating: 0, count: CPUAllocation.maskBytes)
        try #require(lutbuild_affinity_read(&saved, saved.count) == 0)
        defer { _ = lutbuild_affinity_write(saved, saved.count) }
        var one = [UInt8](repeating: 0, count: CPUAllocation.maskBytes)
        one[0] = 1
        try #require(lutbuild_affinity_write(one, one.count) == 0)
        #expect(CPUAllocation.current() == 1)
        #expect(CPUAllocation.affinityCount() == 1)
    }
}
