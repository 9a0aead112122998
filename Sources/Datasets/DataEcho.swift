/// How a data error quotes text taken from the user's file (a cell, a column
/// name, a dtype): in single quotes, cut to a line's worth, with control
/// characters escaped. A file's bytes are not trusted: a 5 MB cell must not
/// become a 5 MB message, and escape sequences or NUL bytes must not reach
/// the terminal. Every data error quotes file text through here.
public enum DataEcho {
    /// Characters of the text shown before it is cut.
    public static let maxCharacters = 40

    /// `'abc'`; a text longer than `limit` characters is cut and says how
    /// long it was (`'abcd…' (5242880 characters)`).
    public static func quoted(_ text: some StringProtocol, limit: Int = maxCharacters) -> String {
        let cut = text.count > limit
        return "'\(shown(text, limit: limit))'" + (cut ? " (\(text.count) characters)" : "")
    }

    /// The text escaped, and cut after `limit` characters with `…`
    /// (for lists of names, where quotes and lengths would be noise).
    public static func shown(_ text: some StringProtocol, limit: Int = maxCharacters) -> String {
        let head = escaped(text.prefix(limit))
        return text.count > limit ? head + "…" : head
    }

    /// The text as shown inside the quotes: control characters (C0, DEL, C1)
    /// as `\n`, `\t`, `\r`, `\0` or `\u{1B}`.
    public static func escaped(_ text: some StringProtocol) -> String {
        text.map(escapedCharacter).joined()
    }

    private static func escapedCharacter(_ character: Character) -> String {
        guard character.unicodeScalars.contains(where: isControl) else { return String(character) }
        return character.unicodeScalars.map { scalar in
            switch scalar {
            case "\n": "\\n"
            case "\t": "\\t"
            case "\r": "\\r"
            case "\0": "\\0"
            default: isControl(scalar) ? "\\u{\(String(scalar.value, radix: 16, uppercase: true))}" : String(scalar)
            }
        }.joined()
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
