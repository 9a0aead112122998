import Foundation
import TOMLKit
import ProjectFile

/// One `--set KEY=V1,V2,…` of `lutbuild sweep`: a project-file key and the
/// values it takes, in the order given.
public struct SweepAxis: Sendable, Equatable {
    /// The argument as typed, which names the axis in messages.
    public var argument: String
    /// The key as written, e.g. `model.layers[1].fan_in`.
    public var key: String
    /// TOML value texts, e.g. `3`, `3e-3`, `"unseen"` (a bare word is a string).
    public var values: [String]
    let path: ConfigKeyPath

    /// Parses `KEY=V1,V2,…`; commas inside quotes or brackets do not split.
    /// Syntax problems are diagnostics naming the argument; whether the key
    /// exists and the values fit is the project file's rules' job (`SweepPlan`).
    static func parse(_ argument: String) -> Result<SweepAxis, ProjectError> {
        func problem(_ key: String, _ message: String) -> Result<SweepAxis, ProjectError> {
            .failure(ProjectError(diagnostics: [ProjectDiagnostic(file: "--set \(argument)", line: nil, key: key, message: message)]))
        }
        guard let equals = argument.firstIndex(of: "=") else {
            return problem("", "expected KEY=VALUE[,VALUE…], e.g. --set model.fan_in=4,6")
        }
        let key = argument[..<equals].trimmingCharacters(in: .whitespaces)
        guard let path = ConfigKeyPath(parsing: key) else {
            return problem(key, "expected a key such as train.epochs or model.layers[1].fan_in")
        }
        let values = splitValues(String(argument[argument.index(after: equals)...]))
        if values.isEmpty || values.contains(where: \.isEmpty) {
            return problem(key, "expected one or more comma-separated values, e.g. \(key)=4,6; found an empty value")
        }
        // Compared by TOML value, so `3e-3,0.003` or `6,+6` cannot run one point twice.
        let parsed = values.map(SweepPointResult.Value.init(toml:))
        if let second = parsed.indices.first(where: { parsed[..<$0].contains(parsed[$0]) }),
            let first = parsed.firstIndex(of: parsed[second])
        {
            let given =
                values[first] == values[second]
                ? "the value \(values[first]) is given twice"
                : "the values \(values[first]) and \(values[second]) are the same value"
            return problem(key, "\(given); each point must differ")
        }
        return .success(SweepAxis(argument: argument, key: key, values: values, path: path))
    }

    /// Splits on commas outside quotes, brackets and braces; trims blanks.
    static func splitValues(_ text: String) -> [String] {
        var values: [String] = [], current = "", depth = 0
        var quote: Character? = nil
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "[" || character == "{" {
                depth += 1
            } else if character == "]" || character == "}" {
                depth -= 1
            } else if character == ",", depth == 0 {
                values.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
                continue
            }
            current.append(character)
        }
        values.append(current.trimmingCharacters(in: .whitespaces))
        return values
    }

    /// The TOML value of `text` for this axis's key: for a key that holds a
    /// string, any unquoted text is that string (`sweep.slurm.time=30`,
    /// `project.version=2.0`), as the key table types it.
    func tomlValue(_ text: String) -> TOMLValueConvertible {
        switch ProjectKeys.entry(at: path)?.type {
        case .string?, .path?, .choice?:
            text.hasPrefix("\"") || text.hasPrefix("'") ? Self.tomlValue(text) : text
        default: Self.tomlValue(text)
        }
    }

    /// The TOML value of `text`; a bare word that is no TOML value (`unseen`) is that string.
    static func tomlValue(_ text: String) -> TOMLValueConvertible {
        if let table = try? TOMLTable(string: "v = \(text)"), let value = table["v"] { return value }
        return text
    }
}

extension ConfigKeyPath {
    /// `model.layers[1].fan_in` → key, key, index, key; nil when malformed.
    init?(parsing text: String) {
        var components: [Component] = []
        for segment in text.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(segment)
            let bracket = rest.firstIndex(of: "[") ?? rest.endIndex
            let name = rest[..<bracket]
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else { return nil }
            components.append(.key(String(name)))
            rest = rest[bracket...]
            while !rest.isEmpty {
                guard rest.first == "[", let close = rest.firstIndex(of: "]"),
                    let index = Int(rest[rest.index(after: rest.startIndex)..<close]), index >= 0
                else { return nil }
                components.append(.index(index))
                rest = rest[rest.index(after: close)...]
            }
        }
        guard !components.isEmpty else { return nil }
        self.init(components: components)
    }

    /// Whether `self` is `other` or lies inside it (`model.layers[1].bits` inside `model.layers`).
    func isWithin(_ other: ConfigKeyPath) -> Bool {
        components.count >= other.components.count && Array(components.prefix(other.components.count)) == other.components
    }
}

extension TOMLTable {
    /// Sets the value at `path`, creating missing tables on the way; the
    /// message says why it cannot (an index past the end, a non-table).
    func setting(_ value: TOMLValueConvertible, at path: ConfigKeyPath) -> String? {
        var table = self
        var walked = ConfigKeyPath()
        var components = path.components[...]
        while let component = components.popFirst() {
            guard case .key(let key) = component else { return "expected a key before [index]" }
            if components.isEmpty {
                table[key] = value
                return nil
            }
            walked = walked.appending(key)
            if case .index(let index) = components.first! {
                components.removeFirst()
                guard let array = table[key]?.array else { return "\(walked) is not an array in the project file" }
                guard index < array.count else {
                    return "\(walked) has \(array.count) entr\(array.count == 1 ? "y" : "ies"); expected an index 0…\(array.count - 1)"
                }
                walked = walked.appending(index: index)
                if components.isEmpty {
                    array[index] = value.tomlValue
                    return nil
                }
                guard let element = array[index].table else { return "\(walked) is not a table" }
                table = element
            } else {
                if table[key] == nil { table[key] = TOMLTable() }
                guard let next = table[key]?.table else { return "\(walked) is not a table in the project file" }
                table = next
            }
        }
        return nil
    }
}
