/// Walks a `WatchScope` on a `FileSystem` without entering excluded sub-trees
/// or symbolic links to directories (which could loop).
struct DirectoryWalker {
    let scope: WatchScope
    let fileSystem: any FileSystem

    /// Calls `directory` for every directory (the root included) and `file`
    /// for every non-directory entry, with its stat (symlinks followed).
    func walk(directory: (String) -> Void, file: (String, FileStat) -> Void) {
        walk(from: scope.root, directory: directory, file: file)
    }

    /// Same as `walk(directory:file:)` but starting at a sub-directory.
    func walk(from start: String, directory: (String) -> Void, file: (String, FileStat) -> Void) {
        var pending = [start]
        while let current = pending.popLast() {
            directory(current)
            for name in (try? fileSystem.list(current)) ?? [] {
                let path = WatchScope.join(current, name)
                if scope.excludes(path) { continue }
                guard let entry = fileSystem.linkStat(path) else { continue }
                if entry.isDirectory {
                    pending.append(path)
                } else if let target = fileSystem.stat(path), !target.isDirectory {
                    file(path, target)
                }
            }
        }
    }
}
