/// What the engine reports while building; renderers turn these into a status
/// line, plain lines or JSON. `done`/`total` count steps (a batch is one step).
public enum BuildEvent: Sendable, Equatable {
    case started(step: String, kind: String, done: Int, total: Int)
    /// `units` lists the unit ids that were (re)produced.
    case finished(step: String, units: [String], seconds: Double, done: Int, total: Int)
    case cached(step: String, done: Int, total: Int)
    case failed(step: String, message: String, done: Int, total: Int)
    case progress(step: String, message: String)
    case warning(String)
}
