#ifndef LUTBUILD_PREFETCH_H
#define LUTBUILD_PREFETCH_H

/// Asks the CPU to start loading the cache line at `address` for reading.
/// Swift has no prefetch of its own; being static inline, the call compiles
/// to the one instruction where Swift uses it.
static inline void lutbuild_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

#endif
