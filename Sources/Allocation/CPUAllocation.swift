import CAffinity
import Foundation

/// How many CPUs this process may use: the smaller of its CPU affinity mask
/// (`taskset`, a Slurm task's cores) and its cgroup's CPU quota (a container's
/// or a Slurm job's `cpu.max`, or cgroup v1's CFS quota), at least 1.
///
/// `ProcessInfo.activeProcessorCount` reads neither: under `taskset -c 0` on
/// a 2-core machine it says 2 where `nproc` says 1, and a build sized by it
/// runs twice the threads its allocation has. Every thread count lutbuild
/// picks by itself (the engine's concurrency, training, table and inference
/// threads, ABC jobs, Verilator's `-j`) is this one; `--jobs` overrides the
/// engine's.
public enum CPUAllocation {
    /// Read once: the allocation does not change while lutbuild runs.
    public static let count: Int = current()

    /// The allocation as it is now (`count` is this, read at first use).
    public static func current() -> Int {
        limit(affinity: affinityCount(), quota: cgroupQuota(), online: ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The smaller of the known limits, at least 1; `online` when none is known.
    static func limit(affinity: Int?, quota: Double?, online: Int) -> Int {
        var count = affinity ?? online
        if let quota { count = min(count, Int(quota.rounded(.up))) }
        return max(1, count)
    }

    /// Bytes of the mask read: masks of up to 8192 CPUs.
    static let maskBytes = 1024

    /// CPUs in the calling thread's affinity mask, nil where it cannot be read.
    static func affinityCount() -> Int? {
        var mask = [UInt8](repeating: 0, count: maskBytes)
        guard lutbuild_affinity_read(&mask, mask.count) == 0 else { return nil }
        let count = mask.reduce(0) { $0 + $1.nonzeroBitCount }
        return count > 0 ? count : nil
    }

    /// CPUs the cgroup quota allows (`quota / period`), nil when unlimited or unknown.
    static func cgroupQuota(root: String = "/sys/fs/cgroup", membership: String? = nil) -> Double? {
        let membership = membership ?? (try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) ?? ""
        var quotas: [Double] = []
        for line in membership.split(separator: "\n") {
            // `hierarchy-ID:controllers:path`; v2 is `0::/path`.
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let path = String(fields[2])
            if fields[1].isEmpty {
                quotas += directories(root, path).compactMap { read($0 + "/cpu.max").flatMap(v2Quota) }
            } else if fields[1].split(separator: ",").contains("cpu") {
                for mount in [root + "/" + fields[1], root + "/cpu", root + "/cpu,cpuacct"] {
                    quotas += directories(mount, path).compactMap { directory in
                        guard let quota = read(directory + "/cpu.cfs_quota_us"), let period = read(directory + "/cpu.cfs_period_us") else {
                            return nil
                        }
                        return v1Quota(quota: quota, period: period)
                    }
                }
            }
        }
        return quotas.min()
    }

    /// `path` under `mount` and each of its parents up to the mount itself (a
    /// quota on any of them limits the process), plus the mount alone: in a
    /// container the cgroup namespace's root is mounted there.
    static func directories(_ mount: String, _ path: String) -> [String] {
        var directories = [mount]
        var components = path.split(separator: "/").map(String.init)
        while !components.isEmpty {
            directories.append(mount + "/" + components.joined(separator: "/"))
            components.removeLast()
        }
        return directories
    }

    /// cgroup v2 `cpu.max`: `max 100000` (none) or `150000 100000` (1.5 CPUs).
    static func v2Quota(_ text: String) -> Double? {
        let fields = text.split(whereSeparator: \.isWhitespace)
        guard fields.count == 2, let quota = Double(fields[0]), let period = Double(fields[1]), quota > 0, period > 0 else { return nil }
        return quota / period
    }

    /// cgroup v1 `cpu.cfs_quota_us` (-1: none) over `cpu.cfs_period_us`.
    static func v1Quota(quota: String, period: String) -> Double? {
        guard let quota = Double(quota.trimmingCharacters(in: .whitespacesAndNewlines)),
            let period = Double(period.trimmingCharacters(in: .whitespacesAndNewlines)), quota > 0, period > 0
        else { return nil }
        return quota / period
    }

    private static func read(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }
}
