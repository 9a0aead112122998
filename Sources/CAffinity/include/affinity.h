#ifndef LUTBUILD_AFFINITY_H
#define LUTBUILD_AFFINITY_H
#include <stddef.h>

/// The calling thread's CPU affinity mask into `mask` (`size` bytes, one bit
/// per CPU); 0 on success, -1 where it cannot be read (or off Linux).
/// Swift's Glibc module does not export sched_getaffinity (it needs _GNU_SOURCE).
int lutbuild_affinity_read(void *mask, size_t size);
/// Sets the calling thread's mask (tests pin themselves as `taskset` would).
int lutbuild_affinity_write(const void *mask, size_t size);

#endif
