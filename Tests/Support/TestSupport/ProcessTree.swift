import Foundation

/// Live processes read from /proc (Linux), to find what a run left behind:
/// the tests and the reliability benchmarks check that no tool outlives lutbuild.
public enum ProcessTree {
    /// One process: its parent, process group and state (`Z` for a zombie).
    public struct Entry: Sendable {
        public var pid: Int32
        public var parent: Int32
        public var group: Int32
        public var state: Character
        public var command: String
        /// Resident memory in pages (`/proc/PID/stat` field 24).
        public var residentPages: Int
    }

    /// Every process that is not a zombie.
    public static func live() -> [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { name in
            guard let pid = Int32(name),
                let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
            else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 21, fields[0] != "Z", let parent = Int32(fields[1]), let group = Int32(fields[2]) else { return nil }
            return Entry(
                pid: pid, parent: parent, group: group, state: fields[0].first ?? "?",
                command: String(stat[stat.index(after: open)..<close]), residentPages: Int(fields[21]) ?? 0)
        }
    }

    /// Live descendants of `root`.
    public static func descendants(of root: Int32) -> [Entry] {
        descendants(of: root, in: live())
    }

    private static func descendants(of root: Int32, in all: [Entry]) -> [Entry] {
        var found: [Entry] = []
        var frontier: Set<Int32> = [root]
        while !frontier.isEmpty {
            let children = all.filter { frontier.contains($0.parent) }
            found += children
            frontier = Set(children.map(\.pid))
        }
        return found
    }

    /// Resident memory of `root` and its live descendants together, in bytes:
    /// what a run costs in memory with the compilers and simulators it starts.
    public static func residentBytes(ofTree root: Int32) -> Int {
        let all = live()
        let tree = all.filter { $0.pid == root } + descendants(of: root, in: all)
        return tree.reduce(0) { $0 + $1.residentPages } * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Live processes in any of `groups`.
    public static func alive(inGroups groups: Set<Int32>) -> [Entry] {
        live().filter { groups.contains($0.group) }
    }
}
