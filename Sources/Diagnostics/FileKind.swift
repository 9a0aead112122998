#if canImport(Glibc)
import Glibc
#endif

/// What a path is when it is not a regular file, as messages name it. Data
/// and sources must be regular files: a FIFO blocks whoever opens it and a
/// device such as /dev/zero never ends.
public enum FileKind {
    /// `a FIFO (named pipe)`, `a device`, …; nil for a regular file.
    public static func notRegular(mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFCHR, S_IFBLK: "a device"
        case S_IFSOCK: "a socket"
        default: "not a regular file"
        }
    }

    /// `notRegular` of what `path` resolves to; nil for a regular file or a path that cannot be examined.
    public static func notRegular(path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return notRegular(mode: info.st_mode)
    }
}
