import Diagnostics
import Foundation

/// Reads a whole file, transparently gunzipping `.gz` (or any gzip-magic) content.
enum FileBytes {
    static func read(_ url: URL, displayName: String) throws -> [UInt8] {
        try checkRegularFile(url, displayName: displayName)
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw DatasetError(file: displayName, message: "cannot read the file (\(reason(error)))")
        }
        return try decode(data, displayName: displayName)
    }

    /// The bytes of a file's content, gunzipped when it starts with the gzip magic.
    static func decode(_ data: Data, displayName: String) throws -> [UInt8] {
        if data.count >= 2 && data[data.startIndex] == 0x1F && data[data.startIndex + 1] == 0x8B {
            return try Gzip.decompress(data, displayName: displayName)
        }
        return [UInt8](data)
    }

    /// Only regular files (or links to them): a FIFO would block the build
    /// forever and a device such as /dev/zero never ends.
    static func checkRegularFile(_ url: URL, displayName: String) throws {
        var info = stat()
        guard stat(url.path, &info) == 0 else {
            let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
            throw DatasetError(file: displayName, message: "cannot read the file (\(reason))")
        }
        guard let kind = FileKind.notRegular(mode: info.st_mode) else { return }
        throw DatasetError(file: displayName, message: "expected a regular data file, found \(kind); name the file that holds the data")
    }

    private static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSCocoaErrorDomain && ns.code == NSFileReadNoSuchFileError { return "no such file" }
        return ns.localizedDescription
    }
}
