import BuildGraph
import Foundation
import NeuraLUT

/// `connectivity`: which previous-layer outputs each partition reads (seeded,
/// fixed before training). Drawn exactly as the trainer draws it: layer 0 on
/// the active features of all training rows (the trainer's validation set is
/// separate), so both agree.
enum ConnectivityStep {
    static func make(_ project: Project) throws -> Step {
        let model = project.config.model
        struct Wiring: Encodable {
            var seed: UInt64
            var layers: [[Int]]  // (partitions, fan-in) per layer
            var minInputActivity: Double
        }
        let parameters = try StepCodecs.parameters("wiring", Wiring(
            seed: model.seed, layers: model.layerSpecs.map { [$0.partitions, $0.fanIn] }, minInputActivity: model.minInputActivity))
        return Step(id: "connectivity", kind: "connectivity", version: 2, parameters: parameters,
                    inputs: ["summary": OutputRefs.summary], outputs: ["connectivity"]) { context in
            let prepared = try project.prepareData()
            let spec = project.config.networkSpec(inputFeatures: prepared.features, classes: prepared.classes)
            let wiring = Connectivity.random(for: spec, data: prepared.train, rows: Array(0..<prepared.train.rows),
                                             minInputActivity: model.minInputActivity)
            return ["connectivity": try StepCodecs.json(wiring)]
        }
    }
}
