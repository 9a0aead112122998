#if canImport(Glibc)
import Glibc
import Dispatch

/// Watches a directory tree with Linux inotify.
///
/// Directories are watched, not files, so an editor's atomic save (write a
/// temporary file, rename it over the original) is seen as a change of the
/// original path. New sub-directories get watches as they appear; excluded
/// sub-trees never get one. A kernel queue overflow becomes `.rescan`.
public final class FileWatcher: ChangeWatcher, @unchecked Sendable {
    // Everything mutable below is touched only on `queue`.
    private let scope: WatchScope
    private let queue = DispatchQueue(label: "lutbuild.watch.inotify")
    private var descriptor: Int32 = -1
    private var source: (any DispatchSourceRead)?
    private var directories: [Int32: String] = [:]
    private var handler: (@Sendable (WatchEvent) -> Void)?

    private static let mask: UInt32 = flags(
        IN_CLOSE_WRITE, IN_ATTRIB, IN_CREATE, IN_DELETE,
        IN_MOVED_FROM, IN_MOVED_TO, IN_ONLYDIR)

    public init(scope: WatchScope) {
        self.scope = scope
    }

    deinit {
        source?.cancel()
    }

    public func start(_ handler: @escaping @Sendable (WatchEvent) -> Void) throws {
        try queue.sync {
            guard source == nil else { throw WatchError("the watcher is already running") }
            let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            guard fd >= 0 else { throw WatchError("inotify_init1 failed: \(Self.errorText()); try --poll") }
            descriptor = fd
            guard addWatch(scope.root) else {
                let code = errno
                close(fd)
                descriptor = -1
                throw WatchError("cannot watch \(scope.root): \(String(cString: strerror(code)))\(Self.hint(for: code))")
            }
            var ignored = Set<String>()
            addWatches(under: scope.root, newFiles: &ignored)
            self.handler = handler
            let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
            source.setEventHandler { [weak self] in self?.drain() }
            source.setCancelHandler { close(fd) }
            self.source = source
            source.resume()
        }
    }

    public func stop() {
        queue.sync {
            source?.cancel()  // its cancel handler closes the descriptor
            source = nil
            descriptor = -1
            handler = nil
            directories = [:]
        }
    }

    /// Reads every queued event and reports them as one batch.
    private func drain() {
        var changed = Set<String>()
        var rescan = false
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            buffer.withUnsafeBytes { raw in
                var offset = 0
                while offset + 16 <= count {
                    let watch = raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                    let mask = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                    let length = Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    let nameBytes = raw[(offset + 16)..<min(count, offset + 16 + length)]
                    let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
                    offset += 16 + length
                    handle(watch: watch, mask: mask, name: name, changed: &changed, rescan: &rescan)
                }
            }
        }
        if rescan {
            addWatches(under: scope.root, newFiles: &changed)
            handler?(.rescan)
        } else if !changed.isEmpty {
            handler?(.changed(changed))
        }
    }

    private func handle(watch: Int32, mask: UInt32, name: String, changed: inout Set<String>, rescan: inout Bool) {
        if mask & Self.flags(IN_Q_OVERFLOW) != 0 {
            rescan = true
            return
        }
        if mask & Self.flags(IN_IGNORED) != 0 {
            directories[watch] = nil
            return
        }
        guard let directory = directories[watch], !name.isEmpty else { return }
        let path = WatchScope.join(directory, name)
        if scope.excludes(path) { return }
        changed.insert(path)
        guard mask & Self.flags(IN_ISDIR) != 0 else { return }
        if mask & Self.flags(IN_MOVED_FROM) != 0 {
            // Its watches would keep reporting the old path; a rename within the tree re-adds them.
            forgetWatches(under: path)
        } else if mask & Self.flags(IN_CREATE, IN_MOVED_TO) != 0 {
            // Files may land in a new directory before its watch exists.
            addWatches(under: path, newFiles: &changed)
        }
    }

    private func forgetWatches(under path: String) {
        for (watch, directory) in directories where directory == path || directory.hasPrefix(path + "/") {
            inotify_rm_watch(descriptor, watch)
            directories[watch] = nil
        }
    }

    /// Adds watches to `start` and every directory below it; collects the files found.
    private func addWatches(under start: String, newFiles: inout Set<String>) {
        var found = Set<String>()
        DirectoryWalker(scope: scope, fileSystem: LocalFileSystem()).walk(
            from: start,
            directory: { directory in _ = addWatch(directory) },
            file: { path, _ in found.insert(path) }
        )
        newFiles.formUnion(found)
    }

    private func addWatch(_ directory: String) -> Bool {
        let watch = inotify_add_watch(descriptor, directory, Self.mask)
        guard watch >= 0 else { return false }
        directories[watch] = directory
        return true
    }

    private static func flags<T: BinaryInteger>(_ values: T...) -> UInt32 {
        values.reduce(0) { $0 | UInt32(truncatingIfNeeded: $1) }
    }

    private static func errorText() -> String {
        String(cString: strerror(errno))
    }

    private static func hint(for code: Int32) -> String {
        code == ENOSPC ? " (raise fs.inotify.max_user_watches or use --poll)" : ""
    }
}
#endif
