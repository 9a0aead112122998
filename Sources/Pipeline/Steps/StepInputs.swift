import BuildGraph
import Foundation

/// A step input as the step reads it: the name it is declared under and the
/// decoder of its bytes. A step declares each input once, as a constant; the
/// graph binds that constant to a source (`StepInputs.bind`) and `run` reads
/// it with the same constant (`StepContext.read`), so an input's name is
/// never spelled twice and its bytes are always decoded the same way.
struct StepInputName<Value>: Sendable {
    let name: String
    let decode: @Sendable (Data) throws -> Value

    init(_ name: String, decode: @escaping @Sendable (Data) throws -> Value) {
        self.name = name
        self.decode = decode
    }
}

extension StepInputName where Value == Data {
    /// An input read as its bytes (RTL files, documents, loosely read reports).
    init(_ name: String) {
        self.init(name) { $0 }
    }
}

/// A family of inputs named `prefix/key`, one per partition, file or document.
struct StepInputFamily<Value>: Sendable {
    let prefix: String
    let decode: @Sendable (Data) throws -> Value

    init(_ prefix: String, decode: @escaping @Sendable (Data) throws -> Value) {
        self.prefix = prefix
        self.decode = decode
    }

    subscript(key: String) -> StepInputName<Value> { StepInputName(prefix + "/" + key, decode: decode) }
}

extension StepInputFamily where Value == Data {
    init(_ prefix: String) {
        self.init(prefix) { $0 }
    }
}

/// Where an input comes from (another step's output or a source file),
/// typed by what its bytes hold, so binding it to an input of another type
/// does not compile.
struct StepSource<Value>: Sendable {
    let input: StepInput

    static func output(step: String, name: String) -> StepSource { StepSource(input: .output(step: step, name: name)) }
}

extension StepSource where Value == Data {
    static func source(_ path: String) -> StepSource { StepSource(input: .source(path)) }
}

/// The inputs one step declares, each bound once.
struct StepInputs: Sendable {
    private(set) var sources: [String: StepInput] = [:]

    init() {}

    /// Declares `input`, read from `source`. Declaring a name twice is a bug in the step.
    mutating func bind<Value>(_ input: StepInputName<Value>, to source: StepSource<Value>) {
        precondition(sources[input.name] == nil, "input '\(input.name)' is declared twice")
        sources[input.name] = source.input
    }
}

extension StepContext {
    /// The declared input `input`, digest-checked and decoded.
    func read<Value>(_ input: StepInputName<Value>) throws -> Value {
        try input.decode(try self.input(input.name))
    }
}
