import Foundation
import Synchronization

/// Turns build events into text: a ninja-style status line rewritten in place
/// on a terminal, plain lines in logs, or one JSON object per line for machines.
///
/// Plain logs stay short: the status of long work (`BuildEvent.status`) gets
/// a line at each tenth of it done and otherwise at most one every
/// `plainStatusInterval` seconds, not one per update.
public final class BuildEventRenderer: Sendable {
    public enum Style: Sendable {
        case statusLine
        case plain
        case json
    }

    private let style: Style
    private let write: @Sendable (String) -> Void
    /// Whether a status line is on screen (and must be ended before other
    /// output), and the last `[done/total]` counter, repeated on progress lines.
    private let line = Mutex((shown: false, counter: ""))
    /// Per step, the last status shown in a plain log: its tenth and when.
    private let shownStatus = Mutex([String: (tenth: Int, time: Double)]())
    private let now: @Sendable () -> Double

    /// Seconds between two status lines of one step in a plain log, unless a tenth is crossed.
    public static let plainStatusInterval = 10.0

    /// `now` is a clock in seconds (injectable for tests).
    public init(
        style: Style, write: @escaping @Sendable (String) -> Void,
        now: @escaping @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    ) {
        self.style = style
        self.write = write
        self.now = now
    }

    /// Picks the status line on a terminal, plain lines otherwise.
    public static func standardError(json: Bool) -> BuildEventRenderer {
        let style: Style = json ? .json : (isatty(2) == 1 ? .statusLine : .plain)
        return BuildEventRenderer(
            style: style,
            write: { text in
                FileHandle.standardError.write(Data(text.utf8))
            })
    }

    public func render(_ event: BuildEvent) {
        switch style {
        case .json: write(Self.json(event) + "\n")
        case .plain:
            if case .status(let step, _, let fraction) = event, !showsPlainStatus(step: step, fraction: fraction) { return }
            if let line = Self.plainLine(event) { write(line + "\n") }
        case .statusLine: renderStatusLine(event)
        }
    }

    /// Ends the status line, if one is shown.
    public func finish() {
        line.withLock { line in
            if line.shown { write("\n") }
            line.shown = false
        }
    }

    /// Whether a plain log shows this status: the first of a step, one that
    /// crosses a tenth, or one after `plainStatusInterval` seconds of silence.
    private func showsPlainStatus(step: String, fraction: Double) -> Bool {
        let tenth = Int((min(max(fraction, 0), 1) * 10).rounded(.down))
        let time = now()
        return shownStatus.withLock { shown in
            if let last = shown[step], tenth <= last.tenth, time - last.time < Self.plainStatusInterval { return false }
            shown[step] = (tenth: max(tenth, shown[step]?.tenth ?? -1), time: time)
            return true
        }
    }

    /// A line of its own between events (e.g. a finished sweep point): it
    /// replaces the status line, which the next event draws again below it.
    public func note(_ text: String) {
        line.withLock { line in
            switch style {
            case .json: return
            case .statusLine: write("\r\(text)\u{1B}[K\n")
            case .plain: write(text + "\n")
            }
            line.shown = false
        }
    }

    /// `tabulate/layer2/p17` → `tabulate layer2/p17`.
    static func display(_ step: String) -> String {
        guard let slash = step.firstIndex(of: "/") else { return step }
        return step[..<slash] + " " + step[step.index(after: slash)...]
    }

    private func renderStatusLine(_ event: BuildEvent) {
        line.withLock { line in
            switch event {
            case .started(let step, _, let done, let total), .finished(let step, _, _, let done, let total):
                line.counter = "[\(done)/\(total)]"
                write("\r\(line.counter) \(Self.display(step))\u{1B}[K")
                line.shown = true
            case .cached: break
            case .progress(let step, let message), .status(let step, let message, _):
                write("\r\(line.counter.isEmpty ? "" : line.counter + " ")\(Self.display(step)): \(message)\u{1B}[K")
                line.shown = true
            case .failed, .warning:
                if line.shown { write("\n") }
                line.shown = false
                if let text = Self.plainLine(event) { write(text + "\n") }
            }
        }
    }

    static func plainLine(_ event: BuildEvent) -> String? {
        switch event {
        case .started: nil
        case .cached: nil
        case .finished(let step, _, let seconds, let done, let total):
            "[\(done)/\(total)] \(display(step)) (\(String(format: "%.2f", seconds)) s)"
        case .progress(let step, let message), .status(let step, let message, _): "\(display(step)): \(message)"
        // The message itself comes with the build's error at the end.
        case .failed(let step, _, _, _): "FAILED: \(display(step))"
        case .warning(let message): "warning: \(message)"
        }
    }

    static func json(_ event: BuildEvent) -> String {
        var object: [String: Any]
        switch event {
        case .started(let step, let kind, let done, let total):
            object = ["event": "started", "step": step, "kind": kind, "done": done, "total": total]
        case .finished(let step, let units, let seconds, let done, let total):
            object = ["event": "finished", "step": step, "units": units, "seconds": seconds, "done": done, "total": total]
        case .cached(let step, let done, let total):
            object = ["event": "cached", "step": step, "done": done, "total": total]
        case .failed(let step, let message, let done, let total):
            object = ["event": "failed", "step": step, "message": message, "done": done, "total": total]
        case .progress(let step, let message):
            object = ["event": "progress", "step": step, "message": message]
        case .status(let step, let message, let fraction):
            object = ["event": "progress", "step": step, "message": message, "fraction": fraction]
        case .warning(let message):
            object = ["event": "warning", "message": message]
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
