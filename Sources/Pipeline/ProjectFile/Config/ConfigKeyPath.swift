/// A path to a value in the project file, e.g. `model.layers[1].fan_in`.
struct ConfigKeyPath: Hashable, Sendable, CustomStringConvertible {
    enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    var components: [Component] = []

    func appending(_ key: String) -> ConfigKeyPath { ConfigKeyPath(components: components + [.key(key)]) }
    func appending(index: Int) -> ConfigKeyPath { ConfigKeyPath(components: components + [.index(index)]) }

    var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            case .index(let i): text += "[\(i)]"
            }
        }
        return text
    }
}
