// Verilog emission, testbench, simulation and yosys drivers (DESIGN.md §2).
