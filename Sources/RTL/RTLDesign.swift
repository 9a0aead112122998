import Diagnostics
import NeuraLUT

/// Where the pipeline registers go. A register stage sits on a layer's
/// input (as in the reference RTL), so latency in cycles = register stages.
public enum RegisterPlacement: Hashable, Codable, Sendable {
    /// A register on every layer's input: latency = number of layers.
    case everyLayer
    /// Purely combinational: latency 0 (`clk` and `rst` are unused).
    case none
    /// A register on the input of layers 0, k, 2k, …: latency = ⌈layers / k⌉.
    case everyKLayers(Int)

    /// Whether layer `layer`'s input is registered.
    public func registersInput(ofLayer layer: Int) -> Bool {
        switch self {
        case .everyLayer: return true
        case .none: return false
        case .everyKLayers(let k): return layer % max(k, 1) == 0
        }
    }

    /// Register stages (= latency in cycles) of a network of `layers` layers.
    public func latency(layers: Int) -> Int {
        (0..<layers).filter(registersInput(ofLayer:)).count
    }
}

/// The top module's handshake (docs/hardware.md, "Ports of the top module").
public enum TopInterface: Hashable, Codable, Sendable {
    /// `in_valid`/`in_data` in, `out_valid`/`out_data`/`out_class` out, no ready.
    case raw
    /// An AXI4-Stream slave and master with backpressure (`AXISLayout`);
    /// `userBits` of `tuser` travel with each sample (0: no `tuser` ports).
    case axis(userBits: Int)
}

/// What to emit: module names, pipelining and the optional argmax output.
public struct RTLOptions: Hashable, Codable, Sendable {
    /// Name of the top module; every other module name starts with it.
    public var topName: String
    public var registers: RegisterPlacement
    /// Adds `out_class`, the index of the largest output code.
    public var argmax: Bool
    public var interface: TopInterface
    /// The input port takes raw feature values through an input encoder,
    /// whose comparators (`InputEncoderRTL`) come from the data, not from options.
    public var inputEncoder: Bool

    public init(
        topName: String = "lutnet", registers: RegisterPlacement = .everyLayer, argmax: Bool = true,
        interface: TopInterface = .raw, inputEncoder: Bool = false
    ) {
        self.topName = topName
        self.registers = registers
        self.argmax = argmax
        self.interface = interface
        self.inputEncoder = inputEncoder
    }

    /// The stream layout when the interface is AXI4-Stream.
    public func axisLayout(network: LUTNetwork, encoder: InputEncoderRTL? = nil) -> AXISLayout? {
        guard case .axis(let userBits) = interface else { return nil }
        return AXISLayout(spec: network.spec, argmax: argmax, userBits: userBits, rawFormat: encoder?.format)
    }
}

/// One top-level port, as IP-XACT packaging and the docs need it.
public struct RTLPort: Hashable, Codable, Sendable {
    public enum Direction: String, Hashable, Codable, Sendable { case input = "in", output = "out" }
    public var name: String
    public var direction: Direction
    /// Bits; a 1-bit port is a vector only when `isVector`.
    public var width: Int
    public var isVector: Bool
    public var description: String
}

/// A file to write, relative to its output directory (gen/rtl or gen/tb).
public struct GeneratedFile: Hashable, Codable, Sendable {
    public var path: String
    public var contents: String

    public init(path: String, contents: String) {
        self.path = path
        self.contents = contents
    }
}

/// The whole generated hardware design and its interface.
public struct RTLDesign: Hashable, Codable, Sendable {
    /// Partition modules (layer by layer), then layer modules, then the top.
    public var files: [GeneratedFile]
    /// Models of vendor cells the design instantiates, for simulation only
    /// (never synthesised or packaged).
    public var simulationModels: [GeneratedFile]
    public var topName: String
    public var inputWidth: Int
    public var outputWidth: Int
    /// Width of `out_class`, 0 when the design has no argmax.
    public var classWidth: Int
    /// Cycles from `in_valid` to the matching `out_valid`.
    public var latency: Int
    public var ports: [RTLPort]
    /// The AXI4-Stream byte layout; nil with the raw interface.
    public var axis: AXISLayout?
    /// The input encoder; nil when the input port carries codes.
    public var encoder: InputEncoderRTL? = nil
    /// Bits of one feature on the input port: a code, or a raw value with the encoder.
    public var inputFieldBits: Int
}

/// Why RTL could not be generated, simulated or estimated.
public struct RTLError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A simulator or yosys run failed (exit 1).
extension RTLError: UserFacingError {
    public var userErrors: [UserError] { [UserError(description)] }
}
