/// How the generated Vivado scripts name project files: relative to the
/// script's own directory (`$script_dir`), so they run from anywhere.
enum TclPaths {
    /// `[file normalize [file join $script_dir ../rtl/top.v]]` for a file
    /// given relative to the project root. Paths are validated to hold only
    /// inert characters, so they need no quoting.
    static func fromVivadoDirectory(_ path: String) -> String {
        "[file normalize [file join $script_dir \(relativePath(to: path, from: PackagingLayout.vivadoDirectory))]]"
    }

    /// The opening of every script: where it lives.
    static let scriptDirectory = "set script_dir [file normalize [file dirname [info script]]]"
}
