/// A path to a value in the project file, e.g. `model.layers[1].fan_in`.
package struct ConfigKeyPath: Hashable, Sendable, CustomStringConvertible {
    package enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    package var components: [Component] = []

    package init(components: [Component] = []) { self.components = components }

    package func appending(_ key: String) -> ConfigKeyPath { ConfigKeyPath(components: components + [.key(key)]) }
    package func appending(index: Int) -> ConfigKeyPath { ConfigKeyPath(components: components + [.index(index)]) }

    package var description: String {
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
