/// Suggestions for misspelt names: project-file keys and values, data columns.
public enum EditDistance {
    /// Levenshtein distance between `a` and `b`.
    public static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The closest candidate within a third of the word's length (at least 2 edits).
    public static func closest(to word: String, among candidates: [String]) -> String? {
        let length = word.count
        let limit = max(2, length / 3)
        // Words whose lengths differ by more than the limit are never close: skip the quadratic distance.
        let scored = candidates.filter { abs($0.count - length) <= limit }.map {
            (candidate: $0, distance: between(word.lowercased(), $0.lowercased()))
        }
        guard let best = scored.min(by: { ($0.distance, $0.candidate) < ($1.distance, $1.candidate) }),
            best.distance <= limit
        else { return nil }
        return best.candidate
    }

    /// `; did you mean 'fan_in'?` or nothing.
    public static func suggestion(for word: String, among candidates: [String]) -> String {
        closest(to: word, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }
}
