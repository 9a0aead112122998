/// A fixed-size, 64-byte aligned Float array with reference semantics, so
/// numeric kernels can work on raw pointers and workers can share it.
/// Workers must write disjoint ranges; the owner guarantees that.
final class FloatBuffer: @unchecked Sendable {
    let count: Int
    let base: UnsafeMutablePointer<Float>

    init(count: Int) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: 64)
        base = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        base.initialize(repeating: 0, count: max(count, 1))
    }

    convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { base.update(from: $0.baseAddress!, count: values.count) }
    }

    deinit { base.deallocate() }

    subscript(i: Int) -> Float {
        get { base[i] }
        set { base[i] = newValue }
    }

    func array(from start: Int = 0, count n: Int? = nil) -> [Float] {
        Array(UnsafeBufferPointer(start: base + start, count: n ?? (count - start)))
    }

    func copy(_ values: [Float], to start: Int) {
        values.withUnsafeBufferPointer { (base + start).update(from: $0.baseAddress!, count: values.count) }
    }

    func zero() { base.update(repeating: 0, count: count) }
}
