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

    /// A field of a line, as bytes (parsing bytes keeps loading thousands of records fast).
    typealias Field = ArraySlice<UInt8>

    static func string(_ field: Field) -> String {
        let text = String(decoding: field, as: UTF8.self)
        guard field.contains(UInt8(ascii: "%")) else { return text }
        return text.removingPercentEncoding ?? text
    }

    static func int(_ field: Field) -> Int? { Int(String(decoding: field, as: UTF8.self)) }

    static func digest(_ field: Field) -> Digest? { Digest(hex: String(decoding: field, as: UTF8.self)) }

    /// `name=digest,…` sorted by name.
    static func encodeMap(_ map: [String: Digest]) -> String {
        map.sorted { $0.key < $1.key }.map { escape($0.key) + "=" + $0.value.hex }.joined(separator: ",")
    }

    static func decodeMap(_ field: Field) -> [String: Digest]? {
        var map: [String: Digest] = [:]
        if field.isEmpty { return map }
        for pair in field.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
            guard let equals = pair.firstIndex(of: UInt8(ascii: "=")),
                let digest = digest(pair[(equals + 1)...])
            else { return nil }
            map[string(pair[..<equals])] = digest
        }
        return map
    }

    /// Appends the checksum field and the newline.
    static func seal(_ fields: [String]) -> String {
        let body = fields.joined(separator: "\t")
        return body + "\t" + checksum(body.utf8) + "\n"
    }

    /// FNV-1a, 64 bits, in hex: catches torn and garbled lines (not an attacker), cheaply.
    static func checksum<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The fields of a sealed line, or nil when torn or tampered with.
    static func open(_ line: Field) -> [Field]? {
        guard let tab = line.lastIndex(of: UInt8(ascii: "\t")) else { return nil }
        let body = line[..<tab]
        guard checksum(body).utf8.elementsEqual(line[(tab + 1)...]) else { return nil }
        return body.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
    }

    static func lines(_ data: Data) -> [Field] {
        [UInt8](data).split(separator: UInt8(ascii: "\n"))
    }
}
