import Diagnostics
/// A specification the method cannot realise, named by the key at fault.
public struct SpecError: Error, CustomStringConvertible, Equatable {
    public var description: String
    /// The setting at fault as the project file spells it (`model.layers[1].width`,
    /// `train.batch`), when it is one setting; the project-file checks map it to a line.
    public var key: String?
    /// What is wrong with the setting `key` names (the description without the key).
    public var problem: String

    public init(_ description: String) {
        self.description = description
        problem = description
    }

    public init(key: String, _ problem: String) {
        self.key = key
        self.problem = problem
        description = "\(key) \(problem)"
    }
}

extension NetworkSpec {
    /// Largest table address width accepted (2^24 entries per partition).
    public static let maxTableAddressBits = 24
    /// Code widths (input, hidden and output bits).
    public static let codeBits = 1...16
    /// Hidden width N of a partition's sub-network (beyond it, training is impractical).
    public static let widths = 1...4096
    /// Linear layers L of a partition's sub-network.
    public static let depths = 1...64

    /// Checks every constraint training and tabulation rely on.
    public func validate() throws {
        guard inputFeatures >= 1 else { throw SpecError("model: input features must be at least 1, got \(inputFeatures)") }
        guard Self.codeBits.contains(inputBits) else {
            throw SpecError(key: "model.input_bits", "must be in \(Self.codeBits), got \(inputBits)")
        }
        guard classes >= 2 else {
            throw SpecError(
                key: "model.layers[\(max(layers.count - 1, 0))].partitions", "must be at least 2 (one per class), got \(classes)")
        }
        guard let last = layers.last else { throw SpecError("model: layers must not be empty") }
        guard last.partitions == classes else {
            throw SpecError("model: the last layer has \(last.partitions) partitions, expected one per class (\(classes))")
        }
        for (l, layer) in layers.enumerated() {
            let key = "model.layers[\(l)]"
            guard layer.partitions >= 1 else { throw SpecError(key: "\(key).partitions", "must be at least 1, got \(layer.partitions)") }
            guard (1...inputWidth(ofLayer: l)).contains(layer.fanIn) else {
                throw SpecError(
                    key: "\(key).fan_in", "must be in 1...\(inputWidth(ofLayer: l)) (the previous layer's width), got \(layer.fanIn)")
            }
            guard Self.codeBits.contains(layer.outputBits) else {
                throw SpecError(key: "\(key).bits", "must be in \(Self.codeBits), got \(layer.outputBits)")
            }
            guard tableAddressBits(ofLayer: l) <= Self.maxTableAddressBits else {
                throw SpecError(
                    key: key,
                    "reads fan_in × input bits = \(tableAddressBits(ofLayer: l)) table address bits; at most"
                        + " \(Self.maxTableAddressBits) are supported"
                )
            }
            guard Self.depths.contains(layer.shape.depth) else {
                throw SpecError(key: "\(key).depth", "must be in \(Self.depths), got \(layer.shape.depth)")
            }
            guard layer.shape.depth == 1 || Self.widths.contains(layer.shape.width) else {
                throw SpecError(key: "\(key).width", "must be in \(Self.widths), got \(layer.shape.width)")
            }
            guard layer.shape.skip >= 0 else {
                throw SpecError(key: "\(key).skip", "must be 0 (none) or positive, got \(layer.shape.skip)")
            }
        }
    }
}

/// A network the project file describes cannot be built (exit 2).
extension SpecError: UserFacingError {
    public var userErrors: [UserError] { [UserError.input(description)] }
}
