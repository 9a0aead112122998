import Foundation

/// Reads a whole file, transparently gunzipping `.gz` (or any gzip-magic) content.
enum FileBytes {
    static func read(_ url: URL, displayName: String) throws -> [UInt8] {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw DatasetError(file: displayName, message: "cannot read the file (\(reason(error)))")
        }
        if data.count >= 2 && data[data.startIndex] == 0x1F && data[data.startIndex + 1] == 0x8B {
            return try Gzip.decompress(data, displayName: displayName)
        }
        return [UInt8](data)
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
