import Diagnostics
import TOMLKit

/// What a key of `lutbuild.toml` holds, with its range: how the schema checks
/// a value and how docs/project-file.md's type column writes it.
package enum KeyType: Sendable, Equatable {
    case integer(ClosedRange<Int>)
    case number(ClosedRange<Double>, closedAbove: Bool)
    case boolean
    case string
    /// A string naming a file, relative to the project directory.
    case path
    case choice([String])
    case strings
    /// Checked by the key's own reader, described in words.
    case described(String)

    /// The docs' type cell.
    package var documented: String {
        switch self {
        case .integer(let range):
            range.upperBound == Int.max ? "integer ≥ \(range.lowerBound)" : "integer \(range.lowerBound)…\(range.upperBound)"
        case .number(let range, let closedAbove):
            "number in [\(Self.number(range.lowerBound)), \(Self.number(range.upperBound))\(closedAbove ? "]" : ")")"
        case .boolean: "bool"
        case .string: "string"
        case .path: "path"
        case .choice(let names): names.map { "`\"\($0)\"`" }.joined(separator: ", ")
        case .strings: "array of strings"
        case .described(let words): words
        }
    }

    /// A TOML basic string.
    package static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// A TOML number as the docs and messages write it: `500`, not `500.0`.
    package static func number(_ value: Double) -> String { plainNumber(value) }
}

/// One key of `lutbuild.toml` in one section: its name, type and range,
/// default, doc line and reader. Everything that knows a key (the schema,
/// `--set`, `init`'s starter file, the docs test) reads it from here.
package struct ProjectKey<Section> {
    package let name: String
    package let type: KeyType
    /// The start of the key's meaning in docs/project-file.md, and its comment in starter files.
    package let doc: String
    /// What a missing key's diagnostic expects; nil for an optional key.
    package let required: String?
    /// The default as the docs' default cell writes it, from the section's defaults.
    let describeDefault: (Section) -> String
    /// Reads the key's value (present or not) into the section; false when a
    /// required key is missing or its value was rejected (reported).
    let read: (inout TOMLReader, TOMLTable, ConfigKeyPath, inout Section) -> Bool

    package init(
        _ name: String, _ type: KeyType, doc: String, required: String? = nil, default describeDefault: @escaping (Section) -> String,
        read: @escaping (inout TOMLReader, TOMLTable, ConfigKeyPath, inout Section) -> Bool
    ) {
        self.name = name
        self.type = type
        self.doc = doc
        self.required = required
        self.describeDefault = describeDefault
        self.read = read
    }
}

/// A section's keys and its defaults: reads a TOML table into the section.
package struct KeyTable<Section> {
    /// `model`, `sweep.slurm`, or `model.layers[]` for a layer's keys.
    package let section: String
    package let defaults: Section
    package let keys: [ProjectKey<Section>]

    package var names: [String] { keys.map(\.name) }

    /// Key name → the docs' default cell.
    package func defaultText(of key: ProjectKey<Section>) -> String { key.describeDefault(defaults) }

    /// The section read from `table`, every problem reported; not complete
    /// when a required key is missing or rejected.
    func read(_ table: TOMLTable, at path: ConfigKeyPath, with r: inout TOMLReader) -> (value: Section, complete: Bool) {
        r.checkKeys(of: table, at: path, known: names)
        var value = defaults
        var complete = true
        for key in keys {
            if let expectation = key.required, table[key.name] == nil {
                r.report(path.appending(key.name), "missing; expected \(expectation)")
                complete = false
            } else if !key.read(&r, table, path, &value), key.required != nil {
                complete = false
            }
        }
        return (value, complete)
    }
}

// The readers of the common key types: each writes the value to its field and
// describes the default from the section's defaults.
extension ProjectKey {
    package static func integer<T: BinaryInteger>(
        _ name: String, _ field: WritableKeyPath<Section, T>, in range: ClosedRange<Int>, doc: String
    ) -> Self {
        ProjectKey(name, .integer(range), doc: doc, default: { "`\($0[keyPath: field])`" }) { r, table, path, section in
            guard let value = r.int(table, name, at: path, in: range) else { return table[name] == nil }
            section[keyPath: field] = T(value)
            return true
        }
    }

    package static func integer<T: BinaryInteger>(
        _ name: String, _ field: WritableKeyPath<Section, T?>, in range: ClosedRange<Int>, default words: String, doc: String
    ) -> Self {
        ProjectKey(name, .integer(range), doc: doc, default: { _ in words }) { r, table, path, section in
            guard let value = r.int(table, name, at: path, in: range) else { return table[name] == nil }
            section[keyPath: field] = T(value)
            return true
        }
    }

    package static func number(
        _ name: String, _ field: WritableKeyPath<Section, Double>, in range: ClosedRange<Double>, closedAbove: Bool = true,
        doc: String
    ) -> Self {
        ProjectKey(name, .number(range, closedAbove: closedAbove), doc: doc, default: { "`\(KeyType.number($0[keyPath: field]))`" }) {
            r, table, path, section in
            guard let value = r.double(table, name, at: path, in: range, closedAbove: closedAbove) else { return table[name] == nil }
            section[keyPath: field] = value
            return true
        }
    }

    package static func number(
        _ name: String, _ field: WritableKeyPath<Section, Double?>, in range: ClosedRange<Double>, default words: String,
        doc: String
    ) -> Self {
        ProjectKey(name, .number(range, closedAbove: true), doc: doc, default: { _ in words }) { r, table, path, section in
            guard let value = r.double(table, name, at: path, in: range) else { return table[name] == nil }
            section[keyPath: field] = value
            return true
        }
    }

    package static func boolean(_ name: String, _ field: WritableKeyPath<Section, Bool>, doc: String) -> Self {
        ProjectKey(name, .boolean, doc: doc, default: { "`\($0[keyPath: field])`" }) { r, table, path, section in
            guard let value = r.bool(table, name, at: path) else { return table[name] == nil }
            section[keyPath: field] = value
            return true
        }
    }

    /// A string key; a required one (`required` says what it expects) has no default.
    package static func string(
        _ name: String, _ field: WritableKeyPath<Section, String>, type: KeyType = .string, required: String? = nil, doc: String
    ) -> Self {
        ProjectKey(
            name, type, doc: doc, required: required,
            default: { required == nil ? "`\(KeyType.quoted($0[keyPath: field]))`" : "required" }
        ) { r, table, path, section in
            guard let value = r.string(table, name, at: path) else { return table[name] == nil }
            section[keyPath: field] = value
            return true
        }
    }

    /// A string key without a default value (`words` say what happens without it).
    package static func string(
        _ name: String, _ field: WritableKeyPath<Section, String?>, type: KeyType = .string, default words: String, doc: String
    ) -> Self {
        ProjectKey(name, type, doc: doc, default: { _ in words }) { r, table, path, section in
            guard let value = r.string(table, name, at: path) else { return table[name] == nil }
            section[keyPath: field] = value
            return true
        }
    }

    package static func choice<T: RawRepresentable & CaseIterable>(
        _ name: String, _ field: WritableKeyPath<Section, T>, doc: String
    ) -> Self
    where T.RawValue == String {
        ProjectKey(name, .choice(T.allCases.map(\.rawValue)), doc: doc, default: { "`\"\($0[keyPath: field].rawValue)\"`" }) {
            r, table, path, section in
            guard let value = r.choice(table, name, at: path, as: T.self) else { return table[name] == nil }
            section[keyPath: field] = value
            return true
        }
    }

    /// A non-empty array of strings (`example` shows one in the message).
    package static func strings(
        _ name: String, _ field: WritableKeyPath<Section, [String]>, default words: String? = nil, allowsEmpty: Bool = false,
        expected: String, doc: String
    ) -> Self {
        ProjectKey(
            name, .strings, doc: doc,
            default: { words ?? "`[\($0[keyPath: field].map(KeyType.quoted).joined(separator: ", "))]`" }
        ) { r, table, path, section in
            guard table[name] != nil else { return true }
            guard let strings = Self.strings(in: table, name), allowsEmpty || !strings.isEmpty else {
                r.report(path.appending(name), "expected \(expected)")
                return false
            }
            section[keyPath: field] = strings
            return true
        }
    }

    /// The array of strings at `name`, or nil when it is something else.
    private static func strings(in table: TOMLTable, _ name: String) -> [String]? {
        guard let array = table[name]?.array else { return nil }
        var strings: [String] = []
        for element in array {
            guard let string = element.string else { return nil }
            strings.append(string)
        }
        return strings
    }
}
