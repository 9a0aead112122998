import BuildGraph
import Testing

@Suite struct WatchScopeTests {
    let scope = WatchScope(root: "/p/", excluded: ["gen", "./.lutbuild/", "out/sim"])

    @Test func excludedSubtreesArePruned() {
        #expect(scope.root == "/p")
        #expect(scope.excludes("/p/gen"))
        #expect(scope.excludes("/p/gen/rtl/top.v"))
        #expect(scope.excludes("/p/.lutbuild/cache"))
        #expect(scope.excludes("/p/out/sim/a"))
    }

    @Test func similarNamesAndOutsidePathsAreKept() {
        #expect(!scope.excludes("/p/generator.toml"))
        #expect(!scope.excludes("/p/out/simulate.csv"))
        #expect(!scope.excludes("/p/data/gen"))
        #expect(!scope.excludes("/q/gen"))
        #expect(!scope.excludes("/p"))
    }
}
