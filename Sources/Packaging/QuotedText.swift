/// Quoting of free text (the description) for the generated scripts. Names
/// never need this: `validate()` only lets inert characters through.
enum QuotedText {
    /// A TCL word in double quotes where `\`, `"`, `$`, `[`, `]`, `{`, `}`
    /// are backslash-escaped, so no substitution can happen.
    static func tcl(_ text: String) -> String {
        var out = "\""
        for c in text {
            if "\\\"$[]{}".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out + "\""
    }

    /// A YAML double-quoted scalar.
    static func yaml(_ text: String) -> String {
        var out = "\""
        for c in text {
            if c == "\\" || c == "\"" { out.append("\\") }
            out.append(c)
        }
        return out + "\""
    }
}
