/// What the engine reports while building; renderers turn these into a status
/// line, plain lines or JSON. `done`/`total` count steps (a batch is one step).
public enum BuildEvent: Sendable, Equatable {
    case started(step: String, kind: String, done: Int, total: Int)
    /// `units` lists the unit ids that were (re)produced.
    case finished(step: String, units: [String], seconds: Double, done: Int, total: Int)
    case cached(step: String, done: Int, total: Int)
    case failed(step: String, message: String, done: Int, total: Int)
    /// A one-off note (every renderer shows it).
    case progress(step: String, message: String)
    /// The state of long work, sent often; `fraction` of it is done (0…1). A
    /// status line shows each; plain logs only every tenth or every few seconds.
    case status(step: String, message: String, fraction: Double)
    case warning(String)
}
