/* cfs-jitsi.h: the Jitsi app secret and meeting tokens (JWT). */
#pragma once

#include "cfs-config.h"
#include "cfs-types.h"

G_BEGIN_DECLS

#define CFS_JITSI_ERROR (cfs_jitsi_error_quark ())

typedef enum {
  CFS_JITSI_ERROR_WEAK_SECRET,
  CFS_JITSI_ERROR_FAILED,
} CfsJitsiError;

/* The shortest accepted secret, in bytes: HS256 keys below the hash size
 * weaken the signature.
 */
#define CFS_JITSI_SECRET_MIN_BYTES 32

/* How far `nbf` is back-dated, in seconds: Prosody allows no clock skew. */
#define CFS_JITSI_NBF_SKEW_SECONDS 30

GQuark    cfs_jitsi_error_quark  (void);

gboolean  cfs_jitsi_load_secret  (CfsConfig        *config,
                                  GError          **error);
char     *cfs_jitsi_create_token (const CfsConfig  *config,
                                  const CfsUser    *user,
                                  const CfsRoom    *room,
                                  const char       *role,
                                  gint64            now,
                                  gint64           *expires_at_out,
                                  GError          **error);

G_END_DECLS
