import HDLNames
import NeuraLUT

/// The self-checking testbench and its `$readmemh` vector files.
public enum Testbench {
    /// Module name of the testbench.
    public static let moduleName = Identifiers.testbenchModule
    /// Prefix of the one machine-readable summary line the testbench prints.
    public static let summaryPrefix = "LUTBUILD_VERIFY"
    /// The vector files the testbench reads by name from its run directory, and the memory each fills.
    static let vectors = [
        (file: "inputs.hex", memory: "inputs"), (file: "outputs.hex", memory: "expected"),
        (file: "classes.hex", memory: "classes"), (file: "labels.hex", memory: "labels"),
    ]
    /// The names of the vector files, in the order `files` returns them after the testbench.
    public static var vectorFiles: [String] { vectors.map(\.file) }

    /// The memories the vector files fill, declared from `vectors` (so a
    /// memory's name is spelled once), for the module body of either bench.
    static func vectorMemories(_ design: RTLDesign, classBits: Int) -> String {
        let widths = ["inputs": design.inputWidth, "expected": design.outputWidth, "classes": classBits, "labels": classBits]
        return vectors.map { "    reg [\(widths[$0.memory]! - 1):0] \($0.memory) [0:N-1];" }.joined(separator: "\n")
    }

    /// The `load` task that fails the run when a vector file is missing (a
    /// missing file would only warn in `$readmemh` and then fail every
    /// sample), and the `initial` block loading every file: the same in the
    /// raw and the AXI4-Stream bench. Indented for the module body.
    static var vectorLoading: String {
        let nameBits = 8 * (vectorFiles.map(\.utf8.count).max() ?? 1)
        let loads = vectors.map { "        load(\"\($0.file)\");\n        $readmemh(\"\($0.file)\", \($0.memory));" }
        return """
                // A missing vector file would only warn in $readmemh and then fail every sample.
                task load(input [\(nameBits - 1):0] name);
                    integer fd;
                    begin
                        fd = $fopen(name, "r");
                        if (fd == 0) $fatal(1, "cannot open %0s: run the simulation in the directory holding the .hex vector files", name);
                        $fclose(fd);
                    end
                endtask

                initial begin
            \(loads.joined(separator: "\n"))
                end
            """
    }

    /// `lutbuild_tb.v` plus `inputs.hex`, `outputs.hex`, `classes.hex`,
    /// `labels.hex`, to be placed in one directory; the simulation runs
    /// there (the vector files are read by relative path).
    public static func files(design: RTLDesign, network: LUTNetwork, vectors: TestVectors) -> [GeneratedFile] {
        let spec = network.spec
        let classBits = indexBits(spec.scoreCount)
        // In the order of `Testbench.vectors`.
        let memories = [
            memoryFile(vectors.inputs, perRow: spec.inputFeatures, bits: design.inputFieldBits),
            memoryFile(vectors.outputs, perRow: spec.scoreCount, bits: spec.scoreBits),
            memoryFile(vectors.classes.map(UInt16.init), perRow: 1, bits: classBits),
            memoryFile((vectors.labels ?? vectors.classes).map { UInt16(truncatingIfNeeded: $0) }, perRow: 1, bits: classBits),
        ]
        let bench =
            design.axis.map { axisSource(design: design, layout: $0, count: vectors.count, classBits: classBits) }
            ?? source(design: design, count: vectors.count, classBits: classBits)
        return [GeneratedFile(path: "\(moduleName).v", contents: bench)]
            + zip(vectorFiles, memories).map { GeneratedFile(path: $0, contents: $1) }
    }

    /// The first ten mismatches, each line naming the output that differs
    /// (`out_data` or `out_class`), so a class-only mismatch never shows two
    /// equal `out_data` values.
    static func mismatchReport(argmax: Bool) -> String {
        let data = #"$display("MISMATCH sample=%0d out_data got=%h expected=%h", received, out_data, expected[received]);"#
        let indent = String(repeating: " ", count: 20)
        guard argmax else {
            return "\(indent)if (mismatches < 10)\n\(indent)    \(data)"
        }
        let classLine = #"$display("MISMATCH sample=%0d out_class got=%0d expected=%0d", received, out_class, classes[received]);"#
        return """
            \(indent)if (mismatches < 10) begin
            \(indent)    if (out_data !== expected[received]) \(data)
            \(indent)    if (out_class !== classes[received]) \(classLine)
            \(indent)end
            """
    }

    /// Streams one sample per clock after a short reset, compares every
    /// `out_data` (and `out_class`) with the expected values in order,
    /// prints `LUTBUILD_VERIFY samples=… mismatches=… correct=… cycles=…`
    /// and ends with `$fatal` (a non-zero exit status) on any mismatch or
    /// missing vector file, `$finish` otherwise.
    static func source(design: RTLDesign, count: Int, classBits: Int) -> String {
        let argmax = design.classWidth > 0
        let classPort = argmax ? ",\n        .out_class(out_class)" : ""
        let classCheck = argmax ? " || out_class !== classes[received]" : ""
        // Without out_class, a sample counts as correct when out_data is right and its expected class matches the label.
        let correctCount =
            argmax
            ? "\n                if (out_class == labels[received]) correct <= correct + 1;"
            : "\n                if (out_data === expected[received] && classes[received] == labels[received]) correct <= correct + 1;"
        return """
            // Generated by lutbuild: self-checking testbench for \(design.topName) (latency \(design.latency)).
            // Streams \(count) samples from inputs.hex, one per clock, and checks out_data against
            // outputs.hex\(argmax ? " and out_class against classes.hex (accuracy against labels.hex)" : "").
            // Exits with a non-zero status ($fatal) on any mismatch or missing vector file.
            `timescale 1ns/1ps
            `default_nettype none
            module \(moduleName);
                localparam integer N = \(count);
                localparam integer TIMEOUT = N + \(design.latency) + 100;
                reg clk = 1'b0;
                reg rst = 1'b1;
                reg in_valid = 1'b0;
                reg [\(design.inputWidth - 1):0] in_data = \(design.inputWidth)'d0;
                wire out_valid;
                wire [\(design.outputWidth - 1):0] out_data;
                wire [\(classBits - 1):0] out_class;
            \(vectorMemories(design, classBits: classBits))
                integer sent = 0;
                integer received = 0;
                integer mismatches = 0;
                integer correct = 0;
                integer cycles = 0;

                \(design.topName) dut (
                    .clk(clk),
                    .rst(rst),
                    .in_valid(in_valid),
                    .in_data(in_data),
                    .out_valid(out_valid),
                    .out_data(out_data)\(classPort)
                );
                \(argmax ? "" : "assign out_class = \(classBits)'d0;")

            \(vectorLoading)

                always #5 clk = ~clk;

                always @(posedge clk) begin
                    cycles <= cycles + 1;
                    if (cycles == 2) rst <= 1'b0;
                    if (!rst && sent < N) begin
                        in_valid <= 1'b1;
                        in_data <= inputs[sent];
                        sent <= sent + 1;
                    end else begin
                        in_valid <= 1'b0;
                    end
                    if (out_valid === 1'b1) begin
                        if (received >= N) begin
                            mismatches <= mismatches + 1;
                        end else begin
                            if (out_data !== expected[received]\(classCheck)) begin
                                mismatches <= mismatches + 1;
            \(mismatchReport(argmax: argmax))
                            end\(correctCount)
                        end
                        received <= received + 1;
                    end
                    if (received == N || cycles >= TIMEOUT) begin
                        $display("\(summaryPrefix) samples=%0d mismatches=%0d correct=%0d cycles=%0d",
                                 N, mismatches + (N - received), correct, cycles);
                        // A non-zero exit status in every simulator, so scripts and FuseSoC see the failure.
                        if (mismatches + (N - received) != 0)
                            $fatal(1, "%0d of %0d samples differ from software LUT inference", mismatches + (N - received), N);
                        $finish;
                    end
                end
            endmodule
            `default_nettype wire

            """
    }
}
