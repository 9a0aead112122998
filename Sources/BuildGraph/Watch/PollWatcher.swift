import Dispatch

/// Watches a directory tree by comparing (size, mtime, inode) snapshots at a
/// fixed interval: the fallback for file systems without inotify (network
/// mounts, some containers). Slower to notice and costs a walk per tick.
public final class PollWatcher: ChangeWatcher, @unchecked Sendable {
    // Everything mutable below is touched only on `queue`.
    private let scope: WatchScope
    private let interval: DispatchTimeInterval
    private let queue = DispatchQueue(label: "lutbuild.watch.poll")
    private var timer: (any DispatchSourceTimer)?
    private var snapshot: [String: FileStamp] = [:]
    private var handler: (@Sendable (WatchEvent) -> Void)?

    /// - Parameter intervalMilliseconds: time between two snapshots (at least 1).
    public init(scope: WatchScope, intervalMilliseconds: Int = 500) {
        self.scope = scope
        self.interval = .milliseconds(max(1, intervalMilliseconds))
    }

    deinit {
        timer?.cancel()
    }

    public func start(_ handler: @escaping @Sendable (WatchEvent) -> Void) throws {
        guard DirectoryWalker.stamp(of: scope.root) != nil else {
            throw WatchError("cannot watch \(scope.root): no such directory")
        }
        try queue.sync {
            guard timer == nil else { throw WatchError("the watcher is already running") }
            snapshot = takeSnapshot()
            self.handler = handler
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now() + interval, repeating: interval)
            timer.setEventHandler { [weak self] in self?.tick() }
            self.timer = timer
            timer.resume()
        }
    }

    public func stop() {
        queue.sync {
            timer?.cancel()
            timer = nil
            handler = nil
        }
    }

    private func tick() {
        let current = takeSnapshot()
        var changed = Set<String>()
        for (path, stamp) in current where snapshot[path] != stamp { changed.insert(path) }
        for path in snapshot.keys where current[path] == nil { changed.insert(path) }
        snapshot = current
        if !changed.isEmpty { handler?(.changed(changed)) }
    }

    private func takeSnapshot() -> [String: FileStamp] {
        var result: [String: FileStamp] = [:]
        DirectoryWalker(scope: scope).walk(directory: { _ in }, file: { result[$0] = $1 })
        return result
    }
}
