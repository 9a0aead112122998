import Foundation
import Testing

/// `lutbuild.lock` names data files relative to the project, however the
/// project file gives them, so it is the same on every machine.
@Suite struct BuildLockPathTests {
    @Test func dataPathsInTheLockAreProjectRelative() throws {
        let project = try TinyProject()
        defer { project.remove() }
        let relative = try project.build(["--no-verify", "--no-estimate", "--no-wait"])
        #expect(relative.status == 0, "\(relative.stderr)")
        let lock = try project.scratch.read("lutbuild.lock")
        #expect(lock.contains("\"data/digits.csv\""))

        // The same file by its absolute path: same keys, same lock, nothing runs.
        let absolute = project.scratch.path("data/digits.csv").path
        try project.edit("train = \"data/digits.csv\"", "train = \"\(absolute)\"")
        let same = try project.build()
        #expect(same.status == 0, "\(same.stderr)")
        #expect(same.ran.isEmpty)
        #expect(try project.scratch.read("lutbuild.lock") == lock)

        // A file outside the project: `../…`, and no machine path in the lock.
        let outsideName = project.url.lastPathComponent + "-digits.csv"
        let outside = project.url.deletingLastPathComponent().appendingPathComponent(outsideName)
        try FileManager.default.copyItem(at: project.scratch.path("data/digits.csv"), to: outside)
        defer { try? FileManager.default.removeItem(at: outside) }
        try project.edit(absolute, outside.path)
        let moved = try project.build()
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(moved.ran == ["data/prepare"], "same content: only the step naming the file reruns")
        let movedLock = try project.scratch.read("lutbuild.lock")
        #expect(movedLock.contains("\"../\(outsideName)\""))
        #expect(!movedLock.contains(project.url.deletingLastPathComponent().path + "/"))
    }
}
