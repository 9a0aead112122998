import Diagnostics
import Foundation

/// Why hooks could not be installed.
public struct HookInstallError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// What happened to one hook file.
public enum HookInstallAction: Equatable, Sendable {
    case installed
    /// An older lutbuild hook was replaced.
    case updated
    case unchanged
    /// A user's own hook was left alone (re-run with `force` to replace it).
    case keptUserHook
    /// A user's own hook was replaced; it was moved to `backup`.
    case replacedUserHook(backup: String)
}

/// One line of the installer's report.
public struct HookInstallOutcome: Equatable, Sendable {
    public var hook: String
    public var path: String
    public var action: HookInstallAction
}

/// Installs lutbuild's git hooks into a user's repository.
///
/// The hooks go where git looks for them (`core.hooksPath` if set, else
/// `.git/hooks`, worktrees included). A hook without lutbuild's marker line
/// is the user's own and is only replaced with `force`, after a backup, so
/// re-installing is idempotent and never loses someone's hook silently.
public struct HookInstaller {
    /// The folder holding lutbuild.toml; its git repository gets the hooks.
    /// When it is not the repository root it is recorded as `git config lutbuild.project`.
    public var project: URL
    /// Replace a user's own hook (after a backup) instead of keeping it.
    public var force: Bool

    public init(project: URL, force: Bool = false) {
        self.project = project
        self.force = force
    }

    /// The directory git runs hooks from.
    public func hooksDirectory() throws -> URL {
        let path = try GitQuery(directory: project).run(["rev-parse", "--git-path", "hooks"])
        // git answers relative to the folder it ran in.
        let directory = path.hasPrefix("/") ? URL(fileURLWithPath: path) : project.appendingPathComponent(path)
        return directory.standardizedFileURL
    }

    /// Writes every hook (see `HookScript.hookNames`) and reports what it did to each.
    public func install() throws -> [HookInstallOutcome] {
        let directory = try hooksDirectory()
        try recordProjectFolder()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw HookInstallError("cannot create the hooks folder \(directory.path): \(error.localizedDescription)")
        }
        return try HookScript.hookNames.map { try install($0, in: directory) }
    }

    private func install(_ hook: String, in directory: URL) throws -> HookInstallOutcome {
        let file = directory.appendingPathComponent(hook)
        let script = Data(HookScript.text.utf8)
        let action: HookInstallAction
        if let existing = FileManager.default.contents(atPath: file.path) {
            if existing == script && FileManager.default.isExecutableFile(atPath: file.path) {
                action = .unchanged
            } else if String(decoding: existing, as: UTF8.self).contains(HookScript.marker) {
                action = .updated
            } else if force {
                let backup = try backUp(file)
                action = .replacedUserHook(backup: backup.path)
            } else {
                return HookInstallOutcome(hook: hook, path: file.path, action: .keptUserHook)
            }
        } else {
            action = .installed
        }
        if action != .unchanged { try write(script, to: file) }
        return HookInstallOutcome(hook: hook, path: file.path, action: action)
    }

    private func write(_ script: Data, to file: URL) throws {
        do {
            // Replace rather than write through: a hook may be a symlink into someone's dotfiles.
            try? FileManager.default.removeItem(at: file)
            try script.write(to: file)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path)
        } catch {
            throw HookInstallError("cannot write the hook \(file.path): \(error.localizedDescription)")
        }
    }

    /// Moves a user's hook aside to the first free `NAME.before-lutbuild[.N]`.
    private func backUp(_ file: URL) throws -> URL {
        var candidate = file.appendingPathExtension("before-lutbuild")
        var index = 1
        while FileManager.default.fileExists(atPath: candidate.path) {
            index += 1
            candidate = file.appendingPathExtension("before-lutbuild.\(index)")
        }
        do {
            try FileManager.default.moveItem(at: file, to: candidate)
        } catch {
            throw HookInstallError("cannot back up \(file.path): \(error.localizedDescription)")
        }
        return candidate
    }

    /// Tells the hooks where lutbuild.toml is when it is not at the repository root.
    private func recordProjectFolder() throws {
        let git = GitQuery(directory: project)
        let top = URL(fileURLWithPath: try git.run(["rev-parse", "--show-toplevel"])).resolvingSymlinksInPath().path
        let folder = project.resolvingSymlinksInPath().path
        if folder == top {
            _ = try? git.run(["config", "--unset", "lutbuild.project"])
        } else if folder.hasPrefix(top + "/") {
            _ = try git.run(["config", "lutbuild.project", String(folder.dropFirst(top.count + 1))])
        } else {
            throw HookInstallError("the project folder \(folder) is not inside its git repository \(top)")
        }
    }
}

/// Git or the hooks folder failed (exit 1).
extension HookInstallError: UserFacingError {
    public var userErrors: [UserError] { [UserError(description)] }
}
