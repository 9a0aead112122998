import Foundation
import Testing
import TestSupport

/// `lutbuild init DIR --data FILE`: a project around the user's own data,
/// tried with files laid out as people's data sets are (generated here, so
/// that no test depends on a download).
@Suite struct InitFromDataTests {
    /// `rows` rows of `features` non-integer numbers and a class label `first…first+classes-1`.
    static func table(rows: Int, features: Int, classes: Int, first: Int = 0, labelAt column: Int? = nil) -> [[String]] {
        (0..<rows).map { r in
            let label = r % classes
            // Class-dependent means, so that a short training run learns something.
            var cells: [String] = (0..<features).map { f in
                let mean = Double(label * (f % 3 + 1))
                let noise = Double((r * 7 + f * 13) % 17) / 9
                return String(format: "%.4f", mean + noise + 0.0001)
            }
            cells.insert(String(first + label), at: column ?? cells.count)
            return cells
        }
    }

    static func csv(_ header: String?, _ rows: [[String]]) -> String {
        ((header.map { [$0] } ?? []) + rows.map { $0.joined(separator: ",") }).joined(separator: "\n") + "\n"
    }

    /// A little-endian NPY file (format 1.0) of `values` with `shape`.
    static func npy(_ values: [Double], shape: [Int], descr: String) -> Data {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
        data.append(Data(header.utf8))
        for value in values {
            if descr == "<f4" {
                withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { data.append(contentsOf: $0) }
            } else {
                withUnsafeBytes(of: Int64(value).littleEndian) { data.append(contentsOf: $0) }
            }
        }
        return data
    }

    /// Turns a generated project into a seconds-long one for debug builds.
    static func shrink(_ toml: String) -> String {
        toml.replacingOccurrences(of: #"epochs = \d+"#, with: "epochs = 3", options: .regularExpression)
            .replacingOccurrences(of: "width = 16", with: "width = 4")
    }

    func initProject(_ arguments: [String], in scratch: Scratch) throws -> LutbuildBinary.Result {
        try LutbuildBinary.run(["init"] + arguments, in: scratch.url)
    }

    @Test func scikitLearnLayoutWithThirteenFeaturesBuildsAndVerifies() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let rows = Self.table(rows: 178, features: 13, classes: 3)
        try scratch.write("data/wine_data.csv", Self.csv("178,13,class_0,class_1,class_2", rows))
        let result = try initProject(["wine-fpga", "--data", "data/wine_data.csv"], in: scratch)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "")
        #expect(
            result.stdout.hasPrefix(
                """
                read data/wine_data.csv: 178 rows, 13 features, 3 classes (csv)
                  no header row; label column c13 (found by scikit-learn's layout (the last column))
                  network: 16 → 8 → 3 partitions, fan-in 6, 2-bit codes (3-bit outputs); 200 epochs
                  too few rows to select an epoch on a validation split: all 142 non-test rows train, and the last epoch is kept
                created a lutbuild project in wine-fpga:

                """))
        let toml = try scratch.read("wine-fpga/lutbuild.toml")
        for line in [
            #"name = "wine_fpga_lut""#, #"train = "../data/wine_data.csv""#, "skip_lines = 1", "header = false", "label = -1",
            #"class_names = ["class_0", "class_1", "class_2"]"#, "fan_in = 6", "  { partitions = 3 },", "epochs = 200", "batch = 32",
        ] {
            #expect(toml.contains("\n" + line), "\(line)")
        }
        #expect(!toml.contains("label_offset"))
        for file in ["lutbuild.toml", "README.md"] {
            let text = try scratch.read("wine-fpga/\(file)").lowercased()
            #expect(!text.contains("digit") && !text.contains("pixel") && !text.contains("8x8"), "\(file) has digits text")
        }
        #expect(scratch.exists("wine-fpga/.gitignore"))

        try scratch.write("wine-fpga/lutbuild.toml", Self.shrink(toml))
        let build = try LutbuildBinary.run(["build", "--no-estimate"], in: scratch.path("wine-fpga"))
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stdout.contains("0 mismatches"), "\(build.stdout)")
        #expect(scratch.exists("wine-fpga/gen/rtl/wine_fpga_lut.v"))
    }

    @Test func headerlessThirtyFeaturesWithOneBasedLabelsGetALabelOffset() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("cancer.csv", Self.csv(nil, Self.table(rows: 569, features: 30, classes: 2, first: 1)))
        let result = try initProject(["proj", "--data", "cancer.csv", "--copy-data"], in: scratch)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.contains(
                """
                  no header row; label column c30 (found by being the only integer column with few values)
                  labels run 1…2: dataset.label_offset = 1 makes them 0…1
                  network: 32 → 12 → 2 partitions, fan-in 6, 2-bit codes (3-bit outputs); 200 epochs

                """))
        let toml = try scratch.read("proj/lutbuild.toml")
        #expect(toml.contains(#"train = "data/cancer.csv""#))
        #expect(toml.contains("\nlabel_offset = 1 "))
        #expect(try scratch.read("proj/data/cancer.csv") == scratch.read("cancer.csv"))

        // Without the offset a build refuses labels counted from 1, and says what to set.
        try scratch.write("proj/lutbuild.toml", toml.replacingOccurrences(of: "\nlabel_offset = 1 ", with: "\n# "))
        let build = try LutbuildBinary.run(["build", "--no-verify", "--no-estimate"], in: scratch.path("proj"))
        #expect(build.status == 2)
        #expect(
            build.stderr.contains(
                "error: data/cancer.csv:1: column 'c30': class labels must start at 0, but these run from 1 to 2 (numbered from"
                    + " 1?); set dataset.label_offset = 1"
            ), "\(build.stderr)")
    }

    @Test func namedLabelColumnInTheMiddleAndAMisspeltOne() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write(
            "iris.csv",
            Self.csv(
                "sepal_length,sepal_width,species,petal_length,petal_width",
                Self.table(rows: 150, features: 4, classes: 3, labelAt: 2)))
        let wrong = try initProject(["p", "--data", "iris.csv", "--label", "Specie"], in: scratch)
        #expect(wrong.status == 2)
        #expect(
            wrong.stderr
                == "error: iris.csv:1: expected a label column named 'Specie' in the header (did you mean 'species'?); the 5"
                + " columns are: sepal_length, sepal_width, species, petal_length, petal_width\n"
        )
        #expect(!scratch.exists("p"))

        let result = try initProject(["p", "--data", "iris.csv", "--label", "2"], in: scratch)
        #expect(result.status == 0, "\(result.stderr)")
        let toml = try scratch.read("p/lutbuild.toml")
        #expect(toml.contains("\nlabel = \"species\" "))
        #expect(toml.contains("\nfan_in = 4 "), "4 features: fan-in 4")
        #expect(!toml.contains("header = false"))

        try scratch.write("last.csv", Self.csv("f0,f1,f2,f3,kind", Self.table(rows: 150, features: 4, classes: 3)))
        let last = try initProject(["q", "--data", "last.csv", "--label", "-1"], in: scratch)
        #expect(last.status == 0, "\(last.stderr)")
        #expect(last.stdout.contains("label column kind (found by --label -1)"), "\(last.stdout)")
    }

    @Test func npyPairWithOneBasedLabels() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let rows = Self.table(rows: 200, features: 10, classes: 4, first: 1)
        let features = rows.flatMap { $0.dropLast().map { Double($0)! } }
        try FileManager.default.createDirectory(at: scratch.path("d"), withIntermediateDirectories: true)
        try Self.npy(features, shape: [200, 10], descr: "<f4").write(to: scratch.path("d/x.npy"))
        try Self.npy(rows.map { Double($0.last!)! }, shape: [200], descr: "<i8").write(to: scratch.path("d/y.npy"))

        let missing = try initProject(["p", "--data", "d/x.npy"], in: scratch)
        #expect(missing.stderr == "error: d/x.npy: a NPY file holds only features; give its labels file with --labels FILE\n")
        let result = try initProject(["p", "--data", "d/x.npy", "--labels", "d/y.npy"], in: scratch)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("read d/x.npy: 200 rows, 10 features, 4 classes (npy)\n  labels run 1…4"))
        let toml = try scratch.read("p/lutbuild.toml")
        for line in [#"format = "npy""#, #"train = "../d/x.npy""#, #"train_labels = "../d/y.npy""#, "label_offset = 1"] {
            #expect(toml.contains("\n" + line), "\(line)")
        }
        #expect(!toml.contains("\nlabel ="))
    }

    @Test func idxImagesGetAWideFirstLayer() throws {
        let mnist = try SharedData.require("datasets/mnist")
        let scratch = try Scratch()
        defer { scratch.remove() }
        let result = try initProject(
            [
                "m", "--data", mnist.appendingPathComponent("t10k-images-idx3-ubyte.gz").path,
                "--labels", mnist.appendingPathComponent("t10k-labels-idx1-ubyte.gz").path,
            ], in: scratch)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.contains(
                "10000 rows, 784 features, 10 classes (idx)\n  network: 256 → 60 → 10 partitions, fan-in 6, 2-bit codes (3-bit outputs); 20 epochs\n"
            ))
    }

    @Test func dataOptionsAreCheckedTogether() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("a.csv", "x,y\n1.5,0\n2.5,1\n")
        let labelsWithoutData = try initProject(["p", "--label", "y"], in: scratch)
        #expect(labelsWithoutData.status == 64)
        #expect(labelsWithoutData.stderr.contains("--labels, --label and --copy-data need --data FILE"))
        let csvWithLabels = try initProject(["p", "--data", "a.csv", "--labels", "a.csv"], in: scratch)
        #expect(
            csvWithLabels.stderr
                == "error: a.csv: a CSV file holds its labels in a column; drop --labels (name the column with --label if needed)\n")
        #expect(!scratch.exists("p"))
    }
}

/// `init --data` checks everything a build would before it writes anything
/// (issue: it wrote three files, then rejected its own project file, and a
/// second `init` refused because the files existed).
@Suite struct InitFromDataRefusalTests {
    func initProject(_ arguments: [String], in scratch: Scratch) throws -> LutbuildBinary.Result {
        try LutbuildBinary.run(["init"] + arguments, in: scratch.url)
    }

    /// The folder holds nothing `init` wrote (it may not exist at all).
    func expectNothingWritten(_ folder: String, in scratch: Scratch, sourceLocation: SourceLocation = #_sourceLocation) {
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: scratch.path(folder).path)) ?? []
        #expect(contents.isEmpty, "\(contents)", sourceLocation: sourceLocation)
    }

    /// One row is one class: refused as such, before the sizing that would give a last layer of one partition.
    @Test func oneRowIsRefusedBeforeAnythingIsWritten() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("one.csv", "f0,f1,label\n1.5,2.5,0\n")
        let result = try initProject(["p", "--data", "one.csv"], in: scratch)
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "error: one.csv: expected at least 2 classes to tell apart, but every label is 0 (1 row); a classifier needs"
                + " rows of each class\n"
        )
        expectNothingWritten("p", in: scratch)
        #expect(try initProject(["p"], in: scratch).status == 0, "a second init finds nothing in the way")
    }

    /// Two rows passed `init`, trained, then failed at the testbench with exit 1 and no file.
    @Test func twoRowsAreRefusedAtTheDataStep() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("two.csv", "f0,f1,label\n1.5,2.5,0\n3.5,4.5,1\n")
        let result = try initProject(["p", "--data", "two.csv"], in: scratch)
        #expect(result.status == 2)
        #expect(
            result.stderr.hasPrefix("error: two.csv: 2 rows are too few for the split: dataset.test_fraction = 0.2 holds out 0 to test on"),
            "\(result.stderr)")
        expectNothingWritten("p", in: scratch)

        // A build of the same data stops at the data step with the same rule, naming the file.
        try scratch.write("b/two.csv", "f0,f1,label\n1.5,2.5,0\n3.5,4.5,1\n")
        try scratch.write(
            "b/lutbuild.toml",
            """
            [project]
            name = "two"
            [dataset]
            train = "two.csv"
            label = "label"
            [model]
            fan_in = 2
            layers = [{ partitions = 4 }, { partitions = 2 }]
            [train]
            epochs = 1

            """)
        let build = try LutbuildBinary.run(["build", "--no-estimate"], in: scratch.path("b"))
        #expect(build.status == 2, "\(build.stderr)")
        #expect(build.stderr.contains("error: two.csv: 2 rows are too few for the split"), "\(build.stderr)")
        #expect(!scratch.exists("b/gen/rtl"))
    }

    @Test func oneClassIsRefusedBeforeAnythingIsWritten() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let rows = (0..<50).map { "\(Double($0) + 0.5),\(Double($0) * 2 + 0.25),7" }
        try scratch.write("same.csv", (["a,b,label"] + rows).joined(separator: "\n") + "\n")
        let result = try initProject(["p", "--data", "same.csv"], in: scratch)
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "error: same.csv: expected at least 2 classes to tell apart, but every label is 7 (50 rows); a classifier"
                + " needs rows of each class\n"
        )
        expectNothingWritten("p", in: scratch)
        // Nothing half-written: a second try with good data succeeds.
        try scratch.write("good.csv", InitFromDataTests.csv("a,b,label", InitFromDataTests.table(rows: 60, features: 2, classes: 2)))
        let again = try initProject(["p", "--data", "good.csv"], in: scratch)
        #expect(again.status == 0, "\(again.stderr)")
    }

    /// A 200-character folder name made a 204-character design name, which the project file refuses.
    @Test func aLongFolderNameGivesAValidProject() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("d.csv", InitFromDataTests.csv("a,b,label", InitFromDataTests.table(rows: 60, features: 2, classes: 2)))
        let folder = String(repeating: "long-name", count: 23)  // 207 characters
        let result = try initProject([folder, "--data", "d.csv"], in: scratch)
        #expect(result.status == 0, "\(result.stderr)")
        let toml = try scratch.read("\(folder)/lutbuild.toml")
        let name = toml.split(separator: "\n").first { $0.hasPrefix("name = ") }.map { String($0.dropFirst(8).prefix { $0 != "\"" }) } ?? ""
        #expect(name.count == 128 && name.hasPrefix("long_namelong_name") && name.hasSuffix("_lut"), "\(name)")
        let status = try LutbuildBinary.run(["status"], in: scratch.path(folder))
        #expect(status.status == 0, "\(status.stderr)")
    }

    /// Labels 0 and 900000000 made `init` allocate 4.3 GB and abort; `build` said exit 2. Both now say the same.
    @Test func aWildLabelIsRefusedByInitAndBuildAlike() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let text =
            "a,b,label\n" + (0..<40).map { "\(Double($0) + 0.5),1.25,\($0 == 39 ? 900_000_000 : $0 % 2)" }.joined(separator: "\n") + "\n"
        try scratch.write("wild.csv", text)
        let expected = "wild.csv:41: column 'label': expected a class label in 0…65535 (at most 65536 classes), found 900000000"
        let started = Date()
        let result = try initProject(["p", "--data", "wild.csv"], in: scratch)
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(result.status == 2)
        #expect(result.stderr == "error: \(expected)\n", "\(result.stderr)")
        expectNothingWritten("p", in: scratch)

        try scratch.write("b/wild.csv", text)
        try scratch.write(
            "b/lutbuild.toml",
            """
            [project]
            name = "wild"
            [dataset]
            train = "wild.csv"
            label = "label"
            [model]
            fan_in = 2
            layers = [{ partitions = 4 }, { partitions = 2 }]

            """)
        let build = try LutbuildBinary.run(["build", "--no-estimate"], in: scratch.path("b"))
        #expect(build.status == 2)
        #expect(build.stderr.contains("error: \(expected)"), "\(build.stderr)")
    }

    /// A failure while writing removes what was written: here `data` is a file, so copying into `data/` fails last.
    @Test func aFailedWriteLeavesNothingBehind() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("d.csv", InitFromDataTests.csv("a,b,label", InitFromDataTests.table(rows: 60, features: 2, classes: 2)))
        try scratch.write("p/data", "not a folder")
        let result = try initProject(["p", "--data", "d.csv", "--copy-data"], in: scratch)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: cannot write p/data/d.csv: "), "\(result.stderr)")
        #expect(result.stderr.hasSuffix("; nothing was written\n"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path("p").path) == ["data"])
    }

    /// Small data: 10 % validation would be a few dozen rows, and the first build warned that they are too few.
    @Test func smallDataKeepsTheLastEpochAndLargeDataSelectsOnValidation() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("small.csv", InitFromDataTests.csv("a,b,c,label", InitFromDataTests.table(rows: 178, features: 3, classes: 3)))
        let small = try initProject(["s", "--data", "small.csv"], in: scratch)
        #expect(small.status == 0, "\(small.stderr)")
        #expect(
            small.stdout.contains(
                "\n  too few rows to select an epoch on a validation split: all 142 non-test rows train, and the last epoch is kept\n"),
            "\(small.stdout)")
        let smallToml = try scratch.read("s/lutbuild.toml")
        #expect(smallToml.contains("\nvalidation_fraction = 0 "), "\(smallToml)")
        #expect(smallToml.contains("\nselection = \"last-epoch\" "), "\(smallToml)")
        try scratch.write("s/lutbuild.toml", InitFromDataTests.shrink(smallToml))
        let build = try LutbuildBinary.run(["build", "--no-estimate", "--no-verify"], in: scratch.path("s"))
        #expect(build.status == 0, "\(build.stderr)")
        #expect(!(build.stdout + build.stderr).contains("too few to select an epoch"), "\(build.stderr)")

        // 1,250 rows: 10 % of the 1,000 non-test rows is 100, enough to select on.
        try scratch.write("large.csv", InitFromDataTests.csv("a,b,c,label", InitFromDataTests.table(rows: 1250, features: 3, classes: 3)))
        let large = try initProject(["l", "--data", "large.csv"], in: scratch)
        #expect(large.status == 0, "\(large.stderr)")
        let largeToml = try scratch.read("l/lutbuild.toml")
        #expect(largeToml.contains("\nvalidation_fraction = 0.1 "), "\(largeToml)")
        #expect(largeToml.contains("\nselection = \"best-validation\" "), "\(largeToml)")
    }
}
