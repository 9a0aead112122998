/// Finds the line of a key in TOML text, best effort: the TOML library reports
/// lines only for syntax errors, so diagnostics about values look the key up
/// here. Understands `[table]` headers, `[[array.of.tables]]` and inline
/// tables inside arrays (`layers = [ { partitions = 64 }, … ]`).
///
/// One pass over the text indexes line starts, headers and the keys that open
/// a line; inline arrays are indexed the first time a key inside them is asked
/// for. Each lookup is then a dictionary hit, so a file with thousands of
/// problems is diagnosed in time linear in its size.
struct TOMLKeyLocator {
    private let index: Index

    package init(text: String) {
        self.index = Index(text: Array(text.utf8))
    }

    /// 1-based line of `path`, or of its closest located ancestor; nil if not even its table is found.
    package func line(of path: ConfigKeyPath) -> Int? {
        var found: Int? = nil
        for length in 1...max(path.components.count, 1) where length <= path.components.count {
            let prefix = ConfigKeyPath(components: Array(path.components.prefix(length)))
            guard let offset = offset(of: prefix) else { break }
            found = offset
        }
        return found.map(index.lineNumber(at:))
    }

    /// Byte offset where `path` is defined.
    private func offset(of path: ConfigKeyPath) -> Int? {
        guard case .key(let table) = path.components.first else { return nil }
        let rest = Array(path.components.dropFirst())
        // [[table.key]] arrays of tables: the i-th header, then keys below it.
        if case .key(let arrayKey)? = rest.first,
            let headers = index.headers["[[\(table).\(arrayKey)]]"], !headers.isEmpty
        {
            guard rest.count >= 2, case .index(let i) = rest[1] else { return headers[0].start }
            if i < headers.count {
                let section = headers[i]
                guard rest.count >= 3, case .key(let key) = rest[2] else { return section.start }
                return section.keys[key] ?? section.start
            }
        }
        guard let section = index.headers["[\(table)]"]?.first else { return nil }
        guard case .key(let key)? = rest.first else { return section.start }
        guard let keyStart = section.keys[key] else { return nil }
        guard rest.count >= 2, case .index(let i) = rest[1] else { return keyStart }
        // Element i of an inline array: position of its first character.
        let elements = index.arrayElements(after: keyStart, limit: section.end)
        guard i < elements.count else { return keyStart }
        let element = elements[i]
        guard rest.count >= 3, case .key(let inner) = rest[2] else { return element.range.lowerBound }
        return element.keys[inner] ?? element.range.lowerBound
    }
}

extension TOMLKeyLocator {
    /// A `[table]` or `[[array]]` header: where it starts, where its section ends, and its keys.
    fileprivate struct Section {
        var start: Int
        var end: Int
        /// First offset of each `key =` (bare or quoted) that opens a line in the section.
        var keys: [String: Int] = [:]
    }

    /// One element of an inline array and the `key =` offsets inside it.
    fileprivate struct Element {
        var range: Range<Int>
        var keys: [String: Int]
    }

    /// Everything the locator needs, built in one pass; inline arrays are
    /// parsed once on first use (hence a class: the cache outlives each lookup).
    fileprivate final class Index {
        let text: [UInt8]
        /// Offset of the first byte of each line, ascending.
        private(set) var lineStarts: [Int] = [0]
        /// Header text with blanks and comment removed (`[model]`, `[[a.b]]`) → its sections in order.
        private(set) var headers: [String: [Section]] = [:]
        private var arrays: [Int: [Element]] = [:]

        init(text: [UInt8]) {
            self.text = text
            var current: (name: String, section: Section)? = nil
            var start = 0
            while start <= text.count {
                let end = lineEnd(start)
                if end < text.count { lineStarts.append(end + 1) }
                let first = skipBlanks(start, limit: end)
                if first < end && text[first] == UInt8(ascii: "[") {
                    // Any line opening with `[` ends the section, as TOML headers do.
                    if let (name, section) = current { close(section, named: name, at: start) }
                    current = (headerName(first, end), Section(start: start, end: text.count))
                } else if current != nil, let key = key(at: first, limit: end), current!.section.keys[key] == nil {
                    current!.section.keys[key] = first
                }
                if end >= text.count { break }
                start = end + 1
            }
            if let (name, section) = current { close(section, named: name, at: text.count) }
        }

        private func close(_ section: Section, named name: String, at end: Int) {
            var section = section
            section.end = end
            headers[name, default: []].append(section)
        }

        /// 1-based line of `offset`.
        func lineNumber(at offset: Int) -> Int {
            var low = 0, high = lineStarts.count
            while high - low > 1 {
                let mid = (low + high) / 2
                if lineStarts[mid] <= offset { low = mid } else { high = mid }
            }
            return low + 1
        }

        /// The elements of the inline array assigned at `keyStart` (parsed once).
        func arrayElements(after keyStart: Int, limit: Int) -> [Element] {
            if let cached = arrays[keyStart] { return cached }
            let elements = parseArray(after: keyStart, limit: limit).map { range in
                Element(range: range, keys: inlineKeys(in: range))
            }
            arrays[keyStart] = elements
            return elements
        }

        /// The line from `start` without blanks or a trailing comment: `[a]`, `[[a.b]]`.
        private func headerName(_ start: Int, _ end: Int) -> String {
            var bytes: [UInt8] = []
            var i = start
            while i < end && text[i] != UInt8(ascii: "#") {
                if text[i] != 0x20 && text[i] != 0x09 && text[i] != 0x0D { bytes.append(text[i]) }
                i += 1
            }
            return String(decoding: bytes, as: UTF8.self)
        }

        /// The key of `key =` or `"key" =` at `offset`, if that is what is there.
        private func key(at offset: Int, limit: Int) -> String? {
            guard offset < limit else { return nil }
            var i = offset
            let name: String
            if text[i] == UInt8(ascii: "\"") {
                i += 1
                let nameStart = i
                while i < limit && text[i] != UInt8(ascii: "\"") { i += 1 }
                guard i < limit else { return nil }
                name = String(decoding: text[nameStart..<i], as: UTF8.self)
                i += 1
            } else {
                while i < limit && Index.isKeyCharacter(text[i]) { i += 1 }
                guard i > offset else { return nil }
                name = String(decoding: text[offset..<i], as: UTF8.self)
            }
            i = skipBlanks(i, limit: limit)
            return i < limit && text[i] == UInt8(ascii: "=") ? name : nil
        }

        /// Every `key =` inside `range` that is not preceded by a key character.
        private func inlineKeys(in range: Range<Int>) -> [String: Int] {
            var keys: [String: Int] = [:]
            var i = range.lowerBound
            while i < range.upperBound {
                let boundary = i == 0 || !Index.isKeyCharacter(text[i - 1])
                if boundary, Index.isKeyCharacter(text[i]) || text[i] == UInt8(ascii: "\""),
                    let key = key(at: i, limit: range.upperBound)
                {
                    if keys[key] == nil { keys[key] = i }
                }
                i += 1
            }
            return keys
        }

        /// The byte ranges of the elements of the array assigned at `keyStart`.
        private func parseArray(after keyStart: Int, limit: Int) -> [Range<Int>] {
            var i = keyStart
            while i < limit && text[i] != UInt8(ascii: "[") { i += 1 }
            guard i < limit else { return [] }
            var elements: [Range<Int>] = []
            var depth = 0
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
                        if let start = elementStart { elements.append(start..<i) }
                        return elements
                    }
                    depth -= 1
                } else if c == UInt8(ascii: ",") && depth == 1 {
                    if let start = elementStart { elements.append(start..<i) }
                    elementStart = nil
                } else if depth == 1 && elementStart == nil && c != 0x20 && c != 0x09 && c != 0x0A && c != 0x0D {
                    elementStart = i
                }
                i += 1
            }
            return elements
        }

        private func lineEnd(_ offset: Int) -> Int {
            var i = offset
            while i < text.count && text[i] != UInt8(ascii: "\n") { i += 1 }
            return i
        }

        private func skipBlanks(_ offset: Int, limit: Int) -> Int {
            var i = offset
            while i < limit && (text[i] == 0x20 || text[i] == 0x09) { i += 1 }
            return i
        }

        static func isKeyCharacter(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2D
        }
    }
}
