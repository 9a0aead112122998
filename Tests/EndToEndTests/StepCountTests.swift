import Foundation
import Testing

/// The closing `ran N steps` counts what the progress counter `[done/total]`
/// counts; the units inside grouped steps (one per trained partition) are named apart.
@Suite struct StepCountTests {
    @Test func summaryStepsAgreeWithTheProgressCounter() throws {
        let project = try TinyProject()
        defer { project.remove() }
        let build = try LutbuildBinary.run(["build", "--no-verify"], in: project.url)
        try #require(build.status == 0, "\(build.stderr)")
        let output = build.stdout + build.stderr
        let counters = try NSRegularExpression(pattern: #"^\[(\d+)/(\d+)\]"#, options: .anchorsMatchLines)
            .matches(in: output, range: NSRange(output.startIndex..., in: output))
            .map { Int((output as NSString).substring(with: $0.range(at: 2)))! }
        let total = try #require(counters.last, "no progress counter in:\n\(output)")
        let summary = try #require(output.split(separator: "\n").first { $0.hasPrefix("ran ") }, "\(output)")
        #expect(summary.hasPrefix("ran \(total) steps ("), "\(summary) after [\(total)/\(total)]")
        #expect(summary.contains(" units, trained 24 partitions), 0 cached"), "\(summary)")
    }
}
