/// A number as people write it in a message, a doc or a generated file: `500`, not
/// `500.0`; anything else as Swift prints it (`0.25`, `1e-06`).
public func plainNumber(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
}
