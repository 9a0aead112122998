import Foundation
import Testing

/// `lutbuild build` on the user's mistakes: exit code 2 and one clear message.
@Suite struct BuildCommandTests {
    /// A fresh copy of the template project.
    func templateProject() throws -> Scratch {
        let scratch = try Scratch()
        let result = try LutbuildBinary.run(["init", "."], in: scratch.url)
        #expect(result.status == 0)
        return scratch
    }

    @Test func badConfigExitsTwoWithTheMessageAndWritesNothing() throws {
        let scratch = try templateProject()
        defer { scratch.remove() }
        let text = try scratch.read("lutbuild.toml")
            .replacingOccurrences(of: "{ partitions = 32 }", with: "{ partitions = 32, bits = 17 }")
            .replacingOccurrences(of: "[train]", with: "[train]\nepoch = 3")
        try scratch.write("lutbuild.toml", text)
        let before = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).sorted()
        let result = try LutbuildBinary.run(["build"], in: scratch.url)
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(
            result.stderr == """
                error: lutbuild.toml:33: model.layers[1].bits: expected an integer in 1…16, found 17
                error: lutbuild.toml:38: train.epoch: unknown key; did you mean 'epochs'? (expected one of: epochs, batch,\
                 learning_rate, weight_decay, restart_epochs, selection, calibration_rows, label_smoothing, augment_shift, centre_inputs, distillation)

                """)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).sorted() == before)
    }

    @Test func badDataExitsTwoNamingLineAndColumn() throws {
        let scratch = try templateProject()
        defer { scratch.remove() }
        var lines = try scratch.read("data/digits.csv").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var cells = lines[4].split(separator: ",").map(String.init)
        cells[3] = "nan"
        lines[4] = cells.joined(separator: ",")
        try scratch.write("data/digits.csv", lines.joined(separator: "\n"))
        let before = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).sorted()
        let result = try LutbuildBinary.run(["build"], in: scratch.url)
        #expect(result.status == 2)
        #expect(result.stderr.hasSuffix("\nerror: data/digits.csv:5: column 'p3': expected a finite number, found 'nan'\n"))
        // Nothing is written: no lock file, no .lutbuild (lock, stat cache), no gen/.
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).sorted() == before)
    }

    /// Every bad row and cell of the data at once (at most a screenful, the rest counted), exit 2, nothing written.
    @Test func badDataReportsEveryProblemAndWritesNothing() throws {
        let scratch = try templateProject()
        defer { scratch.remove() }
        var lines = try scratch.read("data/digits.csv").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[4] = lines[4].replacingOccurrences(of: ",", with: ";")  // one cell instead of 65
        var cells = lines[9].split(separator: ",").map(String.init)
        cells[3] = "x"
        cells[64] = "1.5"
        lines[9] = cells.joined(separator: ",")
        for row in 100..<160 {  // 60 more bad rows
            var cells = lines[row].split(separator: ",").map(String.init)
            cells[0] = "?"
            lines[row] = cells.joined(separator: ",")
        }
        try scratch.write("data/digits.csv", lines.joined(separator: "\n"))
        let before = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).sorted()
        let result = try LutbuildBinary.run(["build"], in: scratch.url)
        #expect(result.status == 2)
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errors.count == 41)
        #expect(
            errors.prefix(4) == [
                "error: data/digits.csv:5: expected 65 cells (as in the header), found 1",
                "error: data/digits.csv:10: column 'p3': expected a number, found 'x'",
                "error: data/digits.csv:10: column 'digit': expected an integer class label, found '1.5'",
                "error: data/digits.csv:101: column 'p0': expected a number, found '?'",
            ])
        #expect(errors.last == "error: … and 23 more problems (fix those above and run again to see them)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).sorted() == before)
    }

    @Test func lastLayerMustMatchTheClasses() throws {
        let scratch = try templateProject()
        defer { scratch.remove() }
        let text = try scratch.read("lutbuild.toml").replacingOccurrences(of: "{ partitions = 10 }", with: "{ partitions = 9 } ")
        try scratch.write("lutbuild.toml", text)
        let result = try LutbuildBinary.run(["build"], in: scratch.url)
        #expect(result.status == 2)
        #expect(
            result.stderr.hasSuffix(
                "\nerror: lutbuild.toml:34: model.layers[2].partitions: the last layer needs one partition per class: expected"
                    + " 10 (the classes in data/digits.csv), found 9\n"
            ))
    }

    @Test func missingProjectFile() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let result = try LutbuildBinary.run(["build"], in: scratch.url)
        #expect(result.status == 2)
        #expect(result.stderr == "error: lutbuild.toml: no such file; expected a project directory (create one with `lutbuild init`)\n")
    }

    @Test func retrainNamesAnExistingLayer() throws {
        let scratch = try templateProject()
        defer { scratch.remove() }
        let result = try LutbuildBinary.run(["build", "--retrain", "layer7"], in: scratch.url)
        #expect(result.status == 64)
        #expect(result.stderr == "error: --retrain layer7: expected layer0 … layer2 (the project has 3 layers)\n")
        // The same mistake, the same message and exit code in every command.
        let explain = try LutbuildBinary.run(["explain", "--retrain", "layer7"], in: scratch.url)
        #expect(explain.status == 64)
        #expect(explain.stderr == result.stderr)
    }

    /// Option values parse through ArgumentParser in every command: a usage mistake, exit 64, `error:` like the rest.
    @Test func unknownSimulatorIsAUsageError() throws {
        let scratch = try templateProject()
        defer { scratch.remove() }
        for command in ["build", "verify", "watch"] {
            let result = try LutbuildBinary.run([command, "--simulator", "modelsim"], in: scratch.url)
            #expect(result.status == 64, "\(command): \(result.stderr)")
            #expect(
                result.stderr.hasPrefix("error: The value 'modelsim' is invalid for '--simulator <simulator>'"),
                "\(command): \(result.stderr)")
        }
    }

    @Test func version() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        #expect(try LutbuildBinary.run(["version"], in: scratch.url).stdout == "lutbuild 0.1.0\n")
    }
}
