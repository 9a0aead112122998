import BuildGraph
import Datasets
import Foundation
import NeuraLUT
import ProjectFile
import RTL

/// `thresholds`: the input front end as raw-feature thresholds
/// (`gen/rtl/<top>_input_thresholds.json` and `.csv`), so users can produce
/// the network's input codes upstream of the FPGA from the dataset's own
/// units: the data normalisation and the learned input quantizer composed;
/// and the value of the output codes (`gen/rtl/<top>_output_codes.json`,
/// the last layer's learned quantizer scale), which the top module's header cites.
enum ThresholdsStep: PipelineStep {
    static let id = "thresholds"
    static let kind = "input-thresholds"
    /// 4: feature names in the CSV quoted and neutralised (`CSVWriter`).
    static let version = 4

    static func paths(_ config: ProjectConfig) -> (json: String, csv: String, outputCodes: String) {
        let base = "\(VerilogSteps.rtlDirectory)/\(config.project.top)"
        return (base + "_input_thresholds.json", base + "_input_thresholds.csv", base + "_output_codes.json")
    }

    /// The outputs, in the order the IP and the FuseSoC core list them.
    static let outputs = ["json", "csv", "outputCodes"]

    /// What an output code of the last layer means: value = (code - offset) × scale.
    struct OutputCodes: Encodable {
        var format = "lutbuild-output-codes"
        var version = 1
        var outputs: Int
        var bits: Int
        var offset: Int
        var scale: Float
        var value = "(code - offset) * scale"
        var outClass = "index of the largest code (signed compare, ties to the lowest index)"
        /// With k partitions per class (nil, and absent, with one): what `out_data` carries instead of the codes.
        var partitionsPerClass: Int?
        /// `model.tie_breakers` when set (nil, and absent, otherwise).
        var tieBreakers: Int?
        var scoreBits: Int?
        var score: String?

        enum CodingKeys: String, CodingKey {
            case format, version, outputs, bits, offset, scale, value
            case outClass = "out_class"
            case partitionsPerClass = "partitions_per_class", tieBreakers = "tie_breakers", scoreBits = "score_bits", score
        }

        init(outputs: Int, bits: Int, scale: Float, partitionsPerClass: Int?, tieBreakers: Int?) {
            self.outputs = outputs
            self.bits = bits
            offset = 1 << (bits - 1)
            self.scale = scale
            guard let k = partitionsPerClass else { return }
            self.partitionsPerClass = k
            self.tieBreakers = tieBreakers
            scoreBits = ClassScores.scoreBits(outputBits: bits, partitionsPerClass: k, tieBreakers: tieBreakers ?? 0)
            score =
                "out_data carries class c's score, "
                + ClassScores.sumDescription(index: "c", partitionsPerClass: k, tieBreakers: tieBreakers ?? 0)
            outClass = VerilogEmitter.classDescription(partitionsPerClass: k)
        }
    }

    /// The last layer's shape, for the output codes.
    struct Parameters: Codable, Sendable {
        var outputs: Int
        var bits: Int
        /// With `[rtl] input_encoder`: `[rtl] input_format`, and an `encoder` output
        /// (the comparators on the format's grid, `InputEncoderRTL` as JSON). nil leaves the key as it was.
        var inputFormat: String?
        /// `model.partitions_per_class` when above 1; nil leaves the key as it was.
        var partitionsPerClass: Int?
        /// `model.tie_breakers` when above 0; nil leaves the key as it was.
        var tieBreakers: Int?
        /// `[dataset] value_step`: the thresholds move onto its multiples; nil leaves the key as it was.
        var valueGrid: ValueGrid?
    }

    /// The output holding the hardware input encoder, when the project asks for one.
    static let encoderOutput = "encoder"

    static func encoder(_ config: ProjectConfig) -> StepSource<InputEncoderRTL>? {
        config.rtl.inputEncoder ? .output(step: id, name: encoderOutput) : nil
    }

    static func make(_ config: ProjectConfig) throws -> Step {
        let paths = paths(config)
        let last = config.model.layerSpecs.last
        // The feature names are an input of their own: renaming a CSV column reruns this step (and no training).
        return try step(
            id: id,
            Parameters(
                outputs: last?.partitions ?? 0, bits: last?.outputBits ?? 1,
                inputFormat: config.rtl.inputEncoder ? config.rtl.inputFormat : nil,
                partitionsPerClass: config.model.networkShape.partitionsPerClass,
                tieBreakers: config.model.networkShape.tieBreakers, valueGrid: config.dataset.valueGrid),
            inputs: inputs(), outputs: outputs + (config.rtl.inputEncoder ? [encoderOutput] : []),
            publish: ["json": paths.json, "csv": paths.csv, "outputCodes": paths.outputCodes])
    }

    static func inputs() -> StepInputs {
        var inputs = StepInputs()
        inputs.bind(CommonInputs.data, to: OutputRefs.data)
        inputs.bind(CommonInputs.featureNames, to: OutputRefs.featureNames)
        inputs.bind(CommonInputs.quantizers, to: OutputRefs.quantizers)
        return inputs
    }

    static func run(_ parameters: Parameters, _ context: StepContext) async throws -> StepOutputs {
        let quantizers = try context.read(CommonInputs.quantizers)
        let prepared = try context.read(CommonInputs.data)
        var thresholds = InputThresholds(
            encoder: rawEncoder(quantizers.inputFrontEnd.encoder, after: prepared.normalization),
            featureNames: try context.read(CommonInputs.featureNames))
        if let grid = parameters.valueGrid { thresholds = thresholds.onGrid(grid) }
        var outputCodes = try StepCodecs.json(
            OutputCodes(
                outputs: parameters.outputs, bits: parameters.bits, scale: quantizers.outputScales.last ?? 1,
                partitionsPerClass: parameters.partitionsPerClass, tieBreakers: parameters.tieBreakers))
        outputCodes.append(0x0A)
        var outputs: StepOutputs = ["json": try thresholds.json(), "csv": Data(thresholds.csv().utf8), "outputCodes": outputCodes]
        if let inputFormat = parameters.inputFormat {
            let format =
                FixedPointFormat(parsing: inputFormat)
                ?? dataFormat(prepared.normalization.rawFeatures(of: prepared.train))
            outputs[encoderOutput] = try StepCodecs.json(InputEncoderRTL(thresholds: thresholds, format: format))
        }
        return outputs
    }

    /// `input_format = "auto"`: the format that holds the training rows' raw range,
    /// with no fraction bits when every value is an integer (docs/hardware.md, "Input encoder").
    static func dataFormat(_ raw: [Float]) -> FixedPointFormat {
        let low = Double(raw.min() ?? 0), high = Double(raw.max() ?? 0)
        let integral = raw.allSatisfy { abs(Double($0) - Double($0).rounded()) < 1e-3 }
        return FixedPointFormat.fitting(minimum: low, maximum: high, integral: integral)
    }

    static func decodeEncoder(_ data: Data) throws -> InputEncoderRTL {
        try StepCodecs.decodeJSON(InputEncoderRTL.self, data, what: "input encoder")
    }

    /// The encoder of raw values: `code(x · n.scale + n.offset)` as one affine map
    /// (composed in double precision, then rounded to float).
    static func rawEncoder(_ encoder: InputEncoder, after normalization: FeatureNormalization) -> InputEncoder {
        let features = encoder.scale.indices
        return InputEncoder(
            bits: encoder.bits,
            scale: features.map { Float(Double(normalization.scale[$0]) * Double(encoder.scale[$0])) },
            offset: features.map {
                Float(Double(normalization.offset[$0]) * Double(encoder.scale[$0]) + Double(encoder.offset[$0]))
            })
    }
}
