import Foundation

/// The small text format of the engine's private files (action index, stat
/// cache): tab-separated fields, names percent-escaped, and a checksum per line
/// so a line torn by a crash is recognised and ignored.
enum LineFormat {
    static func escape(_ text: String) -> String {
        guard text.contains(where: { $0 == "%" || $0 == "\t" || $0 == "\n" || $0 == "=" || $0 == "," || $0 == "\r" }) else {
            return text
        }
        var out = ""
        for character in text {
            switch character {
            case "%": out += "%25"
            case "\t": out += "%09"
            case "\n": out += "%0A"
            case "\r": out += "%0D"
            case "=": out += "%3D"
            case ",": out += "%2C"
            default: out.append(character)
            }
        }
        return out
    }

    static func unescape(_ text: Substring) -> String {
        guard text.contains("%") else { return String(text) }
        return String(text).removingPercentEncoding ?? String(text)
    }

    /// `name=digest,…` sorted by name.
    static func encodeMap(_ map: [String: Digest]) -> String {
        map.sorted { $0.key < $1.key }.map { escape($0.key) + "=" + $0.value.hex }.joined(separator: ",")
    }

    static func decodeMap(_ text: Substring) -> [String: Digest]? {
        var map: [String: Digest] = [:]
        if text.isEmpty { return map }
        for pair in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let equals = pair.firstIndex(of: "="),
                  let digest = Digest(hex: String(pair[pair.index(after: equals)...])) else { return nil }
            map[unescape(pair[..<equals])] = digest
        }
        return map
    }

    /// Appends the checksum field and the newline.
    static func seal(_ fields: [String]) -> String {
        let body = fields.joined(separator: "\t")
        return body + "\t" + Digest.of(body).hex.prefix(16) + "\n"
    }

    /// The fields of a sealed line, or nil when torn or tampered with.
    static func open(_ line: Substring) -> [Substring]? {
        guard let tab = line.lastIndex(of: "\t") else { return nil }
        let body = line[..<tab]
        guard line[line.index(after: tab)...] == Digest.of(String(body)).hex.prefix(16) else { return nil }
        return body.split(separator: "\t", omittingEmptySubsequences: false)
    }

    static func lines(_ data: Data) -> [Substring] {
        String(decoding: data, as: UTF8.self).split(separator: "\n")
    }
}
