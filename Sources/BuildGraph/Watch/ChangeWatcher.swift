import Diagnostics
/// What a watcher saw: some paths changed, or it lost track and everything
/// must be re-examined (inotify queue overflow).
public enum WatchEvent: Sendable, Equatable {
    /// Files or directories that were written, created, renamed or deleted.
    case changed(Set<String>)
    /// The watcher may have missed events; compare every input again.
    case rescan
}

/// A source of file-system change events under one directory tree.
///
/// `FileWatcher` (inotify) and `PollWatcher` (stat snapshots, for file
/// systems without inotify) both implement it, so `WatchLoop` does not care
/// which one runs.
public protocol ChangeWatcher: AnyObject, Sendable {
    /// Starts watching; `handler` is called on a private queue, never concurrently.
    func start(_ handler: @escaping @Sendable (WatchEvent) -> Void) throws
    /// Stops watching; no event is delivered after it returns. Idempotent.
    func stop()
}

/// Why watching could not start.
public struct WatchError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A watched build or the watcher failed (exit 1).
extension WatchError: UserFacingError {
    public var userErrors: [UserError] { [UserError(description)] }
}
