import Foundation
import Synchronization

/// Ctrl-C (SIGINT) and SIGTERM, the one way every command sees them: a flag
/// a build polls (`isRaised`: stop at the next safe point, where training
/// writes its checkpoint) and an event a watch awaits (`wait()`: stop the
/// running build, then exit). A second signal exits at once with 130.
public final class InterruptSignal: @unchecked Sendable {
    private let raised = Mutex(0)
    private let stream: AsyncStream<Void>
    /// Written once in `init`, only kept alive afterwards.
    private var sources: [any DispatchSourceSignal] = []

    public init() {
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        self.stream = stream
        var installed: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                let count = self.raised.withLock { value -> Int in
                    value += 1
                    return value
                }
                if count > 1 { _exit(130) }
                continuation.yield()
            }
            source.resume()
            installed.append(source)
        }
        sources = installed
    }

    public var isRaised: Bool { raised.withLock { $0 > 0 } }

    /// Returns at the first signal.
    public func wait() async {
        for await _ in stream { return }
    }
}
