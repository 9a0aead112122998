import CZlib
import Foundation

/// In-process gzip decompression with zlib (no temp files, no subprocess).
enum Gzip {
    /// Deflate's largest expansion: about 1032 output bytes per input byte.
    static let maximumRatio = 1032

    /// Decompresses all gzip members of `data`.
    static func decompress(_ data: Data, displayName: String) throws -> [UInt8] {
        func failure(_ what: String) -> DatasetError {
            DatasetError(file: displayName, message: "corrupt gzip data (\(what))")
        }
        // ISIZE, the last member's uncompressed size mod 2^32: a good first guess,
        // but only a claim (a truncated file's "trailer" is any 4 bytes), so never
        // more than deflate can expand this input to; the buffer grows with the real output.
        var capacity = max(data.count * 4, 1 << 16)
        if data.count >= 18 {
            let tail = data.suffix(4).map(UInt32.init)
            let isize = Int(tail[0] | tail[1] << 8 | tail[2] << 16 | tail[3] << 24)
            if isize > 0 { capacity = min(isize, data.count * maximumRatio) }
        }
        var output = [UInt8](repeating: 0, count: capacity)
        var produced = 0
        let input = [UInt8](data)
        try input.withUnsafeBufferPointer { source in
            var stream = z_stream()
            // 15 + 32: maximum window, detect gzip or zlib headers automatically.
            guard inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                throw failure("inflateInit failed")
            }
            defer { inflateEnd(&stream) }
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = UInt32(source.count)
            while true {
                if produced == output.count {
                    output.append(contentsOf: repeatElement(0, count: min(output.count, Int(UInt32.max))))
                }
                let status: Int32 = output.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress! + produced
                    let room = min(target.count - produced, Int(UInt32.max))
                    stream.avail_out = UInt32(room)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    produced += room - Int(stream.avail_out)
                    return status
                }
                switch status {
                case Z_STREAM_END:
                    // Concatenated members are valid gzip: keep going if bytes remain.
                    if stream.avail_in == 0 {
                        output.removeSubrange(produced...)
                        return
                    }
                    guard inflateReset(&stream) == Z_OK else { throw failure("inflateReset failed") }
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    throw failure("the file is truncated")
                case Z_BUF_ERROR:
                    continue
                default:
                    let detail = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw failure(detail)
                }
            }
        }
        return output
    }

    /// `bytes` as one gzip member (for tests and benchmarks that need gzip files).
    static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        // 15 + 16: maximum window, gzip header and trailer.
        guard
            deflateInit2_(
                &stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else {
            throw DatasetError(file: "", message: "deflateInit failed")
        }
        defer { deflateEnd(&stream) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 32)
        let status: Int32 = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw DatasetError(file: "", message: "deflate failed (\(status))") }
        return Array(output.prefix(Int(stream.total_out)))
    }
}
