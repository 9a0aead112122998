/// The git hooks `lutbuild hooks install` writes, embedded so the command
/// works from any repository. A test keeps this text identical to
/// `hooks/lutbuild-hook` in the lutbuild sources.
public enum HookScript {
    /// The hooks the script serves; it acts on the name it is installed under.
    public static let hookNames = ["pre-commit", "post-checkout", "post-merge"]

    /// The line that marks a hook as lutbuild's own, so re-installing may replace it.
    public static let marker = "# lutbuild-managed-hook"

    /// The script, byte for byte.
    public static let text = #"""
        #!/bin/sh
        # lutbuild-managed-hook (installed by `lutbuild hooks install`; re-installing replaces it)
        #
        # One script for three git hooks; it acts on the name it is installed under:
        #   pre-commit     refuses a commit whose generated files or lutbuild.lock are
        #                  stale or hand-edited (`lutbuild status --check` fails)
        #   post-checkout  prints what is stale after switching branches; never fails
        #   post-merge     prints what is stale after a merge or pull; never fails
        #
        # lutbuild is taken from $LUTBUILD, else from PATH. The project is the folder
        # holding lutbuild.toml: the repository root, or the subfolder set with
        #   git config lutbuild.project path/inside/the/repository

        hook=$(basename "$0")
        lutbuild=${LUTBUILD:-lutbuild}

        say() {
            printf 'lutbuild %s: %s\n' "$hook" "$*" >&2
        }

        # Without a working lutbuild nothing can be checked: pre-commit refuses, the others only say so.
        cannot_check() {
            say "$1"
            if [ "$hook" = pre-commit ]; then
                say "commit refused because the generated files cannot be checked (skip once with: git commit --no-verify)"
                exit 1
            fi
            exit 0
        }

        # post-checkout's third argument is 0 for a file checkout: nothing to report then.
        if [ "$hook" = post-checkout ] && [ "${3:-1}" = 0 ]; then
            exit 0
        fi

        top=$(git rev-parse --show-toplevel) || exit 0
        project=$(git config --get lutbuild.project)
        root=$top${project:+/$project}

        if [ ! -f "$root/lutbuild.toml" ]; then
            say "no lutbuild.toml in $root; nothing to check (set the project folder with: git config lutbuild.project DIR)"
            exit 0
        fi

        if ! command -v "$lutbuild" >/dev/null 2>&1; then
            cannot_check "cannot find '$lutbuild': put lutbuild on PATH or set LUTBUILD=/path/to/lutbuild"
        fi

        report=$(cd "$root" && "$lutbuild" status --check 2>&1)
        status=$?
        if [ $status -eq 0 ]; then
            exit 0
        fi
        printf '%s\n' "$report" >&2
        if [ $status -eq 64 ]; then
            # 64 = usage error: this lutbuild cannot answer the question.
            cannot_check "'$lutbuild' does not understand 'status --check'; install a newer lutbuild"
        fi
        fix="cd '$root' && $lutbuild build"
        if [ "$hook" = pre-commit ]; then
            say "commit refused: generated files or lutbuild.lock are stale or hand-edited"
            say "fix: $fix   then add the regenerated files and commit again"
            exit 1
        fi
        say "generated files are stale; rebuild with: $fix"
        exit 0
        """# + "\n"
}
