import Testing
@testable import ProjectFile

/// Absurd sizes are reported, never crash the size formatting.
@Suite struct ConfigHugeTableTests {
    @Test func hugeFanInIsADiagnosticNotACrash() {
        let text = ConfigDiagnosticsTests.edit("fan_in = 4", "fan_in = 99\ninput_bits = 16")
        let messages = ConfigDiagnosticsTests.messages(text)
        #expect(messages.contains { $0.contains("2^1584 entries =") && $0.contains("YiB") }, "\(messages)")
    }

    @Test func byteCountsInBinaryUnits() {
        #expect(ByteCount.text(32 * 1024 * 1024) == "32 MiB")
        #expect(ByteCount.text(1536) == "1.5 KiB")
        #expect(ByteCount.text(2 * 1e300).hasSuffix("YiB"))
    }
}
