import Foundation
import Testing

/// A layer whose outputs the next layer does not all read: the build warns,
/// naming the layer and the count, and the summary and estimate say how many
/// of the counted LUTs no output depends on.
@Suite struct UnreadPartitionsTests {
    @Test func unreadOutputsAreWarnedAboutAndCountedApart() throws {
        let project = try TinyProject()
        defer { project.remove() }
        // 12 hidden partitions, read by 10 output partitions of fan-in 1: 2 hidden outputs unread.
        try project.edit("{ partitions = 6 }", "{ partitions = 12 }")
        try project.edit("{ partitions = 10 }", "{ partitions = 10, fan_in = 1 }")
        let build = try LutbuildBinary.run(["build", "--no-verify"], in: project.url)
        try #require(build.status == 0, "\(build.stderr)")
        let output = build.stdout + build.stderr
        #expect(
            output.contains(
                "warning: connectivity: 2 of layer 1's 12 outputs are read by no partition of layer 2 (10 partitions × fan-in 1)"),
            "\(output)")
        #expect(output.contains(" of them in 2 partitions no output depends on, which synthesis removes"), "\(output)")
        let estimate = try project.scratch.read("gen/reports/estimate.txt")
        #expect(estimate.contains("layer 1: 12 partitions (2 unread: "), "\(estimate)")
    }
}
