/* confab-server-url.h: checking the server URL a user enters */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *confab_server_url_normalize (const char  *text,
                                   GError     **error);

gboolean confab_server_url_is_loopback_host (const char *host);

G_END_DECLS
