/* confab-deep-link.h: parsing confab://join/ links */
#pragma once

#include <gio/gio.h>

#include "confab-api.h"

G_BEGIN_DECLS

typedef struct
{
  /* The server as the link names it: host and optional port, an IPv6
   * literal in brackets, e.g. "confab.example.org" or "[::1]:8470".
   */
  char   *authority;
  /* The URL to sign in to: https, or http for a loopback host. */
  char   *server_url;
  gint64  room_id;
  /* Lowercase, or %NULL when the link carries no invite. A secret. */
  char   *invite_code;
} ConfabDeepLink;

ConfabDeepLink *confab_deep_link_parse (const char     *uri,
                                        GError        **error);
void            confab_deep_link_free  (ConfabDeepLink *link);

gboolean confab_deep_link_matches_server (const ConfabDeepLink  *link,
                                          const char            *server_url);
void     confab_deep_link_check_async    (const ConfabDeepLink  *link,
                                          ConfabApi             *api,
                                          GCancellable          *cancellable,
                                          GAsyncReadyCallback    callback,
                                          gpointer               user_data);
gint64   confab_deep_link_check_finish   (ConfabApi             *api,
                                          GAsyncResult          *result,
                                          GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfabDeepLink, confab_deep_link_free)

G_END_DECLS
