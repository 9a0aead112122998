import Foundation
import Testing

/// Same inputs, byte-identical published outputs and lock file: timings are
/// shown while building, never written into what is hashed.
@Suite struct DeterminismTests {
    @Test func twoCleanBuildsWriteTheSameLockFileAndReports() throws {
        let project = try TinyProject(epochs: 2)
        defer { project.remove() }
        var builds: [[String: String]] = []
        for _ in 0..<2 {
            #expect(try LutbuildBinary.run(["clean"], in: project.url).status == 0)
            let build = try project.build(["--no-verify"])
            #expect(build.status == 0, "\(build.stderr)")
            var files: [String: String] = [:]
            for name in [
                "lutbuild.lock", "gen/reports/training.json", "gen/reports/training.csv",
                "gen/reports/estimate.json", "gen/reports/estimate.txt",
            ] {
                files[name] = try project.scratch.read(name)
            }
            builds.append(files)
        }
        for (name, first) in builds[0].sorted(by: { $0.key < $1.key }) {
            #expect(builds[1][name] == first, "\(name) differs between two clean builds")
        }
        #expect(builds[0]["gen/reports/estimate.json"]?.contains("seconds") == false)
        #expect(builds[0]["gen/reports/training.json"]?.contains("seconds") == false)
    }
}
