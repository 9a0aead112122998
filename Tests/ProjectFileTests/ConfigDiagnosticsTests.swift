import Foundation
import Testing
@testable import ProjectFile

/// Each bad project file maps to its exact messages (file:line: key: message).
@Suite struct ConfigDiagnosticsTests {
    static let base = """
        [project]
        name = "demo"

        [dataset]
        train = "data/d.csv"

        [model]
        fan_in = 4
        layers = [{ partitions = 8 }, { partitions = 3 }]

        [train]
        epochs = 5
        """

    static func messages(_ text: String) -> [String] {
        do {
            _ = try ProjectConfig.parse(text: text, path: "lutbuild.toml")
            return []
        } catch let error as ProjectError {
            return error.diagnostics.map(\.description)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    static func edit(_ old: String, _ new: String) -> String {
        precondition(base.contains(old))
        return base.replacingOccurrences(of: old, with: new)
    }

    static let familyList = FPGASection.defaultFamilies.joined(separator: ", ")

    static let cases: [(String, [String])] = [
        (
            edit("train = \"data/d.csv\"", "train = \"data/d.csv\"\ntest_fraction = 0"),
            ["lutbuild.toml:6: dataset.test_fraction: expected a fraction above 0 when no dataset.test file is given, found 0"]
        ),
        (
            edit("epochs = 5", "epochs = 5\n\n[fpga]\nsynthesis_strategy = \"Flow_PerfOptimised_high\""),
            [
                "lutbuild.toml:15: fpga.synthesis_strategy: expected one of \"default\", \"Flow_PerfOptimized_high\", found"
                    + " \"Flow_PerfOptimised_high\"; did you mean \"Flow_PerfOptimized_high\"?"
            ]
        ),
        (
            edit("fan_in = 4", "fanin = 4"),
            [
                "lutbuild.toml:8: model.fanin: unknown key; did you mean 'fan_in'? (expected one of: seed, input_bits, bits,"
                    + " output_bits, fan_in, width, depth, skip, max_table_bits, min_input_activity, image_width, image_channels, search_wiring, partitions_per_class, tie_breakers, layers)"
            ]
        ),
        (
            edit("[train]", "[trian]"),
            [
                "lutbuild.toml:11: trian: unknown section; did you mean 'train'? (expected one of: project, dataset, model,"
                    + " train, rtl, hardware, fpga, cache, sweep)"
            ]
        ),
        (
            edit("epochs = 5", "epochs = 5\n\n[cache]\nremote = \"cache.example.org:8080\""),
            ["lutbuild.toml:15: cache.remote: expected a URL such as http://cache.example.org:8080/lutbuild/"]
        ),
        (
            edit("epochs = 5", "epochs = 5\n\n[cache]\nremote = \"http://ci:s3cret@cache.example.org/\""),
            [
                "lutbuild.toml:15: cache.remote: credentials do not belong in the project file, which is committed; put them in"
                    + " ~/.netrc or LUTBUILD_REMOTE_CACHE_HEADER"
            ]
        ),
        (
            edit("epochs = 5", "epochs = 5\n\n[cache]\nremote_timeout = 0"),
            ["lutbuild.toml:15: cache.remote_timeout: expected an integer in 1…3600, found 0"]
        ),
        (
            edit("epochs = 5", "epochs = 5\n\n[cache]\nmode = \"readonly\""),
            ["lutbuild.toml:15: cache.mode: expected \"read-only\" or \"read-write\", found \"readonly\""]
        ),
        (
            edit("epochs = 5", "epochs = 5\n\n[cache]\ntls_client_certificate = \"me.pem\""),
            [
                "lutbuild.toml:15: cache.tls_client_certificate: a client certificate needs its key: expected both"
                    + " tls_client_certificate and tls_client_key, or neither"
            ]
        ),
        (
            edit("epochs = 5", "epochs = \"5\""),
            ["lutbuild.toml:12: train.epochs: expected an integer in 1…1000000, found a string"]
        ),
        (
            edit("fan_in = 4", "fan_in = 4\nbits = 17"),
            ["lutbuild.toml:9: model.bits: expected an integer in 1…16, found 17"]
        ),
        (
            edit("fan_in = 4", "fan_in = 4\ninput_bits = 0"),
            ["lutbuild.toml:9: model.input_bits: expected an integer in 1…16, found 0"]
        ),
        (
            edit("{ partitions = 3 }", "{ partitions = 3, fan_in = 9 }"),
            ["lutbuild.toml:9: model.layers[1].fan_in: fan-in 9 is larger than the previous layer's 8 partitions; expected at most 8"]
        ),
        (
            edit("{ partitions = 3 }", "{ partitions = 3, bits = 0 }"),
            ["lutbuild.toml:9: model.layers[1].bits: expected an integer in 1…16, found 0"]
        ),
        (
            edit(
                "layers = [{ partitions = 8 }, { partitions = 3 }]",
                "bits = 3\nlayers = [{ partitions = 8 },\n  { partitions = 8, fan_in = 8 },\n  { partitions = 3 }]"),
            [
                "lutbuild.toml:11: model.layers[1]: a partition reads 8 inputs × 3 bits = 24 table address bits, above"
                    + " max_table_bits = 20; its truth table would need 2^24 entries = 32 MiB; lower fan_in or bits, or raise"
                    + " model.max_table_bits"
            ]
        ),
        (
            edit("{ partitions = 8 }", "{ partition = 8 }"),
            [
                "lutbuild.toml:9: model.layers[0].partition: unknown key; did you mean 'partitions'? (expected one of:"
                    + " partitions, fan_in, bits, width, depth, skip)",
                "lutbuild.toml:9: model.layers[0].partitions: missing; expected the number of partitions in this layer",
            ]
        ),
        (
            edit("layers = [{ partitions = 8 }, { partitions = 3 }]", "layers = 3"),
            [
                "lutbuild.toml:9: model.layers: expected an array of tables such as [{ partitions = 32 }, { partitions = 10 }],"
                    + " found an integer"
            ]
        ),
        (
            edit("layers = [{ partitions = 8 }, { partitions = 3 }]", "layers = []"),
            ["lutbuild.toml:9: model.layers: expected at least one layer, e.g. layers = [{ partitions = 10 }]"]
        ),
        (
            edit("[dataset]", "[dataset]\nformat = \"cvs\""),
            ["lutbuild.toml:5: dataset.format: expected one of \"csv\", \"idx\", \"npy\", found \"cvs\"; did you mean \"csv\"?"]
        ),
        (
            edit("[dataset]", "[dataset]\nformat = \"idx\""),
            [
                "lutbuild.toml:4: dataset.train_labels: missing; format \"idx\" keeps labels in a separate file: expected the"
                    + " labels file of dataset.train"
            ]
        ),
        (
            edit("fan_in = 4", "fan_in = 4\nmin_input_activity = 1.25"),
            ["lutbuild.toml:9: model.min_input_activity: expected a number in [0, 1), found 1.25"]
        ),
        (
            edit("fan_in = 4", "fan_in = 4\nimage_channels = 3"),
            [
                "lutbuild.toml:9: model.image_channels: places features on the pixels of images, so it needs model.image_width"
                    + " (the images' width in pixels)"
            ]
        ),
        (
            edit("fan_in = 4", "fan_in = 4\nimage_width = 0"),
            ["lutbuild.toml:9: model.image_width: expected an integer in 1…65536, found 0"]
        ),
        (
            edit("epochs = 5", "epochs = 5\nlabel_smoothing = 1.5\ncalibration_rows = -1"),
            [
                "lutbuild.toml:13: train.label_smoothing: expected a number in [0, 1), found 1.5",
                "lutbuild.toml:14: train.calibration_rows: expected an integer in 0…100000000, found -1",
            ]
        ),
        (
            edit("epochs = 5", "epochs = 5\naugment_shift = 17"),
            ["lutbuild.toml:13: train.augment_shift: expected an integer in 0…16, found 17"]
        ),
        (
            edit("epochs = 5", "epochs = 5\ndistillation = 1"),
            ["lutbuild.toml:13: train.distillation: expected a number in [0, 1), found 1"]
        ),
        (
            edit("fan_in = 4", "fan_in = 4\nimage_width = 2").replacingOccurrences(
                of: "epochs = 5", with: "epochs = 5\naugment_shift = 1\ndistillation = 0.5"),
            [
                "lutbuild.toml:15: train.distillation: learns the teacher's targets of the unshifted images, so it cannot be"
                    + " combined with augment_shift"
            ]
        ),
        (
            edit("epochs = 5", "epochs = 5\naugment_shift = 1"),
            ["lutbuild.toml:13: train.augment_shift: shifts training images, so it needs model.image_width (the images' width in pixels)"]
        ),
        (
            edit("fan_in = 4", "fan_in = 4\nsearch_wiring = true"),
            [
                "lutbuild.toml:9: model.search_wiring: moves inputs within windows of the image, so it needs model.image_width"
                    + " (the images' width in pixels)"
            ]
        ),
        (
            edit("[dataset]", "[dataset]\ntest_fraction = 1.5"),
            ["lutbuild.toml:5: dataset.test_fraction: expected a number in [0, 1), found 1.5"]
        ),
        (
            edit("[dataset]", "[dataset]\nvalue_step = 0"),
            ["lutbuild.toml:5: dataset.value_step: expected a number in [1e-06, 1000000000], found 0"]
        ),
        (
            edit("name = \"demo\"", "name = \"3demo\""),
            [
                "lutbuild.toml:2: project.name: expected a Verilog identifier (a letter or '_', then letters, digits or '_'; not"
                    + " a reserved word), found \"3demo\""
            ]
        ),
        // Reserved words of Verilog-2005 and SystemVerilog, as packaging and the RTL reject them.
        (
            edit("name = \"demo\"", "name = \"logic\""),
            [
                "lutbuild.toml:2: project.name: expected a Verilog identifier (a letter or '_', then letters, digits or '_'; not"
                    + " a reserved word), found \"logic\""
            ]
        ),
        (
            edit("name = \"demo\"", "name = \"demo\"\ntop = \"wait\""),
            [
                "lutbuild.toml:3: project.top: expected a Verilog identifier (a letter or '_', then letters, digits or '_'; not"
                    + " a reserved word), found \"wait\""
            ]
        ),
        (
            edit("name = \"demo\"", "name = \"lutbuild_tb\""),
            ["lutbuild.toml:2: project.name: \"lutbuild_tb\" is the name of lutbuild's testbench module; choose another name"]
        ),
        (
            edit("name = \"demo\"", "name = \"\(String(repeating: "a", count: 300))\""),
            ["lutbuild.toml:2: project.name: 300 characters; expected at most 128 (generated file names append to it)"]
        ),
        (
            edit("name = \"demo\"", "name = \"demo\"\nvendor = \"example org\"\nversion = \"v1\""),
            [
                "lutbuild.toml:3: project.vendor: expected a name starting with a letter, then letters, digits, '_', '.' or '-'"
                    + " (e.g. example.org), found \"example org\"",
                "lutbuild.toml:4: project.version: expected a dotted version such as 1.0, found \"v1\"",
            ]
        ),
        (
            edit("epochs = 5", "epochs = 5\n[fpga]\npart = \"XCVU9P\"\nfamilies = [\"virtex uplus\"]"),
            [
                "lutbuild.toml:14: fpga.part: expected a Xilinx part name in lower case such as xcvu9p-flgb2104-2-i, found \"XCVU9P\"",
                "lutbuild.toml:15: fpga.families: expected device families such as \"virtexuplus\" (letters and digits), found"
                    + " \"virtex uplus\"",
            ]
        ),
        // Families are checked against the one list, and must include the part's own family.
        (
            edit("epochs = 5", "epochs = 5\n[fpga]\nfamilies = [\"virtexplus\", \"kintexuplus\"]"),
            [
                "lutbuild.toml:14: fpga.families: \"virtexplus\" is not a device family Vivado knows; did you mean"
                    + " \"virtexuplus\"? (expected one of: \(familyList))",
                "lutbuild.toml:14: fpga.families: the list leaves out the family of part xcvu9p-flgb2104-2-i: expected it to"
                    + " include one of virtexuplus, virtexuplusHBM, virtexuplus58g",
            ]
        ),
        (
            edit("epochs = 5", "epochs = 5\n[fpga]\npart = \"xc7a35tcsg324-1\"\nfamilies = [\"kintex7\"]"),
            [
                "lutbuild.toml:15: fpga.families: the list leaves out the family of part xc7a35tcsg324-1: expected it to include"
                    + " one of artix7, artix7l"
            ]
        ),
        (edit("epochs = 5", "epochs = 5\n[fpga]\npart = \"xq7z020-cl400-1i\"\nfamilies = [\"qzynq\"]"), []),
        // Class names, for the report page: distinct, one line each.
        (
            edit("[dataset]", "[dataset]\nclass_names = [\"a\", \"a\"]"),
            ["lutbuild.toml:5: dataset.class_names: a name appears more than once; expected one distinct name per class"]
        ),
        (
            edit("[dataset]", "[dataset]\nclass_names = \"a, b\""),
            ["lutbuild.toml:5: dataset.class_names: expected a non-empty array of names in label order, e.g. [\"benign\", \"malignant\"]"]
        ),
        // The trainer's own limits: what passes here trains.
        (
            edit("fan_in = 4", "fan_in = 4\nwidth = 65536\ndepth = 1024\nmax_table_bits = 30"),
            [
                "lutbuild.toml:9: model.width: expected an integer in 1…4096, found 65536",
                "lutbuild.toml:10: model.depth: expected an integer in 0…64, found 1024",
                "lutbuild.toml:11: model.max_table_bits: expected an integer in 1…24, found 30",
            ]
        ),
        // Tie-breakers are some of a class's k partitions, and not all of them.
        (
            edit("fan_in = 4", "fan_in = 4\ntie_breakers = 1"),
            ["lutbuild.toml:9: model.tie_breakers: needs `partitions_per_class` of 2 or more, got 1 with one partition per class"]
        ),
        (
            edit("{ partitions = 3 }", "{ partitions = 6 }").replacingOccurrences(
                of: "fan_in = 4", with: "fan_in = 4\npartitions_per_class = 2\ntie_breakers = 2"),
            ["lutbuild.toml:10: model.tie_breakers: must be less than `partitions_per_class` (2), got 2"]
        ),
        // Learned tables (depth 0) read 1-bit codes.
        (
            edit("fan_in = 4", "fan_in = 4\ndepth = 0"),
            [
                "lutbuild.toml:9: model.depth: 0 (a learned table) needs 1-bit inputs, but layer 0 reads 2-bit codes;"
                    + " expected `input_bits = 1`, or a depth of 1 or more"
            ]
        ),
        (edit("fan_in = 4", "fan_in = 4\ndepth = 0\ninput_bits = 1\nbits = 1\nwidth = 3000\nskip = 7"), []),
        (
            edit("{ partitions = 3 }", "{ partitions = 1 }"),
            ["lutbuild.toml:9: model.layers[1].partitions: must be at least 2 (one per class), got 1"]
        ),
        // With k partitions per class the last layer is a multiple of k (the classes come with the data).
        (
            edit("fan_in = 4", "fan_in = 4\npartitions_per_class = 2"),
            [
                "lutbuild.toml:10: model.layers[1].partitions: the last layer needs 2 partitions per class"
                    + " (model.partitions_per_class = 2): expected a multiple of 2, found 3"
            ]
        ),
        (
            edit("fan_in = 4", "fan_in = 4\npartitions_per_class = 3"),
            [
                "lutbuild.toml:10: model.layers[1].partitions: must be at least 6 (3 per class, 2 classes), got 3"
            ]
        ),
        (
            edit("fan_in = 4", "fan_in = 4\npartitions_per_class = 4097"),
            ["lutbuild.toml:9: model.partitions_per_class: expected an integer in 1…4096, found 4097"]
        ),
        (
            edit("name = \"demo\"", ""),
            ["lutbuild.toml:1: project.name: missing; expected the project's name, e.g. name = \"my_design\""]
        ),
        (
            edit("[train]", "[rtl]\nregisters = \"always\"\n[train]"),
            [
                "lutbuild.toml:12: rtl.registers: expected \"every-layer\", \"none\" or a number of layers per register stage (≥"
                    + " 1), found \"always\""
            ]
        ),
        (
            edit("fan_in = 4", "fan_in = 4\ndepth = 2\nskip = 3"),
            ["lutbuild.toml:10: model.skip: skip 3 is larger than depth 2; expected 0…2"]
        ),
        (
            edit("epochs = 5", "epochs = 5\nlearning_rate = \"fast\"\nbatch = 0"),
            [
                "lutbuild.toml:13: train.learning_rate: expected a number in [1e-12, 10], found a string",
                "lutbuild.toml:14: train.batch: expected an integer in 2…100000000, found 0",
            ]
        ),
        (
            edit("{ partitions = 3 }", "{ partitions = 9223372036854775807 }"),
            ["lutbuild.toml:9: model.layers[1].partitions: expected an integer in 1…1000000, found 9223372036854775807"]
        ),
        (
            edit("[train]", "[hardware]\ndont_care = \"unsen\"\ndont_care_min_hits = 0\ndont_care_widen = -1\ndontcare = 1\n[train]"),
            [
                "lutbuild.toml:12: hardware.dont_care: expected one of \"none\", \"unseen\", found \"unsen\"; did you mean \"unseen\"?",
                "lutbuild.toml:13: hardware.dont_care_min_hits: expected an integer in 1…1000000000, found 0",
                "lutbuild.toml:14: hardware.dont_care_widen: expected an integer in 0…65535, found -1",
                "lutbuild.toml:15: hardware.dontcare: unknown key; did you mean 'dont_care'? (expected one of: dont_care,"
                    + " dont_care_min_hits, dont_care_widen, mapper_effort)",
            ]
        ),
        (
            edit("[train]", "[hardware]\ndont_care = true\n[train]"),
            ["lutbuild.toml:12: hardware.dont_care: expected a string, found a bool"]
        ),
        (
            edit("train = \"data/d.csv\"", "train = \"data/d.csv\"\nheader = false\nlabel = \"y\""),
            [
                "lutbuild.toml:7: dataset.label: with header = false the columns have no names: expected the label column's"
                    + " 0-based index, e.g. label = -1 for the last column, found \"y\""
            ]
        ),
        (
            edit("train = \"data/d.csv\"", "train = \"data/d.csv\"\nlabel = true\nskip_lines = -1"),
            [
                "lutbuild.toml:6: dataset.label: expected a column name such as \"class\" or a 0-based column index such as -1"
                    + " (the last column), found a bool",
                "lutbuild.toml:7: dataset.skip_lines: expected an integer in 0…1000000, found -1",
            ]
        ),
        (
            edit("[train]", "[rtl]\ninterface = \"axi\"\ntuser_bits = 65\ninput_format = \"u20.0\"\n[train]"),
            [
                "lutbuild.toml:12: rtl.interface: expected one of \"raw\", \"axis\", found \"axi\"; did you mean \"axis\"?",
                "lutbuild.toml:13: rtl.tuser_bits: expected an integer in 0…64, found 65",
                "lutbuild.toml:14: rtl.input_format: expected \"auto\" or a fixed-point format such as \"u8.0\" (unsigned, 8"
                    + " integer bits) or \"s4.12\" (signed, 4 integer bits including the sign, 12 fraction bits), at most 16"
                    + " bits, found \"u20.0\"",
            ]
        ),
        (
            "[project\nname = 1",
            ["lutbuild.toml:1: TOML syntax error: Error while parsing table header: expected ']', saw '\\n'"]
        ),
    ]

    @Test(arguments: cases)
    func badFileGivesExactMessages(text: String, expected: [String]) {
        #expect(Self.messages(text) == expected)
    }

    @Test func baseIsValid() {
        #expect(Self.messages(Self.base) == [])
    }

    @Test func arrayOfTablesLinesAreFound() {
        let text = Self.edit(
            "layers = [{ partitions = 8 }, { partitions = 3 }]",
            "[[model.layers]]\npartitions = 8\n\n[[model.layers]]\npartitions = 3\nfan_in = 9"
        )
        .replacingOccurrences(of: "[train]\nepochs = 5", with: "")
        #expect(
            Self.messages(text) == [
                "lutbuild.toml:14: model.layers[1].fan_in: fan-in 9 is larger than the previous layer's 8 partitions; expected at most 8"
            ])
    }
}
