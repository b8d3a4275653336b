/* cfs-store-private.h: store entry points for tests. */
#pragma once

#include "cfs-store.h"

G_BEGIN_DECLS

/* Opens @path migrating with @migrations instead of the built-in schema,
 * so tests can model an older or a newer release.
 */
CfsStore *cfs_store_open_with_migrations (const char          *path,
                                          const char * const  *migrations,
                                          int                  n_migrations,
                                          GError             **error);

G_END_DECLS
