import Datasets
import Testing
@testable import NeuraLUT

@Suite struct CareSetTests {
    /// 3 one-bit inputs; layer 0: p0 = AND(in0, in1), p1 = OR(in1, in2);
    /// layer 1 (two classes, 2-bit outputs) reads (h0, h1): q0 = the address, q1 = 3 − the address.
    static let handNetwork: LUTNetwork = {
        let spec = NetworkSpec(
            inputFeatures: 3, inputBits: 1, classes: 2,
            layers: [
                LayerSpec(partitions: 2, fanIn: 2, outputBits: 1, shape: .neuraLUT(width: 2)),
                LayerSpec(partitions: 2, fanIn: 2, outputBits: 2, shape: .neuraLUT(width: 2)),
            ], seed: 1)
        func table(_ bits: Int, _ codes: [UInt16]) -> TruthTable { TruthTable(addressBits: 2, outputBits: bits, codes: codes) }
        return LUTNetwork(
            spec: spec, connectivity: Connectivity(inputs: [[[0, 1], [1, 2]], [[0, 1], [0, 1]]]),
            tables: [[table(1, [0, 0, 0, 1]), table(1, [0, 1, 1, 1])], [table(2, [0, 1, 2, 3]), table(2, [3, 2, 1, 0])]],
            encoder: InputEncoder(bits: 1, scale: [1, 1, 1], offset: [0, 0, 0]))
    }()

    /// Rows (in0, in1, in2) = (1,1,0), (0,1,1), (0,0,0), (1,1,0).
    /// Layer 0, p0 addresses 3, 1, 0, 3 (outputs 1, 0, 0, 1); p1 addresses 2, 3, 0, 2 (outputs 1, 1, 0, 1);
    /// layer 1 addresses (h0 h1) 3, 1, 0, 3 → classes 0, 1, 1, 0.
    static let codes: [UInt16] = [1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0]
    static let labels: [Int32] = [0, 1, 1, 0]

    /// The same rows as raw features: with scale 1 and 1-bit codes, −1 → code 0 and 0 → code 1.
    static var dataset: Dataset {
        Dataset(
            features: codes.map { $0 == 1 ? 0 : -1 }, labels: labels, rows: 4, columns: 3, classes: 2,
            featureNames: ["a", "b", "c"])
    }

    @Test func lookupCountsAreExactOnAHandBuiltNetwork() throws {
        let counts = try Self.handNetwork.lookupCounts(codes: Self.codes, count: 4)
        let p = { (layer: Int, index: Int) in (0..<4).map { counts.count(PartitionID(layer: layer, index: index), address: $0) } }
        #expect(p(0, 0) == [1, 1, 0, 2])
        #expect(p(0, 1) == [1, 0, 2, 1])
        #expect(p(1, 0) == [1, 1, 0, 2])
        #expect(p(1, 1) == [1, 1, 0, 2])
        #expect(counts.rows == 4)
        #expect(try Self.handNetwork.lookupCounts(dataset: Self.dataset) == counts)
    }

    @Test func careSetsFollowTheMinimumHits() throws {
        let counts = try Self.handNetwork.lookupCounts(dataset: Self.dataset)
        #expect(counts.careSets().map { $0.map(\.addresses) } == [[[0, 1, 3], [0, 2, 3]], [[0, 1, 3], [0, 1, 3]]])
        let twice = counts.careSets(minimumHits: 2)
        #expect(twice.map { $0.map(\.addresses) } == [[[3], [2]], [[3], [3]]])
        #expect(counts.careSets(minimumHits: 3).joined().allSatisfy { $0.count == 0 })
        // 16 lookups (4 rows × 4 partitions), 8 of them on addresses hit only once.
        #expect(counts.lookups(outside: twice) == (8, 16))
        #expect(counts.lookups(outside: counts.careSets()) == (0, 16))
    }

    @Test func careSetsOfSeveralPartsAreTheirUnionWidened() throws {
        let rows = Self.dataset
        let first = Dataset(
            features: Array(rows.features[0..<6]), labels: [0, 1], rows: 2, columns: 3, classes: 2, featureNames: rows.featureNames)
        let second = Dataset(
            features: Array(rows.features[6...]), labels: [1, 0], rows: 2, columns: 3, classes: 2, featureNames: rows.featureNames)
        let network = Self.handNetwork
        #expect(
            try network.careSets(rows: [first, second], minimumHits: 2) == network.lookupCounts(dataset: rows).careSets(minimumHits: 2))
        // Widened by one step on 1-bit inputs: every address next to {3} on one input, i.e. 1, 2 and 3.
        #expect(try network.careSets(rows: [rows], minimumHits: 2, widen: 1)[1][0].addresses == [1, 2, 3])
    }

    @Test func fillingEffectComparesExactAndFilledNetworks() throws {
        let exact = Self.handNetwork
        let careSets = try exact.lookupCounts(dataset: Self.dataset).careSets(minimumHits: 2)
        // Address 1 of q1 is outside its care set {3}; 0 there instead of 2 turns row 2 (class 1) into class 0.
        var tables = exact.tables
        tables[1][1].codes[1] = 0
        let filled = try exact.replacingTables(tables)
        #expect(careSets[1][1].firstDisagreement(exact: exact.tables[1][1], candidate: filled.tables[1][1]) == nil)
        let effect = try FillingEffect(exact: exact, filled: filled, careSets: careSets, test: Self.dataset)
        #expect(
            effect
                == FillingEffect(
                    exactTestAccuracy: 1, filledTestAccuracy: 0.75, testLookupsOutsideCare: 0.5,
                    caredEntries: 4, entries: 16))
        // On validation rows: the same comparison; none without them.
        let validated = try FillingEffect(
            exact: exact, filled: filled, careSets: careSets, test: Self.dataset, validation: Self.dataset)
        #expect(validated.exactValidationAccuracy == 1 && validated.filledValidationAccuracy == 0.75)
    }

    @Test func aFilledTableThatBreaksItsCareSetIsFound() {
        let exact = Self.handNetwork.tables[0][1]
        var wrong = exact
        wrong.codes[2] = 0
        let care = CareSet(addressBits: 2) { [0, 2, 3].contains($0) }
        #expect(care.firstDisagreement(exact: exact, candidate: wrong) == 2)
        #expect(care.firstDisagreement(exact: exact, candidate: exact) == nil)
    }

    @Test func replacingTablesChecksTheirShape() {
        var tables = Self.handNetwork.tables
        tables[0][0] = TruthTable(addressBits: 2, outputBits: 1, codes: [0, 0, 0, 3])
        #expect(throws: LUTInferenceError.self) { try Self.handNetwork.replacingTables(tables) }
    }

    /// Whatever the entries outside the care sets (minimum hits 1) hold, the
    /// rows that defined them get the same outputs: the filled network is the
    /// exact one on its training data.
    @Test func entriesOutsideTheCareSetsDoNotChangeTheTrainingRows() throws {
        let spec = Fixtures.blobsSpec()
        let exact = tabulate(TrainedNetwork.initial(spec: spec))
        let data = Fixtures.blobs()
        let careSets = try exact.lookupCounts(dataset: data).careSets()
        var tables = exact.tables
        var changed = 0
        for (l, layer) in careSets.enumerated() {
            for (p, care) in layer.enumerated() {
                let limit = UInt16((1 << spec.layers[l].outputBits) - 1)
                for address in 0..<care.entries where !care.contains(address) {
                    tables[l][p].codes[address] = limit - tables[l][p].codes[address]
                    changed += 1
                }
            }
        }
        let filled = try exact.replacingTables(tables)
        #expect(changed > 0)
        #expect(try filled.infer(dataset: data) == exact.infer(dataset: data))
        #expect(try exact.lookupCounts(dataset: data).lookups(outside: careSets).outside == 0)
    }

    @Test func countsDoNotDependOnTheThreadSplit() throws {
        let exact = tabulate(TrainedNetwork.initial(spec: Fixtures.blobsSpec()))
        // 9,000 rows: three chunks of 4,096, counted by different workers.
        let data = Fixtures.blobs(rows: 9_000)
        let all = try exact.lookupCounts(dataset: data)
        let codes = try exact.encode(dataset: data)
        let parts = try [0..<4_000, 4_000..<9_000].map { range in
            try exact.lookupCounts(codes: Array(codes[range.lowerBound * 6..<range.upperBound * 6]), count: range.count)
        }
        #expect(parts[0] + parts[1] == all)
        for l in 0..<3 {
            #expect(all.counts[l].reduce(0, +) == UInt32(9_000 * exact.spec.layers[l].partitions))
        }
    }

    @Test func setOperations() {
        var set = CareSet(addressBits: 3)
        #expect(set.words == [0] && set.count == 0 && set.entries == 8)
        set.insert(5)
        set.insert(0)
        #expect(set.contains(5) && set.contains(0) && !set.contains(1))
        #expect(set.addresses == [0, 5] && set.count == 2)
        #expect(CareSet.all(addressBits: 3).words == [0xFF] && CareSet.all(addressBits: 3).isFull)
        #expect(CareSet.all(addressBits: 7).words == [~0, ~0] && CareSet.all(addressBits: 7).count == 128)
        #expect(CareSet(addressBits: 12) { $0 % 3 == 0 }.count == 1366)
        #expect(CareSet(addressBits: 3, addresses: [5, 0]) == set)
        #expect(CareSet(addressBits: 3, words: [0xFF21]) == set)
        #expect(CareSet(addressBits: 7, words: [1, 2]).addresses == [0, 65])
    }

    /// A 2-input table of 2-bit codes: address (1, 2) = 0b0110 = 6.
    @Test func wideningAddsTheNeighboursOnOneInput() {
        let set = CareSet(addressBits: 4) { $0 == 6 }
        // One step: input 0 ∈ {0, 1, 2} with input 1 = 2 → 2, 6, 10; input 1 ∈ {1, 2, 3} with input 0 = 1 → 5, 6, 7.
        #expect(set.widened(fanIn: 2, inputBits: 2, steps: 1).addresses == [2, 5, 6, 7, 10])
        #expect(set.widened(fanIn: 2, inputBits: 2, steps: 2).addresses == [2, 4, 5, 6, 7, 10, 14])
        #expect(set.widened(fanIn: 2, inputBits: 2, steps: 0) == set)
        // Codes at the ends only widen inward: address (0, 0).
        #expect(CareSet(addressBits: 4) { $0 == 0 }.widened(fanIn: 2, inputBits: 2, steps: 1).addresses == [0, 1, 4])
    }

    @Test func encodingRoundTripsAndIsCompact() throws {
        let set = CareSet(addressBits: 12) { ($0 * 7919) % 13 < 4 }
        let bytes = set.encoded()
        #expect(bytes.count == 4 + 4 + 4 + 64 * 8)
        #expect(try CareSet(decoding: bytes) == set)
        let small = CareSet(addressBits: 3) { $0 == 2 }
        #expect(small.encoded() == Array("NLCS".utf8) + [1, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func corruptEncodingsAreRejected() {
        let good = CareSet(addressBits: 3) { $0 == 2 }.encoded()
        var beyond = good
        beyond[13] = 0x02  // address 9 of an 8-entry table
        #expect(throws: FormatError.self) { try CareSet(decoding: beyond) }
        #expect(throws: FormatError.self) { try CareSet(decoding: Array(good.dropLast())) }
        #expect(throws: FormatError.self) { try CareSet(decoding: Array("NLPW".utf8) + good.dropFirst(4)) }
        #expect(throws: FormatError.self) { try CareSet(decoding: good + [0]) }
    }
}
