/// Finds the line of a key in TOML text, best effort: the TOML library reports
/// lines only for syntax errors, so diagnostics about values look the key up
/// here. Understands `[table]` headers, `[[array.of.tables]]` and inline
/// tables inside arrays (`layers = [ { partitions = 64 }, … ]`).
struct TOMLKeyLocator {
    private let text: [UInt8]

    init(text: String) {
        self.text = Array(text.utf8)
    }

    /// 1-based line of `path`, or of its closest located ancestor; nil if not even its table is found.
    func line(of path: ConfigKeyPath) -> Int? {
        var found: Int? = nil
        for length in 1...max(path.components.count, 1) where length <= path.components.count {
            let prefix = ConfigKeyPath(components: Array(path.components.prefix(length)))
            guard let offset = offset(of: prefix) else { break }
            found = offset
        }
        return found.map(lineNumber(at:))
    }

    private func lineNumber(at offset: Int) -> Int {
        1 + text[..<offset].lazy.filter { $0 == UInt8(ascii: "\n") }.count
    }

    /// Byte offset where `path` is defined.
    private func offset(of path: ConfigKeyPath) -> Int? {
        guard case .key(let table) = path.components.first else { return nil }
        let rest = Array(path.components.dropFirst())
        // [[table.key]] arrays of tables: the i-th header, then keys below it.
        if case .key(let arrayKey)? = rest.first,
           case let headers = headerOffsets(named: "[[\(table).\(arrayKey)]]"), !headers.isEmpty {
            guard rest.count >= 2, case .index(let i) = rest[1] else { return headers[0] }
            if i < headers.count {
                let start = headers[i]
                guard rest.count >= 3, case .key(let key) = rest[2] else { return start }
                return keyOffset(key, from: lineEnd(start), to: nextHeader(after: start)) ?? start
            }
        }
        guard let header = headerOffsets(named: "[\(table)]").first else { return nil }
        guard case .key(let key)? = rest.first else { return header }
        let sectionEnd = nextHeader(after: header)
        guard let keyStart = keyOffset(key, from: lineEnd(header), to: sectionEnd) else { return nil }
        guard rest.count >= 2, case .index(let i) = rest[1] else { return keyStart }
        // Element i of an inline array: position of its first character.
        guard let element = arrayElement(i, after: keyStart, limit: sectionEnd) else { return keyStart }
        guard rest.count >= 3, case .key(let inner) = rest[2] else { return element.lowerBound }
        return keyOffset(inner, from: element.lowerBound, to: element.upperBound, atLineStart: false) ?? element.lowerBound
    }

    private func headerOffsets(named header: String) -> [Int] {
        var result: [Int] = []
        var start = 0
        while start < text.count {
            let end = lineEnd(start)
            let line = String(decoding: text[start..<end], as: UTF8.self)
            let trimmed = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            if trimmed.filter({ $0 != " " && $0 != "\t" }) == header { result.append(start) }
            start = end + 1
        }
        return result
    }

    private func lineEnd(_ offset: Int) -> Int {
        var i = offset
        while i < text.count && text[i] != UInt8(ascii: "\n") { i += 1 }
        return i
    }

    /// Start of the next table header after the line at `offset` (or the end).
    private func nextHeader(after offset: Int) -> Int {
        var start = lineEnd(offset) + 1
        while start < text.count {
            var i = start
            while i < text.count && (text[i] == 0x20 || text[i] == 0x09) { i += 1 }
            if i < text.count && text[i] == UInt8(ascii: "[") { return start }
            start = lineEnd(start) + 1
        }
        return text.count
    }

    /// Offset of `key =` (bare or quoted) between `from` and `to`.
    private func keyOffset(_ key: String, from: Int, to: Int, atLineStart: Bool = true) -> Int? {
        let candidates = [Array(key.utf8), Array("\"\(key)\"".utf8)]
        var i = from
        while i < min(to, text.count) {
            let boundaryOK = i == 0 || !isKeyCharacter(text[i - 1])
            let lineStartOK = !atLineStart || onlyBlanksBefore(i)
            if boundaryOK && lineStartOK {
                for candidate in candidates where matches(candidate, at: i) {
                    var j = i + candidate.count
                    while j < text.count && (text[j] == 0x20 || text[j] == 0x09) { j += 1 }
                    if j < text.count && text[j] == UInt8(ascii: "=") { return i }
                }
            }
            i += 1
        }
        return nil
    }

    private func onlyBlanksBefore(_ offset: Int) -> Bool {
        var i = offset - 1
        while i >= 0 && text[i] != UInt8(ascii: "\n") {
            if text[i] != 0x20 && text[i] != 0x09 { return false }
            i -= 1
        }
        return true
    }

    private func matches(_ pattern: [UInt8], at offset: Int) -> Bool {
        offset + pattern.count <= text.count && text[offset ..< offset + pattern.count].elementsEqual(pattern)
    }

    private func isKeyCharacter(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2D
    }

    /// The byte range of element `index` of the array assigned at `keyStart`.
    private func arrayElement(_ index: Int, after keyStart: Int, limit: Int) -> Range<Int>? {
        var i = keyStart
        while i < limit && text[i] != UInt8(ascii: "[") { i += 1 }
        guard i < limit else { return nil }
        var depth = 0, count = 0
        var elementStart: Int? = nil
        var inString: UInt8? = nil
        while i < limit {
            let c = text[i]
            if let quote = inString {
                if c == quote { inString = nil }
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                inString = c
                if depth == 1 && elementStart == nil { elementStart = i }
            } else if c == UInt8(ascii: "#") {
                i = lineEnd(i)
                continue
            } else if c == UInt8(ascii: "[") || c == UInt8(ascii: "{") {
                depth += 1
                if depth == 2 && elementStart == nil { elementStart = i }
            } else if c == UInt8(ascii: "]") || c == UInt8(ascii: "}") {
                if depth == 1 {
                    if let start = elementStart, count == index { return start..<i }
                    return nil
                }
                depth -= 1
            } else if c == UInt8(ascii: ",") && depth == 1 {
                if let start = elementStart {
                    if count == index { return start..<i }
                    count += 1
                    elementStart = nil
                }
            } else if depth == 1 && elementStart == nil && c != 0x20 && c != 0x09 && c != 0x0A && c != 0x0D {
                elementStart = i
            }
            i += 1
        }
        return nil
    }
}
