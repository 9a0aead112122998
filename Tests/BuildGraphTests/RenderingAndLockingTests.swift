import BuildGraph
import Foundation
import Synchronization
import Testing

@Suite struct RenderingAndLockingTests {
    final class Output: Sendable {
        let text = Mutex("")
        func write(_ chunk: String) { text.withLock { $0 += chunk } }
    }

    @Test func statusLineIsNinjaStyle() {
        let output = Output()
        let renderer = BuildEventRenderer(style: .statusLine, write: output.write)
        renderer.render(.started(step: "tabulate/layer2/p17", kind: "tabulate", done: 12, total: 640))
        renderer.render(.cached(step: "x", done: 13, total: 640))
        renderer.render(.progress(step: "train", message: "epoch 1/2"))
        renderer.finish()
        #expect(output.text.withLock { $0 } == "\r[12/640] tabulate layer2/p17\u{1B}[K\r[12/640] train: epoch 1/2\u{1B}[K\n")
    }

    @Test func jsonEventsAreOneObjectPerLine() throws {
        let output = Output()
        let renderer = BuildEventRenderer(style: .json, write: output.write)
        renderer.render(.finished(step: "train", units: ["train/l0/p1"], seconds: 0.5, done: 1, total: 2))
        renderer.render(.progress(step: "train", message: "epoch 1"))
        let lines = output.text.withLock { $0 }.split(separator: "\n")
        #expect(lines.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["event"] as? String == "finished")
        #expect(first["units"] as? [String] == ["train/l0/p1"])
    }

    /// 100 epochs of 4 status updates each, 0.05 s apart: a log gets the
    /// first one and one per tenth (11 lines), not 400 or 100.
    @Test func plainLogsShowStatusOnlyPerTenthOfTheWork() {
        let output = Output()
        let clock = Mutex(0.0)
        let renderer = BuildEventRenderer(style: .plain, write: output.write, now: { clock.withLock { $0 } })
        for update in 1...400 {
            clock.withLock { $0 += 0.05 }
            renderer.render(.status(step: "train", message: "batch \(update)/400", fraction: Double(update) / 400))
        }
        let lines = output.text.withLock { $0 }.split(separator: "\n")
        #expect(lines.count == 11)
        #expect(lines.first == "train: batch 1/400")
        #expect(lines.dropFirst().first == "train: batch 40/400")
        #expect(lines.last == "train: batch 400/400")
    }

    /// Slow work still shows signs of life: a line after each interval of silence.
    @Test func plainLogsShowSlowStatusEveryFewSeconds() {
        let output = Output()
        let clock = Mutex(0.0)
        let renderer = BuildEventRenderer(style: .plain, write: output.write, now: { clock.withLock { $0 } })
        for update in 0..<40 {
            renderer.render(.status(step: "train", message: "update \(update)", fraction: 0.001 * Double(update)))
            clock.withLock { $0 += 1 }
        }
        renderer.render(.progress(step: "train", message: "a note"))
        let lines = output.text.withLock { $0 }.split(separator: "\n")
        #expect(lines == ["train: update 0", "train: update 10", "train: update 20", "train: update 30", "train: a note"])
    }

    @Test func statusLineShowsEveryStatus() {
        let output = Output()
        let renderer = BuildEventRenderer(style: .statusLine, write: output.write)
        renderer.render(.status(step: "train", message: "epoch 1/2", fraction: 0.5))
        renderer.render(.status(step: "train", message: "epoch 2/2", fraction: 1))
        renderer.finish()
        #expect(output.text.withLock { $0 } == "\rtrain: epoch 1/2\u{1B}[K\rtrain: epoch 2/2\u{1B}[K\n")
    }

    @Test func plainLinesSkipCachedSteps() {
        let output = Output()
        let renderer = BuildEventRenderer(style: .plain, write: output.write)
        renderer.render(.cached(step: "a", done: 1, total: 2))
        renderer.render(.finished(step: "verilog/top", units: ["verilog/top"], seconds: 0.25, done: 2, total: 2))
        #expect(output.text.withLock { $0 } == "[2/2] verilog top (0.25 s)\n")
    }

    @Test func secondBuildLockFailsWithoutWaiting() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lutbuild-lock-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let layout = testLayout(root)
        let held = try ProjectBuildLock(layout: layout, wait: false)
        #expect(throws: BuildError.busy(pid: "\(getpid())")) { try ProjectBuildLock(layout: layout, wait: false) }
        _ = held
    }

    @Test func localFileSystemWritesAtomicallyAndStats() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lutbuild-fs-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fs = LocalFileSystem()
        try fs.createDirectory(root + "/a/b")
        try fs.writeAtomically(root + "/a/b/f", Data("one".utf8))
        let first = try #require(fs.stat(root + "/a/b/f"))
        try fs.writeAtomically(root + "/a/b/f", Data("three".utf8))
        let second = try #require(fs.stat(root + "/a/b/f"))
        #expect(first.inode != second.inode && second.size == 5)
        try fs.append(root + "/a/b/f", Data("!".utf8))
        #expect(try fs.read(root + "/a/b/f") == Data("three!".utf8))
        #expect(try fs.list(root + "/a/b") == ["f"])
        try fs.remove(root + "/a")
        #expect(!fs.exists(root + "/a"))
    }
}
