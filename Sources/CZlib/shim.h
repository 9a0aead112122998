#ifndef LUTBUILD_CZLIB_SHIM_H
#define LUTBUILD_CZLIB_SHIM_H
#include <zlib.h>
#endif
