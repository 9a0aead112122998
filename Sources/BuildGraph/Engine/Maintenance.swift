import Foundation

/// What `gc` removed.
public struct GarbageReport: Sendable, Equatable {
    public var removedObjects = 0
    public var removedBytes: UInt64 = 0
    public var keptObjects = 0
    /// Half-written temporaries of killed builds, deleted.
    public var removedTemporaries = 0
}

extension BuildEngine {
    /// Removes published outputs listed in the lock file and the whole local
    /// cache; the lock file itself stays (it is committed).
    @discardableResult
    public func clean() throws -> [String] {
        var removed: [String] = []
        for path in (try lockFile()?.published.keys.sorted()) ?? [] where fileSystem.exists(layout.absolute(path)) {
            try fileSystem.remove(layout.absolute(path))
            removed.append(path)
        }
        for directory in [layout.cacheDirectory, layout.statCache, layout.scratchDirectory] where fileSystem.exists(directory) {
            try fileSystem.remove(directory)
        }
        return removed
    }

    /// Drops store objects referenced neither by the lock file nor by the last
    /// `keepBuilds` builds, the action records that pointed at them, and the
    /// temporaries of builds killed mid-write. Call it holding the project lock.
    @discardableResult
    public func collectGarbage(keepBuilds: Int = BuildOptions.defaultKeptBuilds) throws -> GarbageReport {
        let store = ObjectStore(fileSystem: fileSystem, directory: layout.objectsDirectory)
        var keep = Set((try lockFile()?.steps.values.flatMap { $0.outputs.values }) ?? [])
        for build in BuildHistory(fileSystem: fileSystem, path: layout.history).builds().suffix(max(keepBuilds, 0)) {
            keep.formUnion(build)
        }
        var report = GarbageReport()
        for digest in try store.allDigests() {
            if keep.contains(digest) {
                report.keptObjects += 1
            } else {
                report.removedBytes += fileSystem.stat(store.path(of: digest))?.size ?? 0
                try store.remove(digest)
                report.removedObjects += 1
            }
        }
        // The caller holds the project lock, so no build is writing: every temporary is stale.
        let engineFolders = [layout.stateDirectory, layout.cacheDirectory].filter(fileSystem.exists)
        let engineTemporaries = try engineFolders.flatMap { folder in
            try fileSystem.list(folder).filter { $0.hasPrefix(".tmp-") }.map { joinPath(folder, $0) }
        }
        for path in try store.temporaries() + engineTemporaries {
            report.removedBytes += fileSystem.stat(path)?.size ?? 0
            try fileSystem.remove(path)
            report.removedTemporaries += 1
        }
        let index = ActionIndex(fileSystem: fileSystem, path: layout.actionIndex)
        try index.retain { $0.outputs.values.allSatisfy(keep.contains) }
        return report
    }
}
