import Diagnostics

/// The setting a `SpecError` is about, as the method names it. The project
/// file maps each to its own key and line (`ProjectConfigRules.path(of:in:)`),
/// so no TOML spelling lives here.
public enum SpecField: Equatable, Sendable, CustomStringConvertible {
    public enum LayerField: String, Equatable, Sendable {
        case partitions, fanIn = "fan-in", bits, width, depth, skip
    }

    case inputBits
    /// A layer's setting, or the layer as a whole (nil).
    case layer(Int, LayerField?)
    case minInputActivity, imageWidth, imageChannels, partitionsPerClass, tieBreakers
    case epochs, batch, learningRate, weightDecay, restartEpochs, labelSmoothing, augmentShift, calibrationRows, validationFraction
    case distillation

    /// For messages outside the project file (`layer 1's width`, `the learning rate`).
    public var description: String {
        switch self {
        case .inputBits: "the input bits"
        case .layer(let layer, nil): "layer \(layer)"
        case .layer(let layer, let field?): "layer \(layer)'s \(field.rawValue)"
        case .minInputActivity: "the minimum input activity"
        case .imageWidth: "the image width"
        case .imageChannels: "the image channels"
        case .partitionsPerClass: "the partitions per class"
        case .tieBreakers: "the tie-breakers per class"
        case .epochs: "the epochs"
        case .batch: "the batch size"
        case .learningRate: "the learning rate"
        case .weightDecay: "the weight decay"
        case .restartEpochs: "the restart period"
        case .labelSmoothing: "the label smoothing"
        case .augmentShift: "the augmentation shift"
        case .calibrationRows: "the calibration rows"
        case .validationFraction: "the validation fraction"
        case .distillation: "the distillation weight"
        }
    }
}

/// A specification the method cannot realise, named by the setting at fault.
public struct SpecError: Error, CustomStringConvertible, Equatable {
    public var description: String
    /// The setting at fault, when it is one setting; the project-file checks map it to a key and line.
    public var field: SpecField?
    /// What is wrong with the setting `field` names (the description without it).
    public var problem: String

    public init(_ description: String) {
        self.description = description
        problem = description
    }

    public init(_ field: SpecField, _ problem: String) {
        self.field = field
        self.problem = problem
        description = "\(field) \(problem)"
    }
}

extension NetworkSpec {
    /// Largest table address width accepted (2^24 entries per partition).
    public static let maxTableAddressBits = 24
    /// Code widths (input, hidden and output bits).
    public static let codeBits = 1...16
    /// Hidden width N of a partition's sub-network (beyond it, training is impractical).
    public static let widths = 1...4096
    /// Linear layers L of a partition's sub-network; 0: the partition is a learned table.
    public static let depths = 0...64
    /// Partitions k each class owns in the additive output head (`ClassScores`).
    public static let partitionsPerClassRange = 1...4096
    /// Tie-breakers t per class (`ClassScores`); below k as well.
    public static let tieBreakersRange = 0...4095

    /// Checks every constraint training and tabulation rely on.
    public func validate() throws {
        guard inputFeatures >= 1 else { throw SpecError("model: input features must be at least 1, got \(inputFeatures)") }
        guard Self.codeBits.contains(inputBits) else {
            throw SpecError(.inputBits, "must be in \(Self.codeBits), got \(inputBits)")
        }
        guard classes >= 2 else {
            throw SpecError(
                .layer(max(layers.count - 1, 0), .partitions),
                partitionsPerClass == 1
                    ? "must be at least 2 (one per class), got \(classes)"
                    : "must be at least \(2 * partitionsPerClass) (\(partitionsPerClass) per class, 2 classes), got"
                        + " \(classes * partitionsPerClass)")
        }
        guard let last = layers.last else { throw SpecError("model: layers must not be empty") }
        guard Self.partitionsPerClassRange.contains(partitionsPerClass) else {
            throw SpecError(.partitionsPerClass, "must be in \(Self.partitionsPerClassRange), got \(partitionsPerClass)")
        }
        guard tieBreakers == 0 || (1..<partitionsPerClass).contains(tieBreakers) else {
            throw SpecError(
                .tieBreakers,
                partitionsPerClass == 1
                    ? "needs `partitions_per_class` of 2 or more, got \(tieBreakers) with one partition per class"
                    : "must be less than `partitions_per_class` (\(partitionsPerClass)), got \(tieBreakers)")
        }
        guard last.partitions == classes * partitionsPerClass else {
            let expected =
                partitionsPerClass == 1
                ? "one per class (\(classes))"
                : "\(partitionsPerClass) per class (\(classes) × \(partitionsPerClass) = \(classes * partitionsPerClass))"
            throw SpecError("model: the last layer has \(last.partitions) partitions, expected \(expected)")
        }
        for (l, layer) in layers.enumerated() {
            guard layer.partitions >= 1 else { throw SpecError(.layer(l, .partitions), "must be at least 1, got \(layer.partitions)") }
            guard (1...inputWidth(ofLayer: l)).contains(layer.fanIn) else {
                throw SpecError(
                    .layer(l, .fanIn), "must be in 1...\(inputWidth(ofLayer: l)) (the previous layer's width), got \(layer.fanIn)")
            }
            guard Self.codeBits.contains(layer.outputBits) else {
                throw SpecError(.layer(l, .bits), "must be in \(Self.codeBits), got \(layer.outputBits)")
            }
            guard tableAddressBits(ofLayer: l) <= Self.maxTableAddressBits else {
                throw SpecError(
                    .layer(l, nil),
                    "reads fan-in × input bits = \(tableAddressBits(ofLayer: l)) table address bits; at most"
                        + " \(Self.maxTableAddressBits) are supported"
                )
            }
            guard Self.depths.contains(layer.shape.depth) else {
                throw SpecError(.layer(l, .depth), "must be in \(Self.depths), got \(layer.shape.depth)")
            }
            guard !layer.shape.isLearnedTable || inputBits(ofLayer: l) == 1 else {
                let setting = l == 0 ? "`input_bits = 1`" : "`bits = 1` on layer \(l - 1)"
                throw SpecError(
                    .layer(l, .depth),
                    "0 (a learned table) needs 1-bit inputs, but layer \(l) reads \(inputBits(ofLayer: l))-bit codes;"
                        + " expected \(setting), or a depth of 1 or more")
            }
            guard layer.shape.depth <= 1 || Self.widths.contains(layer.shape.width) else {
                throw SpecError(.layer(l, .width), "must be in \(Self.widths), got \(layer.shape.width)")
            }
            guard layer.shape.skip >= 0 else {
                throw SpecError(.layer(l, .skip), "must be 0 (none) or positive, got \(layer.shape.skip)")
            }
        }
    }
}

/// A network the project file describes cannot be built (exit 2).
extension SpecError: UserFacingError {
    public var userErrors: [UserError] { [UserError.input(description)] }
}
