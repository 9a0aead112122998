// Vivado TCL, IP-XACT component.xml and FuseSoC core files (DESIGN.md §2).
