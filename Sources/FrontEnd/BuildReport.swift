import BuildGraph
import Foundation
import Pipeline

/// Text for the build commands, kept out of the CLI so it is tested here.
public enum BuildReport {
    /// One line per run of units sharing a parent and the same reasons:
    /// `train/layer2/{p0 … p99} (100): parameters changed`.
    public static func explanation(_ stale: [StaleStep]) -> [String] {
        var lines: [String] = []
        var index = 0
        while index < stale.count {
            let parent = parentOf(stale[index].id)
            let reasons = reasonText(stale[index])
            var end = index + 1
            while end < stale.count, parentOf(stale[end].id) == parent, reasonText(stale[end]) == reasons { end += 1 }
            if end - index >= 3, let parent {
                let first = String(stale[index].id.dropFirst(parent.count + 1))
                let last = String(stale[end - 1].id.dropFirst(parent.count + 1))
                lines.append("\(parent)/{\(first) … \(last)} (\(end - index)): \(reasons)")
            } else {
                for step in stale[index..<end] { lines.append("\(step.id): \(reasonText(step, generic: false))") }
            }
            index = end
        }
        return lines
    }

    /// The reasons in one line; inputs waiting on other steps are summed up,
    /// and (when `generic`) the unit's own name becomes `*`, so that sibling
    /// units with the same story group together.
    static func reasonText(_ step: StaleStep, generic: Bool = true) -> String {
        var parts: [String] = []
        var producers: [String] = []
        for reason in step.reasons {
            if case .inputPending(_, let producer) = reason {
                if !producers.contains(producer) { producers.append(producer) }
            } else {
                parts.append(reason.description)
            }
        }
        if !producers.isEmpty {
            let shown = producers.prefix(3).joined(separator: ", ") + (producers.count > 3 ? ", … (\(producers.count) steps)" : "")
            parts.append("waits for \(shown), which may change its input")
        }
        var text = parts.joined(separator: "; ")
        if generic, let slash = step.id.lastIndex(of: "/") {
            let own = step.id[step.id.index(after: slash)...]
            text = text.replacingOccurrences(of: "/" + own + " ", with: "/* ")
                .replacingOccurrences(of: "/" + own + ",", with: "/*,")
        }
        return text
    }

    /// `ran 83 steps (110 units, trained 24 partitions), 0 cached, wrote 83 files`.
    /// Steps are what the progress counter `[83/83]` counts; a step that trains
    /// or maps many partitions runs one unit per partition, so units are named apart.
    public static func summary(_ summary: BuildSummary) -> String {
        let trained = BuildPipeline.trainedPartitions(summary).count
        let steps = summary.ranSteps.count, units = summary.ran.count
        var text = "ran \(steps) step\(steps == 1 ? "" : "s")"
        var details: [String] = []
        if units != steps { details.append("\(units) unit\(units == 1 ? "" : "s")") }
        if trained > 0 { details.append("trained \(trained) partition\(trained == 1 ? "" : "s")") }
        if !details.isEmpty { text += " (" + details.joined(separator: ", ") + ")" }
        text += ", \(summary.cached.count) cached"
        if !summary.fetched.isEmpty {
            text += " (\(summary.fetched.count) result\(summary.fetched.count == 1 ? "" : "s") from the remote cache)"
        }
        if summary.uploaded > 0 { text += ", uploaded \(summary.uploaded) result\(summary.uploaded == 1 ? "" : "s")" }
        text += ", wrote \(summary.written.count) file\(summary.written.count == 1 ? "" : "s")"
        if !summary.removed.isEmpty { text += ", removed \(summary.removed.count)" }
        if !summary.corruptObjects.isEmpty { text += ", rebuilt \(summary.corruptObjects.count) corrupt cache object(s)" }
        return text
    }

    private static func parentOf(_ id: String) -> String? {
        guard let slash = id.lastIndex(of: "/") else { return nil }
        return String(id[..<slash])
    }
}
