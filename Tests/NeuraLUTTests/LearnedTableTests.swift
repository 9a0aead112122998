import Datasets
import Foundation
import Testing
@testable import NeuraLUT

@Suite struct LearnedTableTests {
    /// 1-bit inputs of the first layer (signed: values −0.5 and 0 at scale 0.5) and of a later one (unsigned: 0 and 0.5).
    static let signed = TableInputs(range: Quantization.Range(bits: 1, signed: true), scale: 0.5)
    static let unsigned = TableInputs(range: Quantization.Range(bits: 1, signed: false), scale: 0.5)

    static func entries(_ n: Int, seed: UInt64 = 9) -> [Float] {
        var rng = SeededRandom(seed: seed)
        return (0..<n).map { _ in rng.nextUnitFloat() * 2 - 1 }
    }

    /// Inputs (fan-in rows of `count`) whose bits spell each sample's address `b mod 2^F`.
    static func inputs(fanIn: Int, count: Int, grid: TableInputs) -> [Float] {
        var x = [Float](repeating: 0, count: fanIn * count)
        for b in 0..<count { for i in 0..<fanIn { x[i * count + b] = grid.low + Float((b >> i) & 1) * grid.step } }
        return x
    }

    @Test(arguments: [signed, unsigned])
    func theOutputIsTheEntryTheInputBitsAddress(grid: TableInputs) {
        let table = LearnedTable(fanIn: 3, inputs: grid)
        let params = Self.entries(8)
        let x = Self.inputs(fanIn: 3, count: 16, grid: grid)
        var y = [Float](repeating: .nan, count: 16)
        table.forward(params: params, x: x, xStride: 16, y: &y, count: 16)
        let addressed: [Float] = (0..<16).map { params[$0 % 8] }
        #expect(y == addressed)
    }

    /// The slopes against DWN's own sum: every entry weighed by α·β^d, d the
    /// Hamming distance to the address on the other inputs, signed by the input's bit.
    @Test func slopesAreTheExtendedFiniteDifference() {
        let fanIn = 4
        let params = Self.entries(1 << fanIn)
        let table = LearnedTable(fanIn: fanIn, inputs: Self.unsigned)
        var slopes = [Float](repeating: .nan, count: table.slopeCount)
        table.slopes(params: params, into: &slopes)
        let alpha = 0.5 * pow(0.75, Double(fanIn - 1)), beta = 0.25 / 0.75
        for a in 0..<(1 << fanIn) {
            for i in 0..<fanIn {
                var sum = 0.0
                for k in 0..<(1 << fanIn) {
                    let d = ((a ^ k) & ~(1 << i)).nonzeroBitCount
                    let term = Double(params[k]) * alpha * pow(beta, Double(d))
                    sum += (k >> i) & 1 == 1 ? term : -term
                }
                #expect(abs(Double(slopes[a * fanIn + i]) - sum / 0.5) < 1e-5, "address \(a), input \(i)")
            }
        }
    }

    @Test func entriesGetTheOutputGradientAndInputsTheirSlopes() {
        let fanIn = 2, count = 16
        let table = LearnedTable(fanIn: fanIn, inputs: Self.signed)
        let params = Self.entries(4)
        var slopes = [Float](repeating: 0, count: table.slopeCount)
        table.slopes(params: params, into: &slopes)
        let x = Self.inputs(fanIn: fanIn, count: count, grid: Self.signed)
        let dy = (0..<count).map { Float($0 + 1) }
        var lanes = [Float](repeating: .nan, count: 4 * Kernels.Half.scalarCount)
        var dx = [Float](repeating: .nan, count: fanIn * count)
        table.backward(slopes: slopes, gradientLanes: &lanes, x: x, xStride: count, dy: dy, dx: &dx, count: count, firstTile: true)
        var gradients = [Float](repeating: 0, count: 4)
        Kernels.reduceLanes(lanes, into: &gradients, count: 4)
        let sums: [Float] = (0..<4).map { a in (0..<count).filter { $0 % 4 == a }.reduce(Float(0)) { $0 + dy[$1] } }
        #expect(gradients == sums)
        for b in 0..<count {
            for i in 0..<fanIn {
                let expected: Float = dy[b] * slopes[(b % 4) * fanIn + i]
                #expect(dx[i * count + b] == expected)
            }
        }
    }

    /// A shape of depth 0 keeps no width or skip, so editing them keys nothing new.
    @Test func aLearnedTableHasNoSubNetwork() throws {
        let shape = PartitionShape(width: 16, depth: 0, skip: 2)
        #expect(shape == PartitionShape(width: 8, depth: 0, skip: 0))
        #expect(shape.isLearnedTable)
        let layout = PartitionLayout(fanIn: 6, shape: shape)
        #expect(layout.parameterCount == 66)
        #expect(layout.gammaOffset == 64)
        #expect(layout.depth == 0)
        let w = PartitionWeights.initial(fanIn: 6, shape: shape, seed: 1, layer: 0, partition: 0)
        let decoded = try PartitionWeights(decoding: w.encoded())
        #expect(decoded == w)
    }

    @Test func aLearnedTableNeedsOneBitInputs() {
        var spec = Self.xorTables()
        #expect(throws: Never.self) { try spec.validate() }
        spec.inputBits = 2
        #expect(throws: SpecError.self) { try spec.validate() }
    }

    /// XOR on 1-bit inputs with two layers of learned tables.
    static func xorTables() -> NetworkSpec {
        NetworkSpec(
            inputFeatures: 2, inputBits: 1, classes: 2,
            layers: [
                LayerSpec(partitions: 4, fanIn: 2, outputBits: 1, shape: PartitionShape(width: 0, depth: 0, skip: 0)),
                LayerSpec(partitions: 2, fanIn: 4, outputBits: 2, shape: PartitionShape(width: 0, depth: 0, skip: 0)),
            ], seed: 1)
    }

    /// Trained end to end, the tables fit XOR, and the enumerated truth tables
    /// give what the quantized network gives, bit for bit.
    @Test func learnedTablesTrainAndTabulateExactly() throws {
        let data = Fixtures.xor()
        var config = Fixtures.xorConfig(epochs: 60)
        config.centresInputs = true  // else the 1-bit input codes do not split the features at their signs
        let result = try Trainer(spec: Self.xorTables(), config: config, data: data).run()
        let net = result.network
        #expect(result.log.epochs.last!.trainAccuracy > 0.9)
        #expect(TabulationTests.lookUp(tabulate(net), data) == QuantizedNetwork(net).outputCodes(data))
    }
}
