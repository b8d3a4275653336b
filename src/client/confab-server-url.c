/* confab-server-url.c: checking the server URL a user enters
 *
 * The session token travels in an Authorization header on every request, so
 * plain http:// is acceptable only when the traffic never leaves this
 * computer: a loopback address or "localhost".
 */
#define G_LOG_DOMAIN "confab-api"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>

#include "confab-server-url.h"

/**
 * confab_server_url_is_loopback_host:
 * @host: a host name or IP literal, IPv6 with or without brackets
 *
 * Returns: %TRUE for "localhost", 127.0.0.0/8 and ::1
 */
gboolean
confab_server_url_is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;
  gsize length;

  g_return_val_if_fail (host != NULL, FALSE);

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  length = strlen (host);
  if (length >= 2 && host[0] == '[' && host[length - 1] == ']')
    bare = g_strndup (host + 1, length - 2);
  else
    bare = g_strdup (host);

  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * confab_server_url_normalize:
 * @text: the URL as the user typed it
 * @error: return location for a %G_IO_ERROR_INVALID_ARGUMENT error whose
 *   message names the URL and says how to fix it
 *
 * Checks a server URL and returns it without surrounding spaces or a
 * trailing slash, ready to have "/api/v1/..." appended.
 *
 * Returns: (transfer full) (nullable): the normalized URL
 */
char *
confab_server_url_normalize (const char  *text,
                             GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) parse_error = NULL;
  const char *scheme;
  const char *host;
  const char *path;
  gsize length;

  g_return_val_if_fail (text != NULL, NULL);

  trimmed = g_strstrip (g_strdup (text));
  if (trimmed[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Enter the server address, for example https://confab.example.org."));
      return NULL;
    }

  uri = g_uri_parse (trimmed, G_URI_FLAGS_NONE, &parse_error);
  if (uri == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a valid server address. Enter a full address such as https://confab.example.org."),
                   trimmed);
      return NULL;
    }

  /* Step 1: only http and https, with a host and nothing that would be
   * lost or misused when paths are appended.
   */
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” does not start with https://. Enter an address such as https://confab.example.org."),
                   trimmed);
      return NULL;
    }

  if (host == NULL || host[0] == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” has no host name. Enter an address such as https://confab.example.org."),
                   trimmed);
      return NULL;
    }

  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL
      || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” contains a user name, query or fragment. Enter only the server address, such as https://confab.example.org."),
                   trimmed);
      return NULL;
    }

  /* Step 2: plain http only when the traffic stays on this computer. */
  if (g_ascii_strcasecmp (scheme, "http") == 0 && !confab_server_url_is_loopback_host (host))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” uses plain http://, which would send your password unencrypted. Use https:// for a server on another computer."),
                   trimmed);
      return NULL;
    }

  /* Step 3: drop trailing slashes, so that "/api/v1/..." can be appended. */
  path = g_uri_get_path (uri);
  length = strlen (trimmed);
  if (path[0] != '\0')
    {
      while (length > 0 && trimmed[length - 1] == '/')
        length--;
    }

  return g_strndup (trimmed, length);
}
