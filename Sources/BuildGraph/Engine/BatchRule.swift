/// Which members of a batch run, given which have no reusable result (see
/// `BatchStep`); shared by the build and by `explain`/`status`, so that what
/// they predict is what a build does.
enum BatchRule {
    /// - Members are computed jointly: if any member must run for a reason of
    ///   its own (a changed key, a lost output), the whole batch runs.
    /// - If only forced members must run (`--retrain`), they run alone with
    ///   every other member frozen, and the batch's run reports with them.
    static func plan<Outputs>(
        units: [StepGraph.Unit], stale: [Int], fresh: [Int: Outputs],
        forced: (String) -> Bool
    ) -> (stale: [Int], fresh: [Int: Outputs]) {
        guard !stale.isEmpty else { return (stale, fresh) }
        guard stale.allSatisfy({ forced(units[$0].id) }) else { return (Array(units.indices), [:]) }
        var stale = stale, fresh = fresh
        for unitIndex in fresh.keys.sorted() where units[unitIndex].reportsRun {
            fresh[unitIndex] = nil
            stale.append(unitIndex)
        }
        return (stale.sorted(), fresh)
    }
}
