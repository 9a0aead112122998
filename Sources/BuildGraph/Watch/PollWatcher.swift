import Dispatch

/// Watches a directory tree by comparing (size, mtime, inode) snapshots at a
/// fixed interval: the fallback for file systems without inotify (network
/// mounts, some containers). Slower to notice and costs a walk per tick.
///
/// It reads through the engine's `FileSystem` and waits on a `SchedulingClock`,
/// so tests run it on the in-memory file system and a fake clock.
public final class PollWatcher: ChangeWatcher, @unchecked Sendable {
    // Everything mutable below is touched only on `queue`.
    private let scope: WatchScope
    private let intervalNanoseconds: UInt64
    private let fileSystem: any FileSystem
    private let clock: any SchedulingClock
    private let queue = DispatchQueue(label: "lutbuild.watch.poll")
    private var next: ScheduledWork?
    /// Bumped by every start and stop, so a tick already on its way from an
    /// earlier run does nothing.
    private var run = 0
    private var snapshot: [String: FileStat] = [:]
    private var handler: (@Sendable (WatchEvent) -> Void)?

    /// The default time between two snapshots (and `lutbuild watch --poll-interval-ms`'s).
    public static let defaultIntervalMilliseconds = 500

    /// - Parameter intervalMilliseconds: time between two snapshots (at least 1).
    public init(
        scope: WatchScope, intervalMilliseconds: Int = PollWatcher.defaultIntervalMilliseconds,
        fileSystem: any FileSystem = LocalFileSystem(), clock: any SchedulingClock = SystemClock()
    ) {
        self.scope = scope
        self.intervalNanoseconds = UInt64(max(1, intervalMilliseconds)) * 1_000_000
        self.fileSystem = fileSystem
        self.clock = clock
    }

    deinit {
        next?.cancel()
    }

    public func start(_ handler: @escaping @Sendable (WatchEvent) -> Void) throws {
        guard fileSystem.stat(scope.root)?.isDirectory == true else {
            throw WatchError("cannot watch \(scope.root): no such directory")
        }
        try queue.sync {
            guard self.handler == nil else { throw WatchError("the watcher is already running") }
            snapshot = takeSnapshot()
            self.handler = handler
            run += 1
            scheduleTick()
        }
    }

    public func stop() {
        queue.sync {
            next?.cancel()
            next = nil
            handler = nil
            run += 1
        }
    }

    private func scheduleTick() {
        let run = self.run
        next = clock.schedule(after: intervalNanoseconds) { [weak self] in
            guard let self else { return }
            self.queue.sync { self.tick(run: run) }
        }
    }

    private func tick(run: Int) {
        guard run == self.run, let handler else { return }
        let current = takeSnapshot()
        var changed = Set<String>()
        for (path, stat) in current where snapshot[path] != stat { changed.insert(path) }
        for path in snapshot.keys where current[path] == nil { changed.insert(path) }
        snapshot = current
        if !changed.isEmpty { handler(.changed(changed)) }
        scheduleTick()
    }

    private func takeSnapshot() -> [String: FileStat] {
        var result: [String: FileStat] = [:]
        DirectoryWalker(scope: scope, fileSystem: fileSystem).walk(directory: { _ in }, file: { result[$0] = $1 })
        return result
    }
}
