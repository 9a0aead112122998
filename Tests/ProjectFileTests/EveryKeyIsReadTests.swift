import Foundation
import Testing
@testable import ProjectFile

/// Every key in the schema's list is really read and checked: set to a
/// value of no type any key takes (an inline table), it is reported at its
/// own key. A key listed but never read would pass silently instead.
@Suite struct EveryKeyIsReadTests {
    /// The project file with `key` (`section.key`, `model.layers[].key`) set to `{ wrong = 1 }`.
    static func file(setting key: String) -> String {
        let wrong = "{ wrong = 1 }"
        var sections: [String: [String]] = [
            "project": ["name = \"demo\""], "dataset": ["train = \"data/d.csv\""],
            "model": ["fan_in = 4", "layers = [{ partitions = 8 }, { partitions = 3 }]"],
        ]
        let parts = key.split(separator: ".").map(String.init)
        if key.hasPrefix("model.layers[].") {
            let first = parts.last! == "partitions" ? "partitions = \(wrong)" : "partitions = 8, \(parts.last!) = \(wrong)"
            sections["model"]![1] = "layers = [{ \(first) }, { partitions = 3 }]"
        } else {
            let section = parts.dropLast().joined(separator: "."), name = parts.last!
            var lines = sections[section, default: []].filter { !$0.hasPrefix(name + " ") }
            lines.append("\(name) = \(wrong)")
            sections[section] = lines
        }
        return sections.keys.sorted().map { "[\($0)]\n" + sections[$0]!.joined(separator: "\n") }.joined(separator: "\n\n") + "\n"
    }

    @Test(arguments: ProjectConfigSchema.allKeys.sorted())
    func aWrongValueIsReportedAtItsKey(_ key: String) {
        let expected = key.replacingOccurrences(of: "model.layers[].", with: "model.layers[0].")
        do {
            _ = try ProjectConfig.parse(text: Self.file(setting: key), path: "lutbuild.toml")
            Issue.record("\(key) = { wrong = 1 } was accepted")
        } catch let error as ProjectError {
            #expect(error.diagnostics.contains { $0.key == expected }, "\(key): \(error.diagnostics.map(\.description))")
        } catch {
            Issue.record("\(key): \(error)")
        }
    }
}
