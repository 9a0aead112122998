import Diagnostics

/// How many classes a data set may have: the project file's `dataset.classes`,
/// the loaders (a label sets the count to label + 1, so one wild label would
/// otherwise size a network of a billion outputs) and `lutbuild init` all
/// check against this range.
public enum ClassCount {
    /// At least two to tell apart; at most one output partition per class of a 16-bit class index.
    public static let allowed = 2...65_536

    /// Why data with `classes` classes cannot train a classifier, or nil
    /// (the upper bound is checked label by label, `LabelCheck`).
    /// `label` is the one label the file has, as the file writes it.
    public static func tooFew(_ classes: Int, label: Int, rows: Int) -> String? {
        guard classes < allowed.lowerBound else { return nil }
        return "expected at least \(allowed.lowerBound) classes to tell apart, but every label is \(label) "
            + "(\(rows == 1 ? "1 row" : "\(rows) rows")); a classifier needs rows of each class"
    }
}

/// The one rule for class labels shared by all loaders.
enum LabelCheck {
    /// What is wrong with one label (already shifted down by `offset`), or nil
    /// when it is fine: negative labels are always wrong, and every label must
    /// be below `declared` classes, or below `ClassCount.allowed`'s largest
    /// count when none are declared. Messages quote the file's value.
    static func problem(with label: Int32, declared: Int?, offset: Int) -> String? {
        let limit = declared ?? ClassCount.allowed.upperBound
        guard label < 0 || Int(label) >= limit else { return nil }
        let expected =
            switch (declared, label < 0) {
            case (nil, true): "a class label ≥ \(offset)"
            case (nil, false): "a class label in \(offset)…\(limit - 1 + offset) (at most \(limit) classes)"
            case (_?, _): "a class label in \(offset)…\(limit - 1 + offset)"
            }
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
            Set(labels).count == Int(largest)
        {
            var numberedFromOne = error(
                first,
                "class labels must start at 0, but these run from 1 to \(largest) "
                    + "(numbered from 1?); set dataset.label_offset = 1, or renumber them from 0")
            numberedFromOne.suggestedLabelOffset = 1
            throw numberedFromOne
        }
        return declared ?? Int(largest) + 1
    }
}
