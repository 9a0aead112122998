import Foundation
import Subprocess
import NeuraLUT
import RTL

/// How hard ABC works on each table. Part of every mapping's cache key.
public struct MapperSettings: Hashable, Codable, Sendable {
    /// Measured on the digits template's 106 trained 12-bit tables (docs/hardware.md).
    public enum Effort: String, Hashable, Codable, Sendable, CaseIterable {
        /// ABC's truth-table optimiser, then area-oriented LUT6 mapping.
        case fast
        /// `fast`, then don't-care-based and SAT-based LUT resynthesis
        /// (`&mfs; &satlut`): about 8% fewer LUTs for about twice the time.
        case standard
        /// `standard` with a second resynthesis round: 1.5% fewer again, 1.5× the time.
        case thorough
    }

    public var effort: Effort
    /// Output bits the truth-table optimiser shares logic between (its `-O`).
    public var outputGroup: Int

    public init(effort: Effort = .standard, outputGroup: Int = 2) {
        self.effort = effort
        self.outputGroup = outputGroup
    }

    /// Bump when a script changes what it produces, so cached mappings are redone.
    public static let scriptVersion = 2

    /// Output bits per optimiser group for a table of `outputBits` bits; ABC
    /// needs the outputs to fill whole groups (the mapper pads them).
    func group(outputBits: Int) -> Int { max(1, min(outputGroup, outputBits)) }

    /// The ABC commands between reading the table and writing the mapped
    /// netlist. `care` is the path of the care patterns, if any.
    func script(addressBits: Int, outputBits: Int, carePatterns care: String?) -> [String] {
        let careOption = care.map { " -R 1 \($0)" } ?? ""
        let group = group(outputBits: outputBits)
        var commands = ["strash", "&get -n", "&ttopt -I \(addressBits) -O \(group)\(careOption)", "&if -K 6 -a"]
        switch effort {
        case .fast: break
        case .standard: commands += ["&mfs", "&satlut"]
        case .thorough: commands += ["&mfs", "&satlut", "&mfs", "&satlut"]
        }
        return commands + ["&put"]
    }
}

/// A table mapped to LUTs, checked against the table.
public struct MappedTable: Hashable, Sendable {
    public var netlist: LUTNetlist
    /// Wall time of the ABC run (reported, never part of a cache key).
    public var seconds: Double
}

/// Minimises and maps truth tables to LUT6 netlists with ABC (`yosys-abc`,
/// else `berkeley-abc`), run as an external tool, and checks every result
/// against its table in process.
public struct LUTMapper: Sendable {
    public var settings: MapperSettings
    /// ABC is killed after this many seconds.
    public var timeout: Double

    public init(settings: MapperSettings = MapperSettings(), timeout: Double = 600) {
        self.settings = settings
        self.timeout = timeout
    }

    /// Executable names tried in order.
    public static let abcNames = ["yosys-abc", "berkeley-abc"]

    /// Path of the ABC executable on `searchPath` (default: `PATH`), or a
    /// clear error saying how to install it.
    public static func abcExecutable(searchPath: String? = nil) throws -> String {
        for name in abcNames {
            if let path = ExternalTool.find(name, searchPath: searchPath) { return path }
        }
        throw SynthesisError(
            "ABC not found on PATH (tried \(abcNames.joined(separator: ", "))): "
                + "install the Debian package 'yosys' (it provides yosys-abc) or 'berkeley-abc', e.g. with scripts/ensure-deps.sh")
    }

    /// Maps `table`. With `care`, addresses outside it are don't-cares: the
    /// netlist equals the table on the care set only. `isCancelled` is polled
    /// while ABC runs; ABC is killed at once when it returns true.
    public func map(
        _ table: TruthTable, care: CareSet? = nil,
        isCancelled: @escaping @Sendable () -> Bool = { false }
    ) throws -> MappedTable {
        if let care, care.addressBits != table.addressBits {
            throw SynthesisError("the care set covers \(care.addressBits) address bits, the table has \(table.addressBits)")
        }
        let care = care.flatMap { $0.isFull ? nil : $0 }
        // Output bits constant on the cared-for addresses need no logic (and
        // ABC's truth-table reader rejects constant tables).
        let constants = Self.constantBits(table, care: care)
        let varying = (0..<table.outputBits).filter { constants[$0] == nil }
        guard let lastVarying = varying.last else {
            return MappedTable(
                netlist: try LUTNetlist(
                    inputCount: table.addressBits, luts: [],
                    outputs: constants.map { .constant($0!) }), seconds: 0)
        }
        let abc = try Self.abcExecutable()
        let directory = try ScratchDirectory.make(prefix: "lutbuild-abc")
        defer { try? FileManager.default.removeItem(at: directory) }

        // ABC's optimiser needs whole output groups: repeat the last bit to fill one.
        let group = settings.group(outputBits: varying.count)
        let abcBits = varying + Array(repeating: lastVarying, count: (group - varying.count % group) % group)
        let truthFile = directory.appendingPathComponent("table.truth")
        try Data(Self.truthText(table, bits: abcBits).utf8).write(to: truthFile)
        var careFile: URL?
        if let care {
            careFile = directory.appendingPathComponent("care.sim")
            try Self.carePatterns(care).write(to: careFile!)
        }
        let blif = directory.appendingPathComponent("mapped.blif")
        let commands =
            ["read_truth -x -f \(truthFile.path)"]
            + settings.script(addressBits: table.addressBits, outputBits: varying.count, carePatterns: careFile?.path)
            + ["write_blif \(blif.path)"]
        let result = try ExternalTool.run(
            abc, ["-c", commands.joined(separator: "; ")], in: directory,
            timeout: timeout, isCancelled: isCancelled)
        guard result.status == 0, let text = try? String(contentsOf: blif, encoding: .utf8) else {
            throw SynthesisError(
                "ABC failed to map a \(table.addressBits)-bit table (status \(result.status)):\n\(ExternalTool.tail(result.output))")
        }
        var netlist = try BLIFReader.netlist(text, outputCount: varying.count)
        var outputs = constants.map { Signal.constant($0 ?? false) }
        for (index, bit) in varying.enumerated() { outputs[bit] = netlist.outputs[index] }
        netlist.outputs = outputs
        try netlist.check(against: table, care: care)
        return MappedTable(netlist: netlist, seconds: result.seconds)
    }

    /// Maps every table concurrently on all cores; results in table order.
    public func map(
        _ tables: [TruthTable], care: [CareSet?]? = nil,
        isCancelled: @escaping @Sendable () -> Bool = { false }
    ) throws -> [MappedTable] {
        precondition(care == nil || care!.count == tables.count, "one care set (or nil) per table")
        let mapper = self
        return try Parallel.map(count: tables.count) { i in
            Result { try mapper.map(tables[i], care: care?[i], isCancelled: isCancelled) }
        }.map { try $0.get() }
    }

    /// For each output bit, its value when it is the same on every cared-for
    /// address (false when no address is cared for), else nil.
    static func constantBits(_ table: TruthTable, care: CareSet?) -> [Bool?] {
        var seenOne: UInt16 = 0, seenZero: UInt16 = 0
        for (address, code) in table.codes.enumerated() where care?.contains(address) ?? true {
            seenOne |= code
            seenZero |= ~code
        }
        return (0..<table.outputBits).map { bit in
            let one = (seenOne >> UInt16(bit)) & 1 == 1, zero = (seenZero >> UInt16(bit)) & 1 == 1
            return one && zero ? nil : one
        }
    }

    /// `read_truth -x -f` input: one line per entry of `bits` (output bit
    /// numbers), each the binary truth table with the highest address first.
    static func truthText(_ table: TruthTable, bits: [Int]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(bits.count * (table.codes.count + 1))
        for bit in bits {
            for address in table.codes.indices.reversed() {
                bytes.append((table.codes[address] >> UInt16(bit)) & 1 == 1 ? UInt8(ascii: "1") : UInt8(ascii: "0"))
            }
            bytes.append(UInt8(ascii: "\n"))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The care set as ABC simulation patterns (`&ttopt <file>`): one pattern
    /// per cared-for address, as 64-bit little-endian words, input by input
    /// (input `i` holds bit `i` of every pattern's address). Padded to a
    /// multiple of 64 patterns by repeating an address, which changes nothing
    /// with `-R 1` (an address is cared for when at least one pattern hits it).
    static func carePatterns(_ care: CareSet) -> Data {
        let addresses = care.addresses
        let words = (addresses.count + 63) / 64
        var simulation = [UInt64](repeating: 0, count: words * care.addressBits)
        for pattern in 0..<(words * 64) {
            let address = addresses[pattern < addresses.count ? pattern : 0]
            for input in 0..<care.addressBits where (address >> input) & 1 == 1 {
                simulation[input * words + pattern / 64] |= 1 << UInt64(pattern % 64)
            }
        }
        return simulation.map(\.littleEndian).withUnsafeBytes { Data($0) }
    }
}
