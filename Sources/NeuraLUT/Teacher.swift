import Allocation
import Datasets
import Foundation

/// How the float teacher of a distilled run is trained (`TrainingConfig.distillation`;
/// docs/training.md, "Distillation"): one hidden layer of ReLU units over every prepared
/// feature, Adam, a cosine learning rate down to 0 over the run, no selection (the last epoch).
/// Dense and unquantized, it has none of the network's limits (fan-in, codes, tables); its
/// logits on the training rows are the soft targets the network learns besides the labels.
public struct TeacherRecipe: Hashable, Codable, Sendable {
    public var seed: UInt64
    /// Hidden ReLU units (a multiple of `Teacher.lanes`).
    public var hidden: Int
    public var epochs: Int
    public var batch: Int
    public var learningRate: Float

    /// The recipe a build uses: about 98% on MNIST, trained in about a minute on two cores.
    public init(seed: UInt64, hidden: Int = 256, epochs: Int = 20, batch: Int = 128, learningRate: Float = 1e-3) {
        self.seed = seed
        self.hidden = hidden
        self.epochs = epochs
        self.batch = batch
        self.learningRate = learningRate
    }
}

/// What a teacher's run gives.
public struct TeacherOutcome: Sendable {
    /// `logits[row · classes + c]` for every row of the training data.
    public var logits: [Float]
    /// Share of the training rows the teacher classifies right.
    public var trainAccuracy: Double
    public var validationAccuracy: Double?
    public var testAccuracy: Double?
}

/// Trains a `TeacherRecipe`'s network. Deterministic: every sum runs in a fixed order (a
/// sample's products in feature order, a weight's gradient in sample order), so the logits
/// never depend on the thread count.
public enum Teacher {
    /// SIMD width over hidden units.
    public static let lanes = 16
    typealias Vec = SIMD16<Float>

    /// `y += a · x` over `count` floats (a multiple of `lanes`), lane by lane.
    @inline(__always)
    static func addScaled(_ x: UnsafePointer<Float>, by a: Float, to y: UnsafeMutablePointer<Float>, count: Int) {
        let scale = Vec(repeating: a)
        var h = 0
        while h < count {
            let sum = UnsafeRawPointer(y + h).loadUnaligned(as: Vec.self) + scale * UnsafeRawPointer(x + h).loadUnaligned(as: Vec.self)
            UnsafeMutableRawPointer(y + h).storeBytes(of: sum, as: Vec.self)
            h += lanes
        }
    }

    /// Trains on every row of `data`; `validation` and `test` are only reported. `progress` gets
    /// (epochs done, epochs); `shouldStop` is polled before every batch (nil: stopped).
    public static func train(
        _ recipe: TeacherRecipe, data: Dataset, validation: Dataset? = nil, test: Dataset? = nil, threads: Int = 0,
        progress: (Int, Int) -> Void = { _, _ in }, shouldStop: () -> Bool = { false }
    ) throws -> TeacherOutcome? {
        guard recipe.hidden > 0, recipe.hidden % lanes == 0 else {
            throw SpecError("the teacher's hidden units must be a positive multiple of \(lanes), got \(recipe.hidden)")
        }
        guard data.rows >= 1, data.classes >= 2 else { throw SpecError("the teacher needs training rows of at least 2 classes") }
        let net = TeacherNetwork(recipe: recipe, inputs: data.columns, classes: data.classes)
        defer { net.deallocate() }
        let threads = threads > 0 ? threads : CPUAllocation.count
        let batch = min(recipe.batch, data.rows)
        let batches = (data.rows + batch - 1) / batch
        let steps = recipe.epochs * batches
        var step = 0
        let work = TeacherBatch(net: net, batch: batch)
        defer { work.deallocate() }
        for epoch in 0..<recipe.epochs {
            var order = Array(0..<data.rows)
            var rng = SeededRandom(seed: recipe.seed, stream: 0x7EAC, UInt64(epoch))
            rng.shuffle(&order)
            for b in 0..<batches {
                if shouldStop() { return nil }
                let rows = order[b * batch..<min(b * batch + batch, data.rows)]
                // Cosine from the learning rate down to 0 over the whole run.
                let lr = recipe.learningRate * 0.5 * (1 + Float(cos(Double.pi * Double(step) / Double(max(steps, 1)))))
                step += 1
                work.step(rows: rows, data: data, lr: lr, step: step, threads: threads)
            }
            progress(epoch + 1, recipe.epochs)
        }
        let logits = net.logits(data, threads: threads)
        func accuracy(_ set: Dataset?, _ logits: [Float]? = nil) -> Double? {
            guard let set, set.rows > 0 else { return nil }
            let values = logits ?? net.logits(set, threads: threads)
            let predicted = ClassScores.argmax(values, width: set.classes)
            return Double(zip(predicted, set.labels).filter { $0 == Int($1) }.count) / Double(set.rows)
        }
        return TeacherOutcome(
            logits: logits, trainAccuracy: accuracy(data, logits) ?? 0,
            validationAccuracy: accuracy(validation), testAccuracy: accuracy(test))
    }
}

/// The teacher's weights, gradients and Adam moments, each one buffer laid out `w1[i · hidden + h]`,
/// `b1[h]`, `w2[h · classes + c]`, `b2[c]`.
final class TeacherNetwork {
    let inputs: Int
    let hidden: Int
    let classes: Int
    let count: Int
    let values: UnsafeMutablePointer<Float>
    let gradients: UnsafeMutablePointer<Float>
    let moment1: UnsafeMutablePointer<Float>
    let moment2: UnsafeMutablePointer<Float>

    var w1: UnsafeMutablePointer<Float> { values }
    var b1: UnsafeMutablePointer<Float> { values + inputs * hidden }
    var w2: UnsafeMutablePointer<Float> { b1 + hidden }
    var b2: UnsafeMutablePointer<Float> { w2 + hidden * classes }

    init(recipe: TeacherRecipe, inputs: Int, classes: Int) {
        self.inputs = inputs
        hidden = recipe.hidden
        self.classes = classes
        count = inputs * hidden + hidden + hidden * classes + classes
        values = .allocate(capacity: count)
        gradients = .allocate(capacity: count)
        moment1 = .allocate(capacity: count)
        moment2 = .allocate(capacity: count)
        gradients.initialize(repeating: 0, count: count)
        moment1.initialize(repeating: 0, count: count)
        moment2.initialize(repeating: 0, count: count)
        // He-uniform weights from the seed, zero biases.
        var rng = SeededRandom(seed: recipe.seed, stream: 0x7EAC, 0x1417)
        let bound1 = Float((6.0 / Double(max(inputs, 1))).squareRoot())
        let bound2 = Float((6.0 / Double(hidden)).squareRoot())
        for i in 0..<inputs * hidden { values[i] = (2 * rng.nextUnitFloat() - 1) * bound1 }
        for h in 0..<hidden { b1[h] = 0 }
        for i in 0..<hidden * classes { w2[i] = (2 * rng.nextUnitFloat() - 1) * bound2 }
        for c in 0..<classes { b2[c] = 0 }
    }

    func deallocate() {
        values.deallocate()
        gradients.deallocate()
        moment1.deallocate()
        moment2.deallocate()
    }

    /// One sample's hidden activations (after ReLU) into `out` and its logits into `logits`.
    func forward(_ x: UnsafePointer<Float>, hiddenOut out: UnsafeMutablePointer<Float>, logits: UnsafeMutablePointer<Float>) {
        out.update(from: b1, count: hidden)
        for i in 0..<inputs { Teacher.addScaled(w1 + i * hidden, by: x[i], to: out, count: hidden) }
        for h in 0..<hidden where out[h] < 0 { out[h] = 0 }
        for c in 0..<classes { logits[c] = b2[c] }
        for h in 0..<hidden where out[h] != 0 {
            let row = w2 + h * classes
            for c in 0..<classes { logits[c] += out[h] * row[c] }
        }
    }

    /// Logits of every row of `set`, row-major.
    func logits(_ set: Dataset, threads: Int) -> [Float] {
        var result = [Float](repeating: 0, count: set.rows * classes)
        let chunk = 64
        let inputs = self.inputs, classes = self.classes, hidden = self.hidden
        set.features.withUnsafeBufferPointer { features in
            result.withUnsafeMutableBufferPointer { result in
                let features = features.baseAddress!, result = result.baseAddress!
                Workers.forEach((set.rows + chunk - 1) / chunk, threads: threads) { item, _ in
                    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: hidden)
                    defer { scratch.deallocate() }
                    for r in item * chunk..<min(item * chunk + chunk, set.rows) {
                        self.forward(features + r * inputs, hiddenOut: scratch, logits: result + r * classes)
                    }
                }
            }
        }
        return result
    }
}

/// One batch's buffers and the training step of the teacher.
final class TeacherBatch {
    let net: TeacherNetwork
    let batch: Int
    /// `x[b · inputs + i]`, `hidden[b · hidden + h]` (after ReLU), `dz[b · classes + c]`, `dh[b · hidden + h]`.
    let x: UnsafeMutablePointer<Float>
    let activations: UnsafeMutablePointer<Float>
    let dz: UnsafeMutablePointer<Float>
    let dh: UnsafeMutablePointer<Float>

    init(net: TeacherNetwork, batch: Int) {
        self.net = net
        self.batch = batch
        x = .allocate(capacity: batch * net.inputs)
        activations = .allocate(capacity: batch * net.hidden)
        dz = .allocate(capacity: batch * net.classes)
        dh = .allocate(capacity: batch * net.hidden)
    }

    func deallocate() {
        x.deallocate()
        activations.deallocate()
        dz.deallocate()
        dh.deallocate()
    }

    /// Forward, softmax cross-entropy, backward and an Adam update on `rows`.
    func step(rows: ArraySlice<Int>, data: Dataset, lr: Float, step: Int, threads: Int) {
        let net = self.net, n = rows.count
        let inputs = net.inputs, hidden = net.hidden, classes = net.classes
        let x = self.x, activations = self.activations, dz = self.dz, dh = self.dh
        data.features.withUnsafeBufferPointer { features in
            for (b, r) in rows.enumerated() { (x + b * inputs).update(from: features.baseAddress! + r * inputs, count: inputs) }
        }
        let labels = rows.map { Int(data.labels[$0]) }
        let inverse = 1 / Float(n)
        // Per sample: forward, ∂loss/∂logits, ∂loss/∂hidden (through the ReLU).
        Workers.forEach(n, threads: threads) { b, _ in
            let z = dz + b * classes, h = activations + b * hidden
            net.forward(x + b * inputs, hiddenOut: h, logits: z)
            var m = z[0]
            for c in 1..<classes { m = max(m, z[c]) }
            var sum: Float = 0
            for c in 0..<classes {
                z[c] = exp(z[c] - m)
                sum += z[c]
            }
            for c in 0..<classes { z[c] = (z[c] / sum - (c == labels[b] ? 1 : 0)) * inverse }
            let g = dh + b * hidden
            for j in 0..<hidden {
                guard h[j] > 0 else {
                    g[j] = 0
                    continue
                }
                let row = net.w2 + j * classes
                var s: Float = 0
                for c in 0..<classes { s += z[c] * row[c] }
                g[j] = s
            }
        }
        // Weight gradients, each summed in sample order: w1 by chunks of input features.
        let gw1 = net.gradients, gb1 = gw1 + inputs * hidden, gw2 = gb1 + hidden, gb2 = gw2 + hidden * classes
        let chunk = 8
        Workers.forEach((inputs + chunk - 1) / chunk, threads: threads) { item, _ in
            for i in item * chunk..<min(item * chunk + chunk, inputs) {
                let row = gw1 + i * hidden
                row.update(repeating: 0, count: hidden)
                for b in 0..<n { Teacher.addScaled(dh + b * hidden, by: x[b * inputs + i], to: row, count: hidden) }
            }
        }
        gb1.update(repeating: 0, count: hidden + hidden * classes + classes)
        for b in 0..<n {
            let h = activations + b * hidden, g = dh + b * hidden, z = dz + b * classes
            for j in 0..<hidden {
                gb1[j] += g[j]
                guard h[j] != 0 else { continue }
                let row = gw2 + j * classes
                for c in 0..<classes { row[c] += h[j] * z[c] }
            }
            for c in 0..<classes { gb2[c] += z[c] }
        }
        // Adam, element by element.
        let beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8
        let correction1 = 1 - Float(pow(Double(beta1), Double(step))), correction2 = 1 - Float(pow(Double(beta2), Double(step)))
        let total = net.count, block = 4096
        let values = net.values, gradients = net.gradients, m1 = net.moment1, m2 = net.moment2
        Workers.forEach((total + block - 1) / block, threads: threads) { item, _ in
            for k in item * block..<min(item * block + block, total) {
                let g = gradients[k]
                m1[k] = beta1 * m1[k] + (1 - beta1) * g
                m2[k] = beta2 * m2[k] + (1 - beta2) * g * g
                values[k] -= lr * (m1[k] / correction1) / ((m2[k] / correction2).squareRoot() + epsilon)
            }
        }
    }
}
