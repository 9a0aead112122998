import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `flock` on `.lutbuild/lock`: one build at a time per project. The holder
/// writes its pid there so a waiting build can say whom it waits for. The
/// kernel drops the lock when the process dies, even by `kill -9`.
public final class ProjectBuildLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock; if another build holds it, calls `onWait` with a message
    /// and waits, or throws `BuildError.busy` when `wait` is false.
    public init(layout: ProjectLayout, wait: Bool, onWait: (String) -> Void = { _ in }) throws {
        try LocalFileSystem().createDirectory(layout.stateDirectory)
        let fd = open(layout.buildLock, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileSystemError(layout.buildLock, "cannot open: \(String(cString: strerror(errno)))") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let holder =
                (try? LocalFileSystem().read(layout.buildLock))
                .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "?"
            guard wait else {
                close(fd)
                throw BuildError.busy(pid: holder.isEmpty ? "?" : holder)
            }
            onWait("waiting for another lutbuild build (pid \(holder.isEmpty ? "?" : holder))…")
            while flock(fd, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    close(fd)
                    throw FileSystemError(layout.buildLock, "cannot lock: \(String(cString: strerror(errno)))")
                }
            }
        }
        ftruncate(fd, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
        descriptor = fd
    }

    deinit { close(descriptor) }
}
