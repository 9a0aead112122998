import Foundation

/// The output digests of the last few builds, so `gc` keeps what a recent
/// build (e.g. on another branch) needs besides the lock file.
struct BuildHistory {
    let fileSystem: any FileSystem
    let path: String

    func builds() -> [[Digest]] {
        guard let data = try? fileSystem.read(path) else { return [] }
        return LineFormat.lines(data).compactMap { line in
            guard let fields = LineFormat.open(line), let list = fields.first else { return nil }
            return list.split(separator: UInt8(ascii: " ")).compactMap(LineFormat.digest)
        }
    }

    /// Appends a build unless it equals the last one, keeping `keep` builds.
    func append(_ digests: Set<Digest>, keep: Int) throws {
        let sorted = digests.sorted()
        var all = builds()
        if all.last == sorted { return }
        all.append(sorted)
        let kept = all.suffix(max(keep, 1))
        let text = kept.map { LineFormat.seal([$0.map(\.hex).joined(separator: " ")]) }.joined()
        try fileSystem.createDirectory(parentPath(path))
        try fileSystem.writeAtomically(path, Data(text.utf8))
    }
}
