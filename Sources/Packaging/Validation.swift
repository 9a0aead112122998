import HDLNames

extension IPCoreDescription {
    /// Checks every field before anything is generated. Throws one
    /// `PackagingError` naming the first offending field, its value and what
    /// was expected.
    public func validate() throws {
        try check(
            Identifiers.isVendor(vendor), "vendor", vendor,
            "a name starting with a letter, then letters, digits, '_', '.' or '-' (e.g. example.org)")
        try check(Identifiers.isVerilogIdentifier(library), "library", library, identifierRule)
        try check(Identifiers.isVerilogIdentifier(name), "name", name, identifierRule)
        try check(Identifiers.isDottedVersion(version), "version", version, "a dotted version such as 1.0")
        try check(Identifiers.isVerilogIdentifier(topModule), "top module", topModule, identifierRule)
        try check(
            Identifiers.isSingleLineText(description), "description", description,
            "one line of text without control characters")
        try validatePorts()
        try validateFiles()
        try check(
            Identifiers.isPartName(part), "part", part,
            "a Xilinx part name in lower case, e.g. \(IPCoreDescription.defaultPart)")
        guard clockMHz.isFinite, clockMHz > 0, clockMHz <= 5000 else {
            throw PackagingError("clock_mhz: \(clockMHz) is not a usable clock frequency; expected a number of MHz in (0, 5000]")
        }
        guard !families.isEmpty else {
            throw PackagingError("families: the list is empty; expected at least one device family such as virtexuplus")
        }
        for family in families {
            try check(Identifiers.isFamily(family), "family", family, "a device family such as virtexuplus")
            if let problem = DeviceFamilies.unknownProblem(family) { throw PackagingError("families: \(problem)") }
        }
        try checkUnique(families, "family")
        if let problem = DeviceFamilies.partProblem(part: part, families: families) { throw PackagingError("families: \(problem)") }
        guard coreRevision >= 0 else {
            throw PackagingError("core revision: \(coreRevision) is negative; expected 0 or more")
        }
        guard latency >= 0 else {
            throw PackagingError("latency: \(latency) is negative; expected 0 (combinational) or more cycles")
        }
    }

    private var identifierRule: String {
        "a Verilog identifier (a letter or '_', then letters, digits or '_'; not a reserved word)"
    }

    private func validatePorts() throws {
        guard !ports.isEmpty else { throw PackagingError("ports: the top module has no ports; expected at least clock and reset") }
        for port in ports {
            try check(Identifiers.isVerilogIdentifier(port.name), "port", port.name, identifierRule)
            guard port.width >= 1, port.width <= 1 << 20 else {
                throw PackagingError("port \(port.name): width \(port.width) is out of range; expected 1 to \(1 << 20) bits")
            }
            guard port.isVector || port.width == 1 else {
                throw PackagingError("port \(port.name): \(port.width) bits but not a vector; expected isVector for ports wider than 1 bit")
            }
        }
        try checkUnique(ports.map(\.name), "port")
        for (role, portName) in [("clock port", clockPort), ("reset port", resetPort)] {
            guard let port = ports.first(where: { $0.name == portName }) else {
                throw PackagingError(
                    "\(role): \(quoted(portName)) is not one of the top module's ports (\(ports.map(\.name).joined(separator: ", ")))")
            }
            guard port.direction == .input, port.width == 1, !port.isVector else {
                throw PackagingError("\(role): \(quoted(portName)) must be a 1-bit scalar input")
            }
        }
        guard clockPort != resetPort else {
            throw PackagingError("reset port: \(quoted(resetPort)) is also the clock port; expected two different ports")
        }
        try validateStreams()
    }

    /// Every stream's ports exist with the direction and width its mode and bytes say.
    private func validateStreams() throws {
        try checkUnique(streams.map(\.name), "stream interface")
        for stream in streams {
            try check(Identifiers.isVerilogIdentifier(stream.name), "stream interface", stream.name, identifierRule)
            for (logical, physical) in stream.portMap {
                guard let port = ports.first(where: { $0.name == physical }) else {
                    throw PackagingError("stream interface \(stream.name): no port \(quoted(physical)) for \(logical)")
                }
                let drivenBySlave = logical == "TREADY"
                let expected: HDLPort.Direction = (stream.mode == .master) != drivenBySlave ? .output : .input
                let width = logical == "TDATA" ? 8 * stream.dataBytes : logical == "TUSER" ? stream.userBits : 1
                guard port.direction == expected, port.width == width else {
                    throw PackagingError(
                        "stream interface \(stream.name): port \(quoted(physical)) must be a \(width)-bit"
                            + " \(expected == .input ? "input" : "output")"
                    )
                }
            }
        }
    }

    private func validateFiles() throws {
        guard !rtlFiles.isEmpty else { throw PackagingError("rtl files: the list is empty; expected the Verilog sources of the design") }
        for path in rtlFiles + simulationFiles + simulationModelFiles {
            try check(
                Identifiers.isSafeRelativePath(path), "source file", path,
                "a relative path of letters, digits, '_', '.', '-' and '/' (no spaces, no '..')")
            guard path.hasSuffix(".v") || path.hasSuffix(".sv") else {
                throw PackagingError("source file \(quoted(path)): expected a Verilog source ending in .v or .sv")
            }
        }
        for path in simulationDataFiles + documentationFiles {
            try check(
                Identifiers.isSafeRelativePath(path), "data file", path,
                "a relative path of letters, digits, '_', '.', '-' and '/' (no spaces, no '..')")
        }
        try checkUnique(rtlFiles + simulationFiles + simulationDataFiles + documentationFiles, "file")
        try checkUnique(
            simulationDataFiles.map(fileName), "simulation data file name (they are copied side by side into the run directory)")
        try checkUnique(documentationFiles.map(fileName), "documentation file name (they are copied side by side into the IP's doc/)")
        try checkUnique(rtlFiles.map(fileName), "RTL file name (sources are copied side by side into the IP's src/)")
        if simulationFiles.isEmpty {
            guard simulationTop == nil else {
                throw PackagingError("simulation top: set to \(quoted(simulationTop ?? "")) but there are no simulation files")
            }
        } else {
            guard let top = simulationTop else {
                throw PackagingError("simulation top: missing; expected the testbench module name since simulation files are given")
            }
            try check(Identifiers.isVerilogIdentifier(top), "simulation top", top, identifierRule)
        }
    }

    private func check(_ ok: Bool, _ field: String, _ value: String, _ expected: String) throws {
        guard ok else { throw PackagingError("\(field): \(quoted(value)) is not valid; expected \(expected)") }
    }

    private func checkUnique(_ values: [String], _ what: String) throws {
        var seen = Set<String>()
        for value in values where !seen.insert(value).inserted {
            throw PackagingError("\(what): \(quoted(value)) appears more than once; expected unique values")
        }
    }

    private func quoted(_ s: String) -> String { String(reflecting: s) }
}

/// The last path segment (`gen/rtl/top.v` → `top.v`).
func fileName(_ path: String) -> String {
    String(path.split(separator: "/").last ?? Substring(path))
}
