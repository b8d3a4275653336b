/* confab-deep-link.c: parsing confab://join/ links
 *
 * A link names a room on a server:
 *
 *     confab://join/<host>[:port]/<room id>[?invite=<code>]
 *
 * It has no scheme for the server itself: the client connects with https,
 * or with http when the host is a loopback address, so that a link can never
 * make the client send a password unencrypted over the network. The invite
 * code is a secret: no message built here contains it.
 */
#define G_LOG_DOMAIN "confab-link"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>

#include "confab-deep-link.h"
#include "confab-json.h"
#include "confab-server-url.h"

#define INVITE_CODE_LENGTH 32

/* The link as messages may show it: without its query, which may carry
 * the invite code.
 */
static char *
dup_displayable_link (const char *uri)
{
  const char *query = strpbrk (uri, "?#");

  if (query == NULL)
    return g_strdup (uri);

  return g_strdup_printf ("%.*s?…", (int) (query - uri), uri);
}

static gboolean
set_malformed_error (GError     **error,
                     const char  *uri,
                     const char  *reason)
{
  g_autofree char *displayed_link = dup_displayable_link (uri);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               /* Translators: the first %s is a link, the second why it is invalid. */
               _("“%s” is not a valid Confab link: %s. A valid link looks like confab://join/confab.example.org/7."),
               displayed_link, reason);
  return FALSE;
}

/* Builds the server URL for @authority and checks it with the same rules as
 * a URL the user types.
 */
static char *
dup_server_url (const char *authority)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *https_url = g_strconcat ("https://", authority, NULL);
  const char *host;

  /* Host names, IP literals and a port: no escapes, user names or paths. */
  if (authority[strspn (authority, "abcdefghijklmnopqrstuvwxyz0123456789.-:[]")] != '\0')
    return NULL;

  uri = g_uri_parse (https_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_port (uri) == 0)
    return NULL;

  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_path (uri)[0] != '\0')
    return NULL;

  host = g_uri_get_host (uri);
  if (host == NULL || host[0] == '\0')
    return NULL;

  if (confab_server_url_is_loopback_host (host))
    {
      g_autofree char *http_url = g_strconcat ("http://", authority, NULL);

      return confab_server_url_normalize (http_url, NULL);
    }

  return confab_server_url_normalize (https_url, NULL);
}

static gboolean
parse_room_id (const char *text,
               gint64     *room_id)
{
  guint64 value;

  /* Only plain decimal digits: g_ascii_string_to_unsigned() alone would
   * accept a leading "+" or spaces.
   */
  for (const char *c = text; *c != '\0'; c++)
    {
      if (!g_ascii_isdigit (*c))
        return FALSE;
    }

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;

  *room_id = (gint64) value;
  return TRUE;
}

static char *
dup_invite_code (const char *query)
{
  g_autoptr(GHashTable) params = NULL;
  const char *code;

  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params == NULL || g_hash_table_size (params) != 1)
    return NULL;

  code = g_hash_table_lookup (params, "invite");
  if (code == NULL || strlen (code) != INVITE_CODE_LENGTH)
    return NULL;

  for (const char *c = code; *c != '\0'; c++)
    {
      if (!g_ascii_isxdigit (*c))
        return NULL;
    }

  return g_ascii_strdown (code, -1);
}

static int
get_port_or_default (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port != -1)
    return port;

  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

static void
accept_invite_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  gint64 *room_id = g_task_get_task_data (task);

  root = confab_api_request_finish (CONFAB_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The server's message explains why the invite failed and what to do. */
  if (error != NULL)
    {
      g_debug ("Accepting the invite to room %" G_GINT64_FORMAT " failed: %s",
               *room_id, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_int (task, *room_id);
}

static void
get_room_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  ConfabApi *api = CONFAB_API (source);
  gint64 *room_id = g_task_get_task_data (task);

  root = confab_api_request_finish (api, result, &error);
  if (g_error_matches (error, CONFAB_API_ERROR, CONFAB_API_ERROR_NOT_FOUND))
    {
      g_task_return_new_error (task, CONFAB_API_ERROR, CONFAB_API_ERROR_NOT_FOUND,
                               _("Room %lld was not found on %s. It was deleted, or it is private: ask a host of the room for an invite link."),
                               (long long) *room_id, confab_api_get_server_url (api));
      return;
    }

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_int (task, *room_id);
}

/**
 * confab_deep_link_parse:
 * @uri: a confab:// URI, e.g. from the desktop's URI handler
 * @error: return location for a %G_IO_ERROR_INVALID_ARGUMENT error whose
 *   message names the link (without its invite code) and shows a valid one
 *
 * Returns: (transfer full) (nullable): the parsed link
 */
ConfabDeepLink *
confab_deep_link_parse (const char  *uri,
                        GError     **error)
{
  g_autoptr(ConfabDeepLink) link = g_new0 (ConfabDeepLink, 1);
  g_autoptr(GUri) parsed = NULL;
  g_auto(GStrv) segments = NULL;
  const char *query;

  g_return_val_if_fail (uri != NULL, NULL);

  /* Step 1: the confab://join/ prefix, no fragment or user name. */
  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  if (parsed == NULL
      || g_ascii_strcasecmp (g_uri_get_scheme (parsed), "confab") != 0
      || g_strcmp0 (g_uri_get_host (parsed), "join") != 0
      || g_uri_get_port (parsed) != -1
      || g_uri_get_userinfo (parsed) != NULL)
    {
      set_malformed_error (error, uri, _("it must start with confab://join/"));
      return NULL;
    }

  if (g_uri_get_fragment (parsed) != NULL)
    {
      set_malformed_error (error, uri, _("it must not have a “#” part"));
      return NULL;
    }

  /* Step 2: "/<host>[:port]/<room id>", nothing more. */
  segments = g_strsplit (g_uri_get_path (parsed), "/", -1);
  if (g_strv_length (segments) != 3 || segments[0][0] != '\0' || segments[1][0] == '\0')
    {
      set_malformed_error (error, uri, _("it must name a server and a room id"));
      return NULL;
    }

  link->authority = g_ascii_strdown (segments[1], -1);
  link->server_url = dup_server_url (link->authority);
  if (link->server_url == NULL)
    {
      set_malformed_error (error, uri, _("its server address is invalid"));
      return NULL;
    }

  if (!parse_room_id (segments[2], &link->room_id))
    {
      set_malformed_error (error, uri, _("the room id must be a positive whole number"));
      return NULL;
    }

  /* Step 3: the optional invite code. */
  query = g_uri_get_query (parsed);
  if (query != NULL)
    {
      link->invite_code = dup_invite_code (query);
      if (link->invite_code == NULL)
        {
          set_malformed_error (error, uri, _("its invite code must be “invite=” and 32 hexadecimal digits"));
          return NULL;
        }
    }

  return g_steal_pointer (&link);
}

void
confab_deep_link_free (ConfabDeepLink *link)
{
  if (link == NULL)
    return;

  g_free (link->authority);
  g_free (link->server_url);
  if (link->invite_code != NULL)
    memset (link->invite_code, 0, strlen (link->invite_code));
  g_free (link->invite_code);
  g_free (link);
}

/**
 * confab_deep_link_matches_server:
 * @server_url: a URL checked by confab_server_url_normalize()
 *
 * Returns: %TRUE when @server_url has the link's scheme, host and port
 */
gboolean
confab_deep_link_matches_server (const ConfabDeepLink *link,
                                 const char           *server_url)
{
  g_autoptr(GUri) server = NULL;
  g_autoptr(GUri) linked = NULL;

  g_return_val_if_fail (link != NULL, FALSE);
  g_return_val_if_fail (server_url != NULL, FALSE);

  server = g_uri_parse (server_url, G_URI_FLAGS_NONE, NULL);
  linked = g_uri_parse (link->server_url, G_URI_FLAGS_NONE, NULL);
  if (server == NULL || linked == NULL)
    return FALSE;

  return g_ascii_strcasecmp (g_uri_get_scheme (server), g_uri_get_scheme (linked)) == 0
         && g_ascii_strcasecmp (g_uri_get_host (server), g_uri_get_host (linked)) == 0
         && get_port_or_default (server) == get_port_or_default (linked);
}

/**
 * confab_deep_link_check_async:
 * @api: a signed-in client for the link's server
 *
 * Makes sure the user may join the link's room: accepts the link's invite
 * code, or else checks that the room exists and is visible to the user.
 */
void
confab_deep_link_check_async (const ConfabDeepLink *link,
                              ConfabApi            *api,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (link != NULL);
  g_return_if_fail (CONFAB_IS_API (api));

  task = g_task_new (api, cancellable, callback, user_data);
  g_task_set_source_tag (task, confab_deep_link_check_async);
  g_task_set_task_data (task, g_memdup2 (&link->room_id, sizeof link->room_id), g_free);

  if (link->invite_code != NULL)
    {
      g_autoptr(JsonObject) body = json_object_new ();

      json_object_set_int_member (body, "room_id", link->room_id);
      path = g_strdup_printf ("/api/v1/invites/%s/accept", link->invite_code);
      confab_api_request_async (api, "POST", path, body, cancellable,
                                accept_invite_cb, g_steal_pointer (&task));
      return;
    }

  path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT, link->room_id);
  confab_api_request_async (api, "GET", path, NULL, cancellable,
                            get_room_cb, g_steal_pointer (&task));
}

/**
 * confab_deep_link_check_finish:
 *
 * Returns: the room id to join, or 0 with @error set to a message for the user
 */
gint64
confab_deep_link_check_finish (ConfabApi     *api,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, api), 0);

  return g_task_propagate_int (G_TASK (result), error);
}
