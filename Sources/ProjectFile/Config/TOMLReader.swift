import Datasets
import TOMLKit

/// Reads typed values out of a parsed TOML document while collecting one
/// diagnostic per problem (wrong type, out of range, unknown key) instead of
/// stopping at the first.
package struct TOMLReader {
    package let file: String
    let locator: TOMLKeyLocator
    private(set) var diagnostics: [ProjectDiagnostic] = []
    /// The same problems as a set, so checking for a repeat stays constant-time.
    private var reported: Set<ProjectDiagnostic> = []

    package init(file: String, text: String) {
        self.file = file
        self.locator = TOMLKeyLocator(text: text)
    }

    /// Records one problem (once, even if several rules find it). Every
    /// problem is reported at a key of the key table (or a section, a layer,
    /// or an unknown key the user wrote), so a rule cannot name a key that
    /// the schema does not read: a misspelt path stops the tests.
    package mutating func report(_ path: ConfigKeyPath, _ message: String, unknownKey: Bool = false) {
        assert(unknownKey || ProjectKeys.isReportable(path), "\(path) is no key of the key table")
        let diagnostic = ProjectDiagnostic(file: file, line: locator.line(of: path), key: path.description, message: message)
        if reported.insert(diagnostic).inserted { diagnostics.append(diagnostic) }
    }

    /// Reports keys of `table` not in `known`, with a did-you-mean.
    mutating func checkKeys(of table: TOMLTable, at path: ConfigKeyPath, known: [String], what: String = "key") {
        for key in table.keys where !known.contains(key) {
            let hint = EditDistance.suggestion(for: key, among: known)
            report(path.appending(key), "unknown \(what)\(hint) (expected one of: \(known.joined(separator: ", ")))", unknownKey: true)
        }
    }

    /// The sub-table at `key`, or nil (reported) if it is something else.
    package mutating func table(_ parent: TOMLTable, _ key: String, at path: ConfigKeyPath) -> TOMLTable? {
        guard let value = parent[key] else { return nil }
        guard let table = value.table else {
            report(path.appending(key), "expected a table, found \(article(value.type))")
            return nil
        }
        return table
    }

    package mutating func string(_ table: TOMLTable, _ key: String, at path: ConfigKeyPath) -> String? {
        guard let value = table[key] else { return nil }
        guard let string = value.string else {
            report(path.appending(key), "expected a string, found \(article(value.type))")
            return nil
        }
        return string
    }

    package mutating func bool(_ table: TOMLTable, _ key: String, at path: ConfigKeyPath) -> Bool? {
        guard let value = table[key] else { return nil }
        guard let bool = value.bool else {
            report(path.appending(key), "expected true or false, found \(article(value.type))")
            return nil
        }
        return bool
    }

    /// An integer within `range` (reported with the range when outside).
    package mutating func int(_ table: TOMLTable, _ key: String, at path: ConfigKeyPath, in range: ClosedRange<Int>) -> Int? {
        guard let value = table[key] else { return nil }
        guard let int = value.int else {
            report(path.appending(key), "expected an integer in \(rangeText(range)), found \(article(value.type))")
            return nil
        }
        guard range.contains(int) else {
            report(path.appending(key), "expected an integer in \(rangeText(range)), found \(int)")
            return nil
        }
        return int
    }

    /// A number (integer or float) within `range`; `closedAbove` false makes the upper bound exclusive.
    package mutating func double(
        _ table: TOMLTable, _ key: String, at path: ConfigKeyPath, in range: ClosedRange<Double>, closedAbove: Bool = true
    ) -> Double? {
        guard let value = table[key] else { return nil }
        // The docs' spelling of the range, so the message and docs/project-file.md agree.
        let expectation = "expected a \(KeyType.number(range, closedAbove: closedAbove).documented)"
        guard let number = value.double ?? value.int.map(Double.init) else {
            report(path.appending(key), "\(expectation), found \(article(value.type))")
            return nil
        }
        guard range.contains(number), closedAbove || number < range.upperBound else {
            report(path.appending(key), "\(expectation), found \(KeyType.number(number))")
            return nil
        }
        return number
    }

    /// A string that must be one of `choices`.
    package mutating func choice<T: RawRepresentable & CaseIterable>(
        _ table: TOMLTable, _ key: String, at path: ConfigKeyPath, as type: T.Type
    ) -> T? where T.RawValue == String {
        guard let text = string(table, key, at: path) else { return nil }
        if let value = T(rawValue: text) { return value }
        let names = T.allCases.map(\.rawValue)
        let hint = EditDistance.closest(to: text, among: names).map { "; did you mean \"\($0)\"?" } ?? ""
        report(path.appending(key), "expected one of \(names.map { "\"\($0)\"" }.joined(separator: ", ")), found \"\(text)\"\(hint)")
        return nil
    }

    func article(_ type: TOMLType) -> String {
        switch type {
        case .int: "an integer"
        case .array: "an array"
        default: "a \(type.description)"
        }
    }

    private func rangeText(_ range: ClosedRange<Int>) -> String {
        range.upperBound == Int.max ? "\(range.lowerBound)…" : "\(range.lowerBound)…\(range.upperBound)"
    }
}
