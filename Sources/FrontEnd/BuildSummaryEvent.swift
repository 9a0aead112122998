import BuildGraph
import DeterministicJSON
import Foundation
import Pipeline

/// The last line `lutbuild build --json` prints, `{"event":"summary",…}`:
/// one Codable type, written by the build command and read back by watch
/// mode from its child builds, so both always agree on its fields.
public struct BuildSummaryEvent: Codable, Equatable, Sendable {
    public var event = "summary"
    /// Units that ran (a grouped step such as `train` runs one per partition).
    public var ran: Int
    /// Steps that ran, as the progress counter counts them; nil from older builds.
    public var ranSteps: Int?
    public var cached: Int
    public var trainedPartitions: Int
    public var written: Int
    /// Units taken from the remote cache.
    public var fetched: Int
    /// Units uploaded to the remote cache.
    public var uploaded: Int
    /// What the published reports say (cached results included).
    public var results: BuildResults

    public init(
        ran: Int, ranSteps: Int? = nil, cached: Int, trainedPartitions: Int, written: Int, fetched: Int = 0, uploaded: Int = 0,
        results: BuildResults = BuildResults()
    ) {
        self.ran = ran
        self.ranSteps = ranSteps
        self.cached = cached
        self.trainedPartitions = trainedPartitions
        self.written = written
        self.fetched = fetched
        self.uploaded = uploaded
        self.results = results
    }

    public init(_ summary: BuildSummary, results: BuildResults) {
        self.init(
            ran: summary.ran.count, ranSteps: summary.ranSteps.count, cached: summary.cached.count,
            trainedPartitions: BuildPipeline.trainedPartitions(summary).count, written: summary.written.count,
            fetched: summary.fetched.count, uploaded: summary.uploaded, results: results)
    }

    /// One line of compact JSON (sorted snake_case keys).
    public func jsonLine() throws -> String {
        try DeterministicJSON.line(self)
    }

    /// The last summary event among a build's JSON event lines, if any.
    public static func last(inJSONLines data: Data) -> BuildSummaryEvent? {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        for line in data.split(separator: 0x0A).reversed() {
            if let event = try? decoder.decode(BuildSummaryEvent.self, from: Data(line)), event.event == "summary" {
                return event
            }
        }
        return nil
    }
}
