// The whole C bridge: 8-bit code units, and the two PCRE2 macros Swift cannot import.
#ifndef SCAMSCAN_CPCRE2_SHIM_H
#define SCAMSCAN_CPCRE2_SHIM_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

static inline PCRE2_SIZE cpcre2_zero_terminated(void) { return PCRE2_ZERO_TERMINATED; }
static inline PCRE2_SIZE cpcre2_unset(void) { return PCRE2_UNSET; }

#endif
