import Datasets
import Packaging
import Synthesis

/// Everything `lutbuild.toml` says, with every default filled in.
///
/// Read it with `ProjectConfig.load(contentsOf:)`; the key-by-key reference
/// is docs/project-file.md. Codable so build steps can hash and store it.
public struct ProjectConfig: Sendable, Equatable, Hashable, Codable {
    public var project: ProjectSection
    public var dataset: DatasetSection
    public var model: ModelSection
    public var train: TrainSection
    public var rtl: RTLSection
    public var hardware: HardwareSection
    public var fpga: FPGASection
    public var cache: CacheSection
    /// How sweeps run elsewhere; not encoded, so neither a step nor a sweep
    /// point's configuration digest depends on where points are built.
    public var sweep = SweepSection()

    /// Every section but `sweep`.
    enum CodingKeys: String, CodingKey {
        case project, dataset, model, train, rtl, hardware, fpga, cache
    }

    public init(
        project: ProjectSection, dataset: DatasetSection, model: ModelSection = ModelSection(),
        train: TrainSection = TrainSection(), rtl: RTLSection = RTLSection(), hardware: HardwareSection = HardwareSection(),
        fpga: FPGASection = FPGASection(), cache: CacheSection = CacheSection(), sweep: SweepSection = SweepSection()
    ) {
        self.project = project
        self.dataset = dataset
        self.model = model
        self.train = train
        self.rtl = rtl
        self.hardware = hardware
        self.fpga = fpga
        self.cache = cache
        self.sweep = sweep
    }

    /// The file name `lutbuild` looks for in a project directory.
    public static let fileName = "lutbuild.toml"
}

/// `[project]`: names for the generated hardware and the IP-XACT VLNV.
public struct ProjectSection: Sendable, Equatable, Hashable, Codable {
    /// Project name; a Verilog identifier.
    public var name: String
    /// Top-level Verilog module name (default: `name`).
    public var top: String
    public var vendor: String
    public var library: String
    public var version: String
    public var description: String

    public init(
        name: String, top: String? = nil, vendor: String = "example.org", library: String = "lutbuild",
        version: String = "1.0", description: String = ""
    ) {
        self.name = name
        self.top = top ?? name
        self.vendor = vendor
        self.library = library
        self.version = version
        self.description = description
    }
}

/// How the dataset files are encoded.
public enum DatasetFormat: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// Comma-separated values with a label column (and usually a header row).
    case csv
    /// MNIST's IDX (raw or gzip): an images file and a labels file.
    case idx
    /// NumPy `.npy`: a features file and a labels file.
    case npy
}

/// How features are scaled before training.
public enum NormalizationKind: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// Zero mean and unit variance per feature, fitted on the training part.
    case standard
    /// Pixels ÷ 255, then mean 0.1307 and standard deviation 0.3081.
    case mnist
    /// Features as they are.
    case none
}

/// `[dataset]`: where the data lives and how it is split and scaled.
public struct DatasetSection: Sendable, Equatable, Hashable, Codable {
    public var format: DatasetFormat
    /// Training data (CSV file, IDX images, NPY features), relative to the project directory.
    public var train: String
    /// Labels for `train` (IDX and NPY only).
    public var trainLabels: String?
    /// Optional separate test data; without it `testFraction` of `train` is held out.
    public var test: String?
    public var testLabels: String?
    /// Label column of a CSV file: a header name, or a 0-based index (negative from the end).
    public var label: LabelColumn
    /// A CSV file's first (non-skipped) line names its columns.
    public var header: Bool
    /// Lines at the top of a CSV file that are neither header nor data.
    public var skipLines: Int
    /// Subtracted from every label, so that classes count from 0 (1 for labels 1…K).
    public var labelOffset: Int
    /// Number of classes; nil means the largest label + 1.
    public var classes: Int?
    /// A name per class, in label order (after the offset), for people: the
    /// report page labels the confusion matrix with them. Nil: class numbers.
    public var classNames: [String]?
    public var testFraction: Double
    /// Share of the training part held out for model selection.
    public var validationFraction: Double
    public var normalize: NormalizationKind
    /// Raw feature values are floored to multiples of this step before normalisation, and the
    /// input thresholds lie on its multiples (`ValueGrid`). Nil (and so absent from the key) unless set.
    public var valueStep: Double?
    /// Seeds the test and validation splits.
    public var seed: UInt64

    public init(
        format: DatasetFormat = .csv, train: String, trainLabels: String? = nil, test: String? = nil,
        testLabels: String? = nil, label: LabelColumn = .name("label"), header: Bool = true, skipLines: Int = 0,
        labelOffset: Int = 0, classes: Int? = nil, classNames: [String]? = nil, testFraction: Double = 0.2,
        validationFraction: Double = 0.1, normalize: NormalizationKind = .standard, valueStep: Double? = nil, seed: UInt64 = 1
    ) {
        self.format = format
        self.train = train
        self.trainLabels = trainLabels
        self.test = test
        self.testLabels = testLabels
        self.label = label
        self.header = header
        self.skipLines = skipLines
        self.labelOffset = labelOffset
        self.classes = classes
        self.classNames = classNames
        self.testFraction = testFraction
        self.validationFraction = validationFraction
        self.normalize = normalize
        self.valueStep = valueStep
        self.seed = seed
    }
}

extension DatasetSection {
    /// How the CSV loader reads `train` and `test`.
    public var csvLayout: CSVLayout {
        CSVLayout(label: label, header: header, skipLines: skipLines, labelOffset: labelOffset)
    }

    /// The grid raw values are floored to (`value_step`), if any.
    public var valueGrid: ValueGrid? { valueStep.map(ValueGrid.init(step:)) }

    /// The steps `value_step` may take (the project file's range).
    public static let valueSteps: ClosedRange<Double> = 1e-6...1e9
}

/// One entry of `model.layers`: a partition count and optional overrides of
/// the network-wide defaults in `[model]`.
public struct LayerConfig: Sendable, Equatable, Hashable, Codable {
    public var partitions: Int
    public var fanIn: Int?
    /// Output code width of this layer's partitions.
    public var bits: Int?
    public var width: Int?
    public var depth: Int?
    public var skip: Int?

    public init(partitions: Int, fanIn: Int? = nil, bits: Int? = nil, width: Int? = nil, depth: Int? = nil, skip: Int? = nil) {
        self.partitions = partitions
        self.fanIn = fanIn
        self.bits = bits
        self.width = width
        self.depth = depth
        self.skip = skip
    }
}

/// `[model]`: the network. Fan-in, bit widths and partition shape are
/// defaults that each layer may override.
public struct ModelSection: Sendable, Equatable, Hashable, Codable {
    public var seed: UInt64
    /// Code width of the network's input features.
    public var inputBits: Int
    /// Output code width of hidden layers.
    public var bits: Int
    /// Output code width of the last layer (default: `bits`).
    public var outputBits: Int
    public var fanIn: Int
    /// Hidden width N of each partition's sub-network.
    public var width: Int
    /// Linear layers L in each partition's sub-network.
    public var depth: Int
    /// A skip connection every S layers (0: none).
    public var skip: Int
    /// Ceiling on a partition's table address bits F·β_in.
    public var maxTableBits: Int
    /// Layer 0 connects only to features active in more than this share of training rows (see `InputActivity`).
    public var minInputActivity: Double
    /// Input features are pixels of images this wide: layer 0 reads patches (`Connectivity.patches`). Nil: random wiring.
    public var imageWidth: Int?
    public var layers: [LayerConfig]
    /// `imageChannels` as digests and step keys hold it: nil when 1, so projects without
    /// channels keep their keys.
    public private(set) var interleavedChannels: Int?

    /// Features per pixel of the images (`ImageGeometry`): 1 unless each pixel has channels.
    public var imageChannels: Int {
        get { interleavedChannels ?? 1 }
        set { interleavedChannels = newValue == 1 ? nil : newValue }
    }
    /// Stored only when above 1, so projects without the additive head keep their digests.
    private var groupedPartitionsPerClass: Int?
    /// Stored only when true, so projects without the wiring search keep their digests.
    private var searchedWiring: Bool?

    /// Layer 0's wiring is searched by a training run that moves its inputs (`WiringSearch`),
    /// before training proper; needs `imageWidth`.
    public var searchesWiring: Bool {
        get { searchedWiring ?? false }
        set { searchedWiring = newValue ? true : nil }
    }

    /// k: last-layer partitions summed into each class's score (`ClassScores`); 1 is the plain argmax.
    public var partitionsPerClass: Int {
        get { groupedPartitionsPerClass ?? 1 }
        set { groupedPartitionsPerClass = newValue == 1 ? nil : newValue }
    }

    private var halfWeightTieBreakers: Int?

    /// t: of each class's k partitions, the last t weigh half in its score (`ClassScores`); 0: none.
    public var tieBreakers: Int {
        get { halfWeightTieBreakers ?? 0 }
        set { halfWeightTieBreakers = newValue == 0 ? nil : newValue }
    }

    private enum CodingKeys: String, CodingKey {
        case seed, inputBits, bits, outputBits, fanIn, width, depth, skip, maxTableBits, minInputActivity, imageWidth, layers
        case groupedPartitionsPerClass = "partitionsPerClass"
        case searchedWiring = "searchWiring"
        case halfWeightTieBreakers = "tieBreakers"
        case interleavedChannels = "imageChannels"
    }

    public init(
        seed: UInt64 = 1, inputBits: Int = 2, bits: Int = 2, outputBits: Int? = nil, fanIn: Int = 6,
        width: Int = 16, depth: Int = 4, skip: Int = 2, maxTableBits: Int = 20, minInputActivity: Double = 0,
        imageWidth: Int? = nil, layers: [LayerConfig] = [], partitionsPerClass: Int = 1
    ) {
        self.seed = seed
        self.inputBits = inputBits
        self.bits = bits
        self.outputBits = outputBits ?? bits
        self.fanIn = fanIn
        self.width = width
        self.depth = depth
        self.skip = skip
        self.maxTableBits = maxTableBits
        self.minInputActivity = minInputActivity
        self.imageWidth = imageWidth
        self.layers = layers
        self.partitionsPerClass = partitionsPerClass
    }
}

/// Which checkpoint training reports.
public enum ModelSelection: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// The epoch with the best validation accuracy.
    case bestValidation = "best-validation"
    /// The last epoch.
    case lastEpoch = "last-epoch"

    /// Below this many validation rows, picking the best epoch is mostly luck
    /// (accuracy moves in steps of over 1 %): builds warn, and `init` picks the last epoch.
    public static let minimumValidationRows = 100
}

/// `[train]`: optimiser settings (AdamW, cosine annealing with warm restarts).
public struct TrainSection: Sendable, Equatable, Hashable, Codable {
    public var epochs: Int
    public var batch: Int
    public var learningRate: Double
    public var weightDecay: Double
    /// Epochs between warm restarts of the learning-rate schedule.
    public var restartEpochs: Int
    public var selection: ModelSelection
    /// Training rows over which batch-norm statistics are recomputed before each validation (0: off).
    public var calibrationRows: Int
    /// Label smoothing ε of the cross-entropy target.
    public var labelSmoothing: Double
    /// Largest random shift of training images, in pixels; nil (and so absent from the train step's key) unless set.
    public var augmentShift: Int?
    /// Stored only when true (absent from the train step's key otherwise), so projects without
    /// it, or with it false, keep their keys.
    private var centreInputs: Bool?
    /// Centre the input front end at the start (`TrainingConfig.centresInputs`).
    public var centresInputs: Bool {
        get { centreInputs ?? false }
        set { centreInputs = newValue ? true : nil }
    }
    /// Stored only when above 0 (absent from the keys otherwise), so projects without it keep their keys.
    private var distillationWeight: Double?
    /// Weight α of a float teacher's soft targets in the loss (`TrainingConfig.distillation`; 0: off).
    public var distillation: Double {
        get { distillationWeight ?? 0 }
        set { distillationWeight = newValue > 0 ? newValue : nil }
    }
    /// Whether training learns from a teacher, which the build then trains first (`TeacherRecipe`).
    public var distills: Bool { distillation > 0 }

    public init(
        epochs: Int = 60, batch: Int = 128, learningRate: Double = 3e-3, weightDecay: Double = 0,
        restartEpochs: Int = 100, selection: ModelSelection = .bestValidation, calibrationRows: Int = 8192,
        labelSmoothing: Double = 0, augmentShift: Int? = nil, centresInputs: Bool = false, distillation: Double = 0
    ) {
        self.epochs = epochs
        self.batch = batch
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.restartEpochs = restartEpochs
        self.selection = selection
        self.calibrationRows = calibrationRows
        self.labelSmoothing = labelSmoothing
        self.augmentShift = augmentShift
        self.centresInputs = centresInputs
        self.distillation = distillation
    }
}

/// Where pipeline registers go in the generated RTL.
public enum RegisterPlacement: Sendable, Equatable, Hashable, Codable {
    /// A register stage on every layer's input (latency = layers).
    case everyLayer
    /// Purely combinational.
    case none
    /// A register stage every `n` layers.
    case every(Int)
}

/// How each partition's table is written in Verilog.
public enum TableLogic: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// The LUT netlist lutbuild mapped (exact LUT counts; docs/hardware.md).
    case mapped
    /// A case-statement ROM that synthesis maps itself.
    case caseROM = "case-rom"
}

/// The top module's ports (docs/hardware.md, "Ports of the top module").
public enum StreamInterface: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// `in_valid`/`in_data`, `out_valid`/`out_data`/`out_class`, no ready.
    case raw
    /// An AXI4-Stream slave and master with backpressure.
    case axis
}

/// `[rtl]`: shape of the generated Verilog.
public struct RTLSection: Sendable, Equatable, Hashable, Codable {
    public var registers: RegisterPlacement
    /// Add an `out_class` port with the index of the largest output.
    public var argmax: Bool
    public var tables: TableLogic
    /// With mapped tables: plain Verilog LUTs or Xilinx UNISIM cells.
    public var primitives: LUTPrimitives
    public var interface: StreamInterface
    /// With `interface = "axis"`: width of `tuser` (0: no `tuser` ports).
    public var tuserBits: Int
    /// The input port takes raw feature values and compares them with the thresholds in hardware.
    public var inputEncoder: Bool
    /// With `inputEncoder`: `"auto"` (from the training data's range) or a format such as `"u8.0"`.
    public var inputFormat: String

    /// `inputFormat`'s value that fits the format to the data.
    public static let automaticInputFormat = "auto"

    public init(
        registers: RegisterPlacement = .everyLayer, argmax: Bool = true, tables: TableLogic = .mapped,
        primitives: LUTPrimitives = .portable, interface: StreamInterface = .raw, tuserBits: Int = 0,
        inputEncoder: Bool = false, inputFormat: String = RTLSection.automaticInputFormat
    ) {
        self.registers = registers
        self.argmax = argmax
        self.tables = tables
        self.primitives = primitives
        self.interface = interface
        self.tuserBits = tuserBits
        self.inputEncoder = inputEncoder
        self.inputFormat = inputFormat
    }
}

/// Which table entries the logic mapper may fill as it likes.
public enum DontCareMode: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// None: every table is mapped exactly.
    case none
    /// Entries the training data never reaches (fewer than `dontCareMinHits` rows), see docs/hardware.md.
    case unseen
}

/// `[hardware]`: how truth tables become logic.
public struct HardwareSection: Sendable, Equatable, Hashable, Codable {
    /// Opt-in don't-cares: fewer LUTs for some accuracy, always measured.
    public var dontCare: DontCareMode
    /// With `unseen`: training rows that must reach an address for it to be cared for.
    public var dontCareMinHits: Int
    /// With `unseen`: also care for addresses within this many code steps of a reached one, on one input.
    public var dontCareWiden: Int

    /// How hard ABC works on each table (`fast`, `standard`, `thorough`).
    public var mapperEffort: MapperSettings.Effort

    public init(
        dontCare: DontCareMode = .none, dontCareMinHits: Int = 1, dontCareWiden: Int = 0,
        mapperEffort: MapperSettings.Effort = .standard
    ) {
        self.dontCare = dontCare
        self.dontCareMinHits = dontCareMinHits
        self.dontCareWiden = dontCareWiden
        self.mapperEffort = mapperEffort
    }
}

/// `[fpga]`: the Vivado target.
public struct FPGASection: Sendable, Equatable, Hashable, Codable {
    public var part: String
    public var clockMHz: Double
    /// IP-XACT supported families.
    public var families: [String]
    /// `synthesis_strategy` and `retiming`: how Vivado synthesises the design.
    public var synthesis: SynthesisSettings

    /// Packaging's default, so the IP, the docs and the parser agree.
    public static let defaultFamilies = IPCoreDescription.defaultFamilies

    public init(
        part: String = IPCoreDescription.defaultPart, clockMHz: Double = 500,
        families: [String] = FPGASection.defaultFamilies, synthesis: SynthesisSettings = SynthesisSettings()
    ) {
        self.part = part
        self.clockMHz = clockMHz
        self.families = families
        self.synthesis = synthesis
    }
}
