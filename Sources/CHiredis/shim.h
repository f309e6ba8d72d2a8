// The whole C bridge to hiredis (Debian: libhiredis-dev), the Redis project's own C client: the
// connection, the RESP reader and command formatting; ScamScan never writes the protocol itself.
#ifndef SCAMSCAN_CHIREDIS_SHIM_H
#define SCAMSCAN_CHIREDIS_SHIM_H

#include <hiredis/hiredis.h>

/// The context's error text (a char array Swift imports as a tuple).
static inline const char *chiredis_errstr(const redisContext *c) { return c->errstr; }

#endif
