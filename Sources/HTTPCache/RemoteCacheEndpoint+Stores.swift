import BuildGraph
import Foundation
import RemoteCacheAddress

extension RemoteCacheEndpoint {
    /// Where `digest` lives in `store`.
    func url(_ store: RemoteStore, _ digest: Digest) -> URL {
        URL(string: url.absoluteString + store.rawValue + "/" + digest.hex)!
    }
}
