import Foundation
import Testing

@Suite struct InitCommandTests {
    static let templateFiles = [".gitignore", "README.md", "data/README.md", "data/digits.csv", "lutbuild.toml"]

    @Test func initIntoAnEmptyFolderWritesTheTemplate() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let result = try LutbuildBinary.run(["init", "proj"], in: scratch.url)
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout.hasPrefix("created a lutbuild project in proj:\n"))
        for file in Self.templateFiles { #expect(scratch.exists("proj/\(file)"), "\(file)") }
        #expect(try scratch.read("proj/data/digits.csv").hasPrefix("p0,p1,p2,"))
    }

    @Test func initIntoTheCurrentFolder() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        #expect(try LutbuildBinary.run(["init"], in: scratch.url).status == 0)
        #expect(scratch.exists("lutbuild.toml"))
    }

    @Test func initRefusesToOverwriteAndWritesNothing() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("proj/lutbuild.toml", "# mine\n")
        try scratch.write("proj/README.md", "mine\n")
        let result = try LutbuildBinary.run(["init", "proj"], in: scratch.url)
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(
            result.stderr == """
                error: refusing to overwrite existing files in proj:
                  README.md
                  lutbuild.toml
                nothing was written; choose an empty directory or move these files away

                """)
        #expect(try scratch.read("proj/lutbuild.toml") == "# mine\n")
        #expect(!scratch.exists("proj/data"))
    }

    @Test func initOntoAFileIsAUserError() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("taken", "x\n")
        let result = try LutbuildBinary.run(["init", "taken"], in: scratch.url)
        #expect(result.status == 2)
        #expect(result.stderr == "error: taken exists and is not a directory; expected a directory to create the project in\n")
    }
}
