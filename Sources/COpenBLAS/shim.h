#ifndef LUTBUILD_COPENBLAS_SHIM_H
#define LUTBUILD_COPENBLAS_SHIM_H
#include <cblas.h>
#endif
