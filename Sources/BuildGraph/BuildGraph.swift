// The incremental build engine (DESIGN.md §3). It knows nothing of neural networks.
