import Foundation
import Datasets
import HTTPCache
import Testing
@testable import ProjectFile

@Suite struct ConfigParsingTests {
    static let minimal = """
        [project]
        name = "demo"

        [dataset]
        train = "data/d.csv"

        [model]
        layers = [{ partitions = 8 }, { partitions = 3 }]
        """

    @Test func defaultsFillEverythingElse() throws {
        let config = try ProjectConfig.parse(text: Self.minimal, path: "lutbuild.toml")
        #expect(config.project == ProjectSection(name: "demo", top: "demo", vendor: "example.org", library: "lutbuild", version: "1.0"))
        #expect(config.dataset == DatasetSection(train: "data/d.csv"))
        #expect(config.model == ModelSection(layers: [LayerConfig(partitions: 8), LayerConfig(partitions: 3)]))
        #expect(config.train == TrainSection())
        #expect(config.rtl == RTLSection(registers: .everyLayer, argmax: true))
        #expect(config.hardware == HardwareSection(dontCare: .none, dontCareMinHits: 1, dontCareWiden: 0))
        #expect(config.fpga.part == "xcvu9p-flgb2104-2-i")
    }

    @Test func everyKeyIsRead() throws {
        let text = """
            [project]
            name = "jsc"
            top = "jsc_top"
            vendor = "acme.com"
            library = "nn"
            version = "2.1"
            description = "jets"

            [dataset]
            format = "npy"
            train = "x.npy"
            train_labels = "y.npy"
            test = "xt.npy"
            test_labels = "yt.npy"
            classes = 5
            validation_fraction = 0.25
            normalize = "none"
            seed = 9

            [model]
            seed = 3
            input_bits = 4
            bits = 3
            output_bits = 5
            fan_in = 3
            width = 8
            depth = 2
            skip = 1
            max_table_bits = 16
            min_input_activity = 0.25
            image_width = 8

            [[model.layers]]
            partitions = 32
            width = 32

            [[model.layers]]
            partitions = 5
            fan_in = 2
            bits = 4
            depth = 3
            skip = 0

            [train]
            epochs = 7
            batch = 256
            learning_rate = 0.01
            weight_decay = 1e-4
            restart_epochs = 50
            calibration_rows = 1000
            label_smoothing = 0.05
            selection = "last-epoch"

            [rtl]
            registers = 2
            argmax = false

            [hardware]
            dont_care = "unseen"
            dont_care_min_hits = 3
            dont_care_widen = 1

            [fpga]
            part = "xc7a35t"
            clock_mhz = 250.5
            families = ["artix7"]
            synthesis_strategy = "Flow_PerfOptimized_high"
            retiming = true

            [cache]
            remote = "http://cache.example.org:8080/lutbuild/"
            remote_timeout = 3
            mode = "read-only"
            tls_ca_file = "certs/team-ca.pem"
            tls_client_certificate = "certs/me.pem"
            tls_client_key = "certs/me.key"
            """
        let c = try ProjectConfig.parse(text: text, path: "p.toml")
        #expect(
            c.cache
                == CacheSection(
                    remote: "http://cache.example.org:8080/lutbuild/", remoteTimeout: 3, mode: .readOnly,
                    tlsCAFile: "certs/team-ca.pem", tlsClientCertificate: "certs/me.pem", tlsClientKey: "certs/me.key"))
        #expect(
            c.project == ProjectSection(name: "jsc", top: "jsc_top", vendor: "acme.com", library: "nn", version: "2.1", description: "jets")
        )
        #expect(
            c.dataset
                == DatasetSection(
                    format: .npy, train: "x.npy", trainLabels: "y.npy", test: "xt.npy", testLabels: "yt.npy", label: "label",
                    classes: 5, testFraction: 0.2, validationFraction: 0.25, normalize: .none, seed: 9))
        #expect(
            c.model
                == ModelSection(
                    seed: 3, inputBits: 4, bits: 3, outputBits: 5, fanIn: 3, width: 8, depth: 2, skip: 1, maxTableBits: 16,
                    minInputActivity: 0.25, imageWidth: 8,
                    layers: [LayerConfig(partitions: 32, width: 32), LayerConfig(partitions: 5, fanIn: 2, bits: 4, depth: 3, skip: 0)]))
        #expect(
            c.train
                == TrainSection(
                    epochs: 7, batch: 256, learningRate: 0.01, weightDecay: 1e-4, restartEpochs: 50, selection: .lastEpoch,
                    calibrationRows: 1000, labelSmoothing: 0.05))
        #expect(c.rtl == RTLSection(registers: .every(2), argmax: false))
        #expect(c.hardware == HardwareSection(dontCare: .unseen, dontCareMinHits: 3, dontCareWiden: 1))
        #expect(c.fpga.part == "xc7a35t" && c.fpga.clockMHz == 250.5 && c.fpga.families == ["artix7"])
        #expect(c.fpga.synthesis.strategy.rawValue == "Flow_PerfOptimized_high" && c.fpga.synthesis.retiming)

        let spec = c.networkSpec(inputFeatures: 16, classes: 5)
        #expect(spec.inputBits == 4 && spec.seed == 3 && spec.classes == 5)
        #expect(spec.layers[0] == .init(partitions: 32, fanIn: 3, outputBits: 3, shape: .init(width: 32, depth: 2, skip: 1)))
        #expect(spec.layers[1] == .init(partitions: 5, fanIn: 2, outputBits: 4, shape: .init(width: 8, depth: 3, skip: 0)))
    }

    /// `[sweep.slurm]` is read and checked (that it enters no configuration digest: `SweepSlurmDigestTests`).
    @Test func sweepSlurmIsReadAndKeptOutOfTheDigest() throws {
        let text =
            Self.minimal + """

                [sweep.slurm]
                partition = "short"
                account = "lab"
                time = "1:00:00"
                cpus_per_task = 8
                mem = "8G"
                extra_args = ["--qos=normal"]
                max_running = 3
                """
        let config = try ProjectConfig.parse(text: text, path: "p.toml")
        #expect(
            config.sweep.slurm
                == SlurmSettings(
                    partition: "short", account: "lab", time: "1:00:00", cpusPerTask: 8, mem: "8G",
                    extraArgs: ["--qos=normal"], maxRunning: 3))
        #expect(try ProjectConfig.parse(text: Self.minimal, path: "p.toml").sweep.slurm == SlurmSettings())
        // Not encoded: what hashes the config (steps, a sweep point's digest) never sees it.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(try encoder.encode(config) == encoder.encode(ProjectConfig.parse(text: Self.minimal, path: "p.toml")))
        do {
            _ = try ProjectConfig.parse(
                text: Self.minimal + "\n[sweep.slurm]\ncpus_per_task = 0\nextra_args = \"--qos=x\"\nqueue = 1\n", path: "p.toml")
            Issue.record("bad [sweep.slurm] values were accepted")
        } catch let error as ProjectError {
            let messages = error.diagnostics.map(\.description)
            #expect(messages.contains { $0.contains("sweep.slurm.cpus_per_task: expected an integer in 1…4096, found 0") }, "\(messages)")
            #expect(messages.contains { $0.contains("sweep.slurm.extra_args: expected an array of sbatch arguments") }, "\(messages)")
            #expect(messages.contains { $0.contains("sweep.slurm.queue: unknown key") }, "\(messages)")
        }
    }

    @Test func headerlessCSVWithLabelIndexAndOffset() throws {
        let text = Self.minimal.replacingOccurrences(
            of: "[model]", with: "header = false\nskip_lines = 1\nlabel = -1\nlabel_offset = 1\n[model]")
        let dataset = try ProjectConfig.parse(text: text, path: "p").dataset
        #expect(dataset.csvLayout == CSVLayout(label: .index(-1), header: false, skipLines: 1, labelOffset: 1))
    }

    @Test func lastLayerUsesOutputBitsUnlessOverridden() throws {
        let text = Self.minimal.replacingOccurrences(of: "[model]", with: "[model]\nbits = 3\noutput_bits = 4")
        let spec = try ProjectConfig.parse(text: text, path: "p").networkSpec(inputFeatures: 4, classes: 3)
        #expect(spec.layers.map(\.outputBits) == [3, 4])
    }
}
