import BuildGraph
import Foundation
import NeuraLUT

/// `connectivity`: which previous-layer outputs each partition reads (seeded, fixed before training).
enum ConnectivityStep {
    static func make(_ project: Project) throws -> Step {
        let model = project.config.model
        struct Wiring: Encodable {
            var seed: UInt64
            var layers: [[Int]]  // (partitions, fan-in) per layer
        }
        let parameters = try StepCodecs.parameters("wiring", Wiring(
            seed: model.seed, layers: model.layerSpecs.map { [$0.partitions, $0.fanIn] }))
        return Step(id: "connectivity", kind: "connectivity", version: 1, parameters: parameters,
                    inputs: ["summary": OutputRefs.summary], outputs: ["connectivity"]) { context in
            let summary = try PrepareDataStep.decode(try context.input("summary"))
            let spec = project.config.networkSpec(inputFeatures: summary.features, classes: summary.classes)
            return ["connectivity": try StepCodecs.json(Connectivity.random(for: spec))]
        }
    }
}
