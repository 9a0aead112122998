#define _GNU_SOURCE
#include "affinity.h"
#ifdef __linux__
#include <sched.h>

int lutbuild_affinity_read(void *mask, size_t size) {
    return sched_getaffinity(0, size, (cpu_set_t *)mask);
}

int lutbuild_affinity_write(const void *mask, size_t size) {
    return sched_setaffinity(0, size, (const cpu_set_t *)mask);
}
#else
int lutbuild_affinity_read(void *mask, size_t size) { (void)mask; (void)size; return -1; }
int lutbuild_affinity_write(const void *mask, size_t size) { (void)mask; (void)size; return -1; }
#endif
