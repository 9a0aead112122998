import BuildGraph
import Datasets
import Foundation
import NeuraLUT

/// `thresholds`: the input front end as raw-feature thresholds
/// (`gen/rtl/<top>_input_thresholds.json` and `.csv`), so users can produce
/// the network's input codes upstream of the FPGA from the dataset's own
/// units: the data normalisation and the learned input quantizer composed.
enum ThresholdsStep {
    static let id = "thresholds"

    static func paths(_ config: ProjectConfig) -> (json: String, csv: String) {
        let base = "\(VerilogSteps.rtlDirectory)/\(config.project.top)_input_thresholds"
        return (base + ".json", base + ".csv")
    }

    static func make(_ project: Project) throws -> Step {
        let paths = paths(project.config)
        return Step(id: id, kind: "input-thresholds", version: 1, parameters: Data(),
                    inputs: ["summary": OutputRefs.summary, "quantizers": OutputRefs.quantizers],
                    outputs: ["json", "csv"], publish: ["json": paths.json, "csv": paths.csv]) { context in
            _ = try context.input("summary")
            let quantizers = try QuantizerParameters(decoding: [UInt8](context.input("quantizers")))
            let prepared = try project.prepareData()
            let thresholds = InputThresholds(
                encoder: rawEncoder(quantizers.inputFrontEnd.encoder, after: prepared.normalization),
                featureNames: prepared.train.featureNames)
            return ["json": try thresholds.json(), "csv": Data(thresholds.csv().utf8)]
        }
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
