import Foundation

/// A `.netrc` file: login and password per machine, plus an optional
/// `default` entry (the format curl and Bazel read).
struct Netrc: Equatable {
    struct Entry: Equatable {
        var login: String?
        var password: String?
    }

    var machines: [String: Entry] = [:]
    var fallback: Entry?

    /// The entry for `host`, or the default one.
    func entry(for host: String) -> Entry? { machines[host.lowercased()] ?? fallback }

    /// Reads the tokens of the file; unknown tokens and macro bodies are skipped.
    init(text: String) {
        var tokens = Self.tokens(text)[...]
        var current: (host: String?, entry: Entry)?
        func close() {
            guard let (host, entry) = current else { return }
            if let host { if machines[host] == nil { machines[host] = entry } } else if fallback == nil { fallback = entry }
            current = nil
        }
        while let token = tokens.popFirst() {
            switch token {
            case "machine":
                close()
                guard let host = tokens.popFirst() else { break }
                current = (host.lowercased(), Entry())
            case "default":
                close()
                current = (nil, Entry())
            case "login": current?.entry.login = tokens.popFirst()
            case "password": current?.entry.password = tokens.popFirst()
            case "account": _ = tokens.popFirst()
            case "macdef":
                close()
                // A macro runs to the next empty line; its text is not tokens.
                while let next = tokens.first, next != "\n\n" { tokens.removeFirst() }
            default: break
            }
        }
        close()
    }

    /// Whitespace-separated tokens (double quotes group, backslash escapes);
    /// an empty line is kept as the token "\n\n" to end a macro.
    private static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var inQuotes = false, escaped = false, started = false, newlines = 0
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
                started = true
            } else if character == "\"" {
                inQuotes.toggle()
                started = true
            } else if character.isWhitespace && !inQuotes {
                if started { tokens.append(current) }
                current = ""
                started = false
                if character.isNewline {
                    newlines += 1
                    if newlines == 2 { tokens.append("\n\n") }
                }
                continue
            } else {
                current.append(character)
                started = true
            }
            newlines = 0
        }
        if started { tokens.append(current) }
        return tokens
    }
}
