import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A working directory in the system's temporary folder, named
/// `<prefix>-<pid>-<uuid>` after the process that made it.
///
/// The maker removes it when done, but a process that is killed (`kill -9`,
/// a cluster's time limit, a crash) cannot: its directories stayed behind
/// for good, two for every interrupted test run. So the first directory a
/// process makes for a prefix also removes that prefix's directories whose
/// process no longer exists. A directory of a live process, or of a process
/// of another user (whose existence `kill(pid, 0)` reports but does not let
/// us touch), is left alone; a reused pid only keeps a stale one longer.
enum ScratchDirectory {
    /// Makes a new directory for `prefix` (after the sweep of stale ones, once per prefix and process).
    static func make(prefix: String, in parent: URL = FileManager.default.temporaryDirectory) throws -> URL {
        if swept.withLock({ $0.insert(prefix).inserted }) {
            removeStale(prefix: prefix, in: parent)
        }
        let directory = parent.appendingPathComponent("\(prefix)-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Removes `prefix`'s directories in `parent` whose process has ended; returns their names.
    @discardableResult
    static func removeStale(prefix: String, in parent: URL) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return [] }
        var removed: [String] = []
        for name in names {
            guard let pid = owner(of: name, prefix: prefix), kill(pid, 0) == -1, errno == ESRCH else { continue }
            if (try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))) != nil {
                removed.append(name)
            }
        }
        return removed.sorted()
    }

    /// The pid in a name made by `make`, nil for any other name.
    static func owner(of name: String, prefix: String) -> pid_t? {
        guard name.hasPrefix(prefix + "-") else { return nil }
        let rest = name.dropFirst(prefix.count + 1)
        guard let dash = rest.firstIndex(of: "-"), UUID(uuidString: String(rest[rest.index(after: dash)...])) != nil,
            let pid = pid_t(rest[..<dash]), pid > 0
        else { return nil }
        return pid
    }

    private static let swept = Mutex(Set<String>())
}
