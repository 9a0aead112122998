import ArgumentParser
import FrontEnd

/// The text `lutbuild version` and `lutbuild --version` print.
enum LutbuildVersionText {
    static let text = "lutbuild \(LutbuildVersion.current)"
}

/// `lutbuild version`.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print lutbuild's version.")

    func run() {
        print(LutbuildVersionText.text)
    }
}
