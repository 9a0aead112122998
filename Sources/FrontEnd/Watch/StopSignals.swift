import Foundation

/// Waits for Ctrl-C or SIGTERM, so a watch can stop its running build cleanly
/// before exiting (the default action would kill the process at once).
public final class StopSignals {
    private let sources: [any DispatchSourceSignal]
    private let stream: AsyncStream<Void>

    public init() {
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        self.stream = stream
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield() }
            source.resume()
            return source
        }
    }

    /// Returns at the first signal.
    public func wait() async {
        for await _ in stream { return }
    }
}
