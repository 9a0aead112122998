#ifndef LUTBUILD_CLIBXML2_SHIM_H
#define LUTBUILD_CLIBXML2_SHIM_H
// Debian's libxml2 is built with ICU; its ICU headers clash with Foundation's
// bundled ICU, so the ICU part of libxml2's API is hidden here.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlsave.h>
#include <libxml/xmlwriter.h>

// xmlFree is a global function pointer, which Swift 6 sees as shared mutable
// state; this wrapper lets Swift release libxml2-allocated buffers.
static inline void lutbuild_xml_free(void *pointer) { xmlFree(pointer); }
#endif
