// swift-format-ignore-file: Vivado's own report text, kept byte for byte.
/// Report texts laid out as Vivado writes them (header block, `+---+` tables,
/// Design Timing Summary and Clock Summary sections); the numbers are made up.
enum VivadoReportFixtures {
    /// `report_utilization` of a routed xcvu9p design, Vivado 2020.1 layout
    /// (no "Prohibited" column).
    static let utilization2020 = """
        Copyright 1986-2020 Xilinx, Inc. All Rights Reserved.
        ------------------------------------------------------------------------------------------------
        | Tool Version : Vivado v.2020.1 (lin64) Build 2902540 Wed May 27 19:54:35 MDT 2020
        | Date         : Tue Nov 24 10:12:31 2026
        | Host         : fpga-build running 64-bit Ubuntu 18.04.5 LTS
        | Command      : report_utilization -file /home/user/proj/gen/vivado/reports/utilization.rpt
        | Design       : digits_lut
        | Device       : xcvu9pflgb2104-2
        | Design State : Routed
        ------------------------------------------------------------------------------------------------

        Utilization Design Information

        Table of Contents
        -----------------
        1. CLB Logic
        1.1 Summary of Registers by Type
        2. CLB Logic Distribution
        3. BLOCKRAM
        4. ARITHMETIC

        1. CLB Logic
        ------------

        +----------------------------+------+-------+-----------+-------+
        |          Site Type         | Used | Fixed | Available | Util% |
        +----------------------------+------+-------+-----------+-------+
        | CLB LUTs                   | 4684 |     0 |   1182240 |  0.40 |
        |   LUT as Logic             | 4684 |     0 |   1182240 |  0.40 |
        |   LUT as Memory            |    0 |     0 |    591840 |  0.00 |
        | CLB Registers              |  473 |     0 |   2364480 |  0.02 |
        |   Register as Flip Flop    |  473 |     0 |   2364480 |  0.02 |
        |   Register as Latch        |    0 |     0 |   2364480 |  0.00 |
        | CARRY8                     |    0 |     0 |    147780 |  0.00 |
        | F7 Muxes                   |  612 |     0 |    591120 |  0.10 |
        | F8 Muxes                   |  154 |     0 |    295560 |  0.05 |
        | F9 Muxes                   |    0 |     0 |    147780 |  0.00 |
        +----------------------------+------+-------+-----------+-------+


        1.1 Summary of Registers by Type
        --------------------------------

        +-------+--------------+-------------+--------------+
        | Total | Clock Enable | Synchronous | Asynchronous |
        +-------+--------------+-------------+--------------+
        | 0     |            _ |           - |            - |
        | 473   |          Yes |       Reset |            - |
        +-------+--------------+-------------+--------------+


        2. CLB Logic Distribution
        -------------------------

        +--------------------------------------------+------+-------+-----------+-------+
        |                  Site Type                 | Used | Fixed | Available | Util% |
        +--------------------------------------------+------+-------+-----------+-------+
        | CLB                                        |  802 |     0 |    147780 |  0.54 |
        | LUT as Logic                               | 4684 |     0 |   1182240 |  0.40 |
        |   using O5 output only                     |    0 |       |           |       |
        | Unique Control Sets                        |    6 |       |    295560 | <0.01 |
        +--------------------------------------------+------+-------+-----------+-------+


        3. BLOCKRAM
        -----------

        +----------------+------+-------+-----------+-------+
        |    Site Type   | Used | Fixed | Available | Util% |
        +----------------+------+-------+-----------+-------+
        | Block RAM Tile |    0 |     0 |      2160 |  0.00 |
        |   RAMB36/FIFO* |    0 |     0 |      2160 |  0.00 |
        |   RAMB18       |    0 |     0 |      4320 |  0.00 |
        +----------------+------+-------+-----------+-------+


        4. ARITHMETIC
        -------------

        +-----------+------+-------+-----------+-------+
        | Site Type | Used | Fixed | Available | Util% |
        +-----------+------+-------+-----------+-------+
        | DSPs      |    0 |     0 |      6840 |  0.00 |
        +-----------+------+-------+-----------+-------+


        """

    /// The same kind of report in the 2021+ layout (with a "Prohibited" column)
    /// and CRLF line ends, as when copied from a Windows machine.
    static let utilization2023 = """
        Copyright 1986-2022 Xilinx, Inc. All Rights Reserved. Copyright 2022-2023 Advanced Micro Devices, Inc. All Rights Reserved.
        ---------------------------------------------------------------------------------------------------------------------------------------------
        | Tool Version : Vivado v.2023.2 (win64) Build 4029153 Fri Oct 13 20:14:34 MDT 2023
        | Design       : jsc_lut
        | Device       : xcvu9p-flgb2104-2-i
        | Speed File   : -2
        | Design State : Routed
        ---------------------------------------------------------------------------------------------------------------------------------------------

        1. CLB Logic
        ------------

        +----------------------------+-------+-------+------------+-----------+-------+
        |          Site Type         |  Used | Fixed | Prohibited | Available | Util% |
        +----------------------------+-------+-------+------------+-----------+-------+
        | CLB LUTs                   | 92357 |     0 |          0 |   1182240 |  7.81 |
        |   LUT as Logic             | 92100 |     0 |          0 |   1182240 |  7.79 |
        |   LUT as Memory            |   257 |     0 |          0 |    591840 |  0.04 |
        | CLB Registers              |  2212 |     0 |          0 |   2364480 |  0.09 |
        | CARRY8                     |     3 |     0 |          0 |    147780 | <0.01 |
        | F7 Muxes                   | 20011 |     0 |          0 |    591120 |  3.39 |
        | F8 Muxes                   |  8003 |     0 |          0 |    295560 |  2.71 |
        +----------------------------+-------+-------+------------+-----------+-------+

        3. BLOCKRAM
        -----------

        +----------------+------+-------+------------+-----------+-------+
        |    Site Type   | Used | Fixed | Prohibited | Available | Util% |
        +----------------+------+-------+------------+-----------+-------+
        | Block RAM Tile |  1.5 |     0 |          0 |      2160 |  0.07 |
        +----------------+------+-------+------------+-----------+-------+

        """.replacingOccurrences(of: "\n", with: "\r\n")

    /// A 7-series synthesis report, whose rows say "Slice" and carry a `*`.
    static let utilization7Series = """
        | Design       : top
        | Device       : 7a35tcpg236-1
        | Design State : Synthesized

        +-------------------------+------+-------+-----------+-------+
        |        Site Type        | Used | Fixed | Available | Util% |
        +-------------------------+------+-------+-----------+-------+
        | Slice LUTs*             |  310 |     0 |     20800 |  1.49 |
        |   LUT as Logic          |  310 |     0 |     20800 |  1.49 |
        | Slice Registers         |  120 |     0 |     41600 |  0.29 |
        | F7 Muxes                |    4 |     0 |     16300 |  0.02 |
        +-------------------------+------+-------+-----------+-------+
        """

    static func timingSummary(
        wns: String, tns: String, failing: Int, period: String, frequency: String, met: Bool,
        noInputDelay: Int = 0, noOutputDelay: Int = 0
    ) -> String {
        """
        Copyright 1986-2020 Xilinx, Inc. All Rights Reserved.
        ------------------------------------------------------------------------------------------------
        | Tool Version      : Vivado v.2020.1 (lin64) Build 2902540 Wed May 27 19:54:35 MDT 2020
        | Command           : report_timing_summary -max_paths 10 -file timing_summary.rpt
        | Design            : digits_lut
        | Device            : xcvu9p-flgb2104
        | Speed File        : -2  PRODUCTION 1.27 02-28-2020
        ------------------------------------------------------------------------------------------------

        Timing Summary Report

        ------------------------------------------------------------------------------------------------
        | Timer Settings
        | --------------
        ------------------------------------------------------------------------------------------------

          Enable Multi Corner Analysis               :  Yes

        check_timing report

        Table of Contents
        -----------------
        1. checking no_clock (0)
        2. checking constant_clock (0)
        3. checking pulse_width_clock (0)
        4. checking unconstrained_internal_endpoints (0)
        5. checking no_input_delay (\(noInputDelay))
        6. checking no_output_delay (\(noOutputDelay))
        7. checking multiple_clock (0)

        ------------------------------------------------------------------------------------------------
        | Design Timing Summary
        | ---------------------
        ------------------------------------------------------------------------------------------------

            WNS(ns)      TNS(ns)  TNS Failing Endpoints  TNS Total Endpoints      WHS(ns)      THS(ns)  THS Failing Endpoints \
         THS Total Endpoints     WPWS(ns)     TPWS(ns)  TPWS Failing Endpoints  TPWS Total Endpoints  
            -------      -------  ---------------------  -------------------      -------      -------  --------------------- \
         -------------------     --------     --------  ----------------------  --------------------  
        \(wns.leftPadded(11))  \(tns.leftPadded(11))  \(String(failing).leftPadded(21))                  946        0.051      \
          0.000                      0                  946        0.725        0.000                       0                   474  


        \(met ? "All user specified timing constraints are met." : "Timing constraints are not met.")


        ------------------------------------------------------------------------------------------------
        | Clock Summary
        | -------------
        ------------------------------------------------------------------------------------------------

        Clock  Waveform(ns)         Period(ns)      Frequency(MHz)
        -----  ------------         ----------      --------------
        clk    {0.000 \(half(period))}        \(period)           \(frequency)         


        ------------------------------------------------------------------------------------------------
        | Intra Clock Table
        | -----------------
        ------------------------------------------------------------------------------------------------

        Clock             WNS(ns)      TNS(ns)  TNS Failing Endpoints  TNS Total Endpoints      WHS(ns)      THS(ns)  THS\
         Failing Endpoints  THS Total Endpoints     WPWS(ns)     TPWS(ns)  TPWS Failing Endpoints  TPWS Total Endpoints  
        -----             -------      -------  ---------------------  -------------------      -------      ------- \
         ---------------------  -------------------     --------     --------  ----------------------  --------------------  
        clk               \(wns)        \(tns)                      \(failing)                  946        0.051        0.000  \
                            0                  946        0.725        0.000                       0                   474  

        """
    }

    private static func half(_ period: String) -> String {
        String(format: "%.3f", (Double(period) ?? 0) / 2)
    }

    static let hierarchical = """
        Copyright 1986-2020 Xilinx, Inc. All Rights Reserved.
        ------------------------------------------------------------------------------------
        | Command      : report_utilization -hierarchical -file utilization_hierarchical.rpt
        | Design       : digits_lut
        | Design State : Routed
        ------------------------------------------------------------------------------------

        Utilization Design Information

        Table of Contents
        -----------------
        1. Utilization by Hierarchy

        1. Utilization by Hierarchy
        ---------------------------

        +------------------+-----------------------+------------+------------+---------+------+-----+--------+--------+------+------------+
        |     Instance     |         Module        | Total LUTs | Logic LUTs | LUTRAMs | SRLs | FFs | RAMB36 | RAMB18 | URAM | DSP Blocks |
        +------------------+-----------------------+------------+------------+---------+------+-----+--------+--------+------+------------+
        | digits_lut       |                 (top) |       4684 |       4684 |       0 |    0 | 473 |      0 |      0 |    0 |          0 |
        |   (digits_lut)   |                 (top) |          0 |          0 |       0 |    0 | 256 |      0 |      0 |    0 |          0 |
        |   layer0         |     digits_lut_layer0 |       3900 |       3900 |       0 |    0 | 128 |      0 |      0 |    0 |          0 |
        |     p0           | digits_lut_layer0_p0  |         12 |         12 |       0 |    0 |   0 |      0 |      0 |    0 |          0 |
        |   layer1         |     digits_lut_layer1 |        784 |        784 |       0 |    0 |  89 |      0 |      0 |    0 |          0 |
        +------------------+-----------------------+------------+------------+---------+------+-----+--------+--------+------+------------+


        """
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
