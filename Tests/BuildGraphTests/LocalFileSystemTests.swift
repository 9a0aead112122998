import BuildGraph
import Foundation
import Testing

/// The real file system's walk-related behaviour around symbolic links.
@Suite struct LocalFileSystemTests {
    let fileSystem = LocalFileSystem()
    let root = URL(fileURLWithPath: NSTemporaryDirectory()).resolvingSymlinksInPath()
        .appendingPathComponent("localfs-\(UUID().uuidString)").path

    /// `gen/` holding a link to a folder elsewhere (a user's shortcut): removing
    /// `gen/` removes the link, never what it points at.
    @Test func removingATreeDoesNotFollowLinksToDirectories() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try fileSystem.createDirectory(root + "/elsewhere")
        try fileSystem.writeAtomically(root + "/elsewhere/keep.txt", Data("keep".utf8))
        try fileSystem.createDirectory(root + "/gen")
        try FileManager.default.createSymbolicLink(atPath: root + "/gen/shortcut", withDestinationPath: root + "/elsewhere")
        try fileSystem.remove(root + "/gen")
        #expect(!fileSystem.exists(root + "/gen"))
        #expect(try fileSystem.read(root + "/elsewhere/keep.txt") == Data("keep".utf8))
    }

    @Test func linkStatDescribesTheLinkAndStatItsTarget() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try fileSystem.createDirectory(root + "/folder")
        try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: root + "/folder")
        #expect(fileSystem.stat(root + "/link")?.isDirectory == true)
        #expect(fileSystem.linkStat(root + "/link")?.isDirectory == false)
    }

    /// A FIFO in place of a source is refused, never read: opening one blocks
    /// until a writer comes (here one is open, so the old read returned nothing).
    @Test func readingAFIFOIsRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try fileSystem.createDirectory(root)
        #expect(mkfifo(root + "/data.csv", 0o600) == 0)
        let bothEnds = open(root + "/data.csv", O_RDWR | O_NONBLOCK)
        defer { close(bothEnds) }
        #expect {
            try fileSystem.read(root + "/data.csv")
        } throws: { error in
            "\(error)".contains("expected a regular file, found a FIFO (named pipe)")
        }
        #expect(throws: (any Error).self) { try fileSystem.read("/dev/zero") }
    }
}
