/// Resource counts from `report_utilization` (UltraScale/UltraScale+ "CLB"
/// naming and 7-series "Slice" naming are both understood).
public struct Utilization: Sendable, Hashable, Codable {
    public var luts: Int
    public var lutsAsLogic: Int?
    public var lutsAsMemory: Int?
    public var registers: Int
    public var carryChains: Int?
    public var f7Muxes: Int?
    public var f8Muxes: Int?
    public var blockRAMTiles: Double?
    public var dsps: Int?
    /// `Design State` from the report header, e.g. `Routed`.
    public var designState: String?

    public init(
        luts: Int, lutsAsLogic: Int? = nil, lutsAsMemory: Int? = nil, registers: Int,
        carryChains: Int? = nil, f7Muxes: Int? = nil, f8Muxes: Int? = nil,
        blockRAMTiles: Double? = nil, dsps: Int? = nil, designState: String? = nil
    ) {
        self.luts = luts
        self.lutsAsLogic = lutsAsLogic
        self.lutsAsMemory = lutsAsMemory
        self.registers = registers
        self.carryChains = carryChains
        self.f7Muxes = f7Muxes
        self.f8Muxes = f8Muxes
        self.blockRAMTiles = blockRAMTiles
        self.dsps = dsps
        self.designState = designState
    }

    /// Parses the text of a `report_utilization` report; `file` names it in errors.
    static func parse(_ text: String, file: String) throws -> Utilization {
        let siteTables = ReportTable.all(in: text).filter { $0.header.first == "Site Type" && $0.column("Used") != nil }
        func used(_ names: String...) -> Double? {
            for table in siteTables {
                let usedColumn = table.column("Used")!
                for row in table.rows where row.count > usedColumn {
                    let site = row[0].hasSuffix("*") ? String(row[0].dropLast()) : row[0]
                    if names.contains(trimmed(site)), let value = Double(row[usedColumn]) { return value }
                }
            }
            return nil
        }
        guard let luts = used("CLB LUTs", "Slice LUTs") else {
            throw PackagingError("\(file): no 'CLB LUTs' or 'Slice LUTs' row found; expected a Vivado report_utilization report")
        }
        guard let registers = used("CLB Registers", "Slice Registers") else {
            throw PackagingError("\(file): no 'CLB Registers' or 'Slice Registers' row found; expected a Vivado report_utilization report")
        }
        return Utilization(
            luts: Int(luts),
            lutsAsLogic: used("LUT as Logic").map { Int($0) },
            lutsAsMemory: used("LUT as Memory").map { Int($0) },
            registers: Int(registers),
            carryChains: used("CARRY8", "CARRY4").map { Int($0) },
            f7Muxes: used("F7 Muxes").map { Int($0) },
            f8Muxes: used("F8 Muxes").map { Int($0) },
            blockRAMTiles: used("Block RAM Tile"),
            dsps: used("DSPs").map { Int($0) },
            designState: reportHeaderField("Design State", in: text)
        )
    }
}

/// One instance of `report_utilization -hierarchical`.
public struct HierarchyEntry: Sendable, Hashable, Codable {
    /// 0 for the top, 1 for its children, …
    public var depth: Int
    public var instance: String
    public var module: String
    public var totalLUTs: Int
    public var flipFlops: Int?

    public init(depth: Int, instance: String, module: String, totalLUTs: Int, flipFlops: Int?) {
        self.depth = depth
        self.instance = instance
        self.module = module
        self.totalLUTs = totalLUTs
        self.flipFlops = flipFlops
    }

    /// Parses the text of a hierarchical utilization report; `file` names it in errors.
    static func parse(_ text: String, file: String) throws -> [HierarchyEntry] {
        guard let table = ReportTable.all(in: text).first(where: { $0.column("Instance") != nil && $0.column("Total LUTs") != nil }),
            let instanceColumn = table.column("Instance"), let moduleColumn = table.column("Module"),
            let lutColumn = table.column("Total LUTs")
        else {
            throw PackagingError(
                "\(file): no table with 'Instance', 'Module' and 'Total LUTs' columns; expected a report_utilization -hierarchical report")
        }
        let ffColumn = table.column("FFs")
        return try table.rawRows.enumerated().map { offset, raw in
            guard raw.count == table.header.count, let luts = Int(trimmed(raw[lutColumn])) else {
                throw PackagingError(
                    "\(file): hierarchy row \(offset + 1) does not match the table header; expected \(table.header.count) cells"
                        + " with a number of LUTs"
                )
            }
            let cell = raw[instanceColumn]
            let indent = cell.prefix { $0 == " " }.count
            return HierarchyEntry(
                depth: max(0, (indent - 1) / 2),
                instance: trimmed(cell),
                module: trimmed(raw[moduleColumn]),
                totalLUTs: luts,
                flipFlops: ffColumn.flatMap { Int(trimmed(raw[$0])) }
            )
        }
    }
}
