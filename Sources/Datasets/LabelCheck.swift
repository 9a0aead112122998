import Diagnostics

/// The one rule for class labels shared by all loaders.
enum LabelCheck {
    /// What is wrong with one label (already shifted down by `offset`), or nil
    /// when it is fine: negative labels are always wrong, and with `declared`
    /// classes every label must be below it. Messages quote the file's value.
    static func problem(with label: Int32, declared: Int?, offset: Int) -> String? {
        guard label < 0 || declared.map({ Int(label) >= $0 }) ?? false else { return nil }
        let expected = declared.map { "a class label in \(offset)…\($0 - 1 + offset)" } ?? "a class label ≥ \(offset)"
        let shift = offset == 0 ? "" : " (labels are counted from label_offset = \(offset))"
        return "expected \(expected), found \(Int(label) + offset)\(shift)"
    }

    /// The number of classes: `declared` when given, else the largest label + 1.
    /// Throws every label's `problem` at once, or that the labels are numbered from 1.
    /// `labels` are already shifted down by `offset`.
    /// `error(index, expectation)` places the message in the loader's file.
    static func classes(
        of labels: [Int32], declared: Int?, offset: Int = 0,
        error: (_ index: Int, _ message: String) -> DatasetError
    ) throws -> Int {
        var largest: Int32 = -1
        var problems = ScreenfulList<DatasetError>()
        for (i, label) in labels.enumerated() {
            if let problem = problem(with: label, declared: declared, offset: offset) {
                problems.append(error(i, problem))
            }
            largest = max(largest, label)
        }
        try DatasetErrors.throwIfAny(problems)
        // Every class from 1 to the largest present but no 0: numbered from 1,
        // which would silently add an empty class 0.
        if declared == nil, offset == 0, largest >= 2, let first = labels.firstIndex(of: 1), !labels.contains(0),
           Set(labels).count == Int(largest) {
            var numberedFromOne = error(first, "class labels must start at 0, but these run from 1 to \(largest) "
                + "(numbered from 1?); set dataset.label_offset = 1, or renumber them from 0")
            numberedFromOne.suggestedLabelOffset = 1
            throw numberedFromOne
        }
        return declared ?? Int(largest) + 1
    }
}
