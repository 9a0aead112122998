import HDLNames
import TOMLKit

/// Reads `lutbuild.toml` section by section with the key table
/// (`ProjectKeys`). Cross-key rules live in `ProjectConfigRules`.
package enum ProjectConfigSchema {
    static let sections = ["project", "dataset", "model", "train", "rtl", "hardware", "fpga", "cache", "sweep"]

    /// Every key the schema reads, as `section.key` (`model.layers[].key` for
    /// a layer's, `sweep.slurm.key`): the one list the key table test and the
    /// docs test check against.
    package static var allKeys: Set<String> { Set(ProjectKeys.all.map(\.key)) }

    /// The config, or nil when a required key is missing (reported).
    package static func read(_ root: TOMLTable, with r: inout TOMLReader) -> ProjectConfig? {
        let top = ConfigKeyPath()
        r.checkKeys(of: root, at: top, known: sections, what: "section")
        for key in sections where root[key] != nil && root[key]?.table == nil {
            r.report(top.appending(key), "expected a [\(key)] table, found \(r.article(root[key]!.type))")
        }
        func section<S>(_ table: KeyTable<S>, missing: String? = nil) -> (value: S, complete: Bool) {
            let name = table.section
            if let missing, root[name]?.table == nil {
                // A required section that is absent (or no table, reported above) has nothing to read.
                if root[name] == nil { r.report(top.appending(name), "missing [\(name)] section; expected at least \(missing)") }
                return (table.defaults, false)
            }
            return table.read(root[name]?.table ?? TOMLTable(), at: top.appending(name), with: &r)
        }
        let project = section(ProjectKeys.project, missing: "name = \"my_design\"")
        let dataset = section(ProjectKeys.dataset, missing: "train = \"data/….csv\"")
        let model = section(ProjectKeys.model).value
        let train = section(ProjectKeys.train).value
        let rtl = section(ProjectKeys.rtl).value
        let hardware = section(ProjectKeys.hardware).value
        let fpga = section(ProjectKeys.fpga).value
        let cache = section(ProjectKeys.cache).value
        let sweep = readSweep(root["sweep"]?.table ?? TOMLTable(), with: &r)
        guard project.complete, dataset.complete else { return nil }
        return ProjectConfig(
            project: project.value, dataset: dataset.value, model: model, train: train, rtl: rtl, hardware: hardware, fpga: fpga,
            cache: cache, sweep: sweep)
    }

    /// `class_names = ["benign", "malignant"]`: one line of text each, distinct.
    static func readClassNames(_ table: TOMLTable, at path: ConfigKeyPath, with r: inout TOMLReader) -> [String]? {
        guard let value = table["class_names"] else { return nil }
        guard let array = value.array, !array.isEmpty, array.allSatisfy({ $0.string != nil }) else {
            r.report(path.appending("class_names"), "expected a non-empty array of names in label order, e.g. [\"benign\", \"malignant\"]")
            return nil
        }
        let names = array.compactMap(\.string)
        if let bad = names.first(where: { $0.isEmpty || !Identifiers.isSingleLineText($0) }) {
            r.report(path.appending("class_names"), "expected names of one line of text each, found \(String(reflecting: bad))")
            return nil
        }
        if Set(names).count != names.count {
            r.report(path.appending("class_names"), "a name appears more than once; expected one distinct name per class")
            return nil
        }
        return names
    }
}
