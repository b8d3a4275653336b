/* cfs-server.h: confab-server's HTTP and WebSocket front, tying together
 * the settings, the store, the hub and the SoupServer.
 */
#pragma once

#include <glib-object.h>

#include "cfs-config.h"

G_BEGIN_DECLS

/* The minimum listen backlog: libsoup's default of 10 drops connections
 * when many clients reconnect at once.
 */
#define CFS_SERVER_LISTEN_BACKLOG 1024

#define CFS_TYPE_SERVER (cfs_server_get_type ())
G_DECLARE_FINAL_TYPE (CfsServer, cfs_server, CFS, SERVER, GObject)

CfsServer  *cfs_server_new      (CfsConfig  *config,
                                 GError    **error);
gboolean    cfs_server_listen   (CfsServer  *self,
                                 GError    **error);
const char *cfs_server_get_url  (CfsServer  *self);
void        cfs_server_shutdown (CfsServer  *self);

G_END_DECLS
