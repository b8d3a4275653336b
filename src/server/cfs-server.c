/* cfs-server.c: confab-server's HTTP and WebSocket front.
 *
 * The server owns the settings, the store, the password hasher and the
 * hub, and one SoupServer on a socket it creates itself: libsoup's own
 * listen call uses a backlog of 10, too small for a burst of reconnects.
 */
#define G_LOG_DOMAIN "confab-server"

#include "config.h"

#include "cfs-routes.h"
#include "cfs-server-private.h"

G_DEFINE_FINAL_TYPE (CfsServer, cfs_server, G_TYPE_OBJECT)

static void
early_handler_cb (SoupServer        *soup_server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  cfs_routes_check_headers (CFS_SERVER (user_data), msg);
}

static void
request_handler_cb (SoupServer        *soup_server,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  cfs_routes_handle (CFS_SERVER (user_data), msg);
}

static char *
format_url (GInetSocketAddress *address)
{
  GInetAddress *inet = g_inet_socket_address_get_address (address);
  g_autofree char *host = g_inet_address_to_string (inet);
  guint16 port = g_inet_socket_address_get_port (address);

  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("http://[%s]:%u", host, port);

  return g_strdup_printf ("http://%s:%u", host, port);
}

static GSocket *
create_listening_socket (const CfsConfig  *config,
                         GError          **error)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (config->listen_address);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocket) socket = NULL;

  g_assert (inet != NULL);
  address = g_inet_socket_address_new (inet, config->port);

  socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return NULL;

  g_socket_set_listen_backlog (socket, CFS_SERVER_LISTEN_BACKLOG);

  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    {
      g_prefix_error (error, "Failed to listen on %s port %u (choose another with --port "
                      "or “port” in group [server]): ",
                      config->listen_address, config->port);
      return NULL;
    }

  return g_steal_pointer (&socket);
}

/* Sets up email invites, or logs why they are off. A misconfigured [smtp]
 * group turns them off instead of stopping the server, because rooms and
 * meetings work without them.
 */
static void
set_up_email_invites (CfsServer *self)
{
  const CfsConfig *config = self->config;
  g_autoptr(GError) error = NULL;

  if (config->smtp_host == NULL)
    {
      g_message ("Email invites are off: no SMTP server is configured (set “host” in group [smtp])");
      return;
    }

  /* Without public_url, links would take their host from the request's
   * Host header, which any client can set; mail must not carry such links.
   */
  if (config->public_url == NULL)
    {
      g_warning ("Email invites are off: set “public_url” in group [server] to the address "
                 "users open, so that mailed links point to this server");
      return;
    }

  self->smtp = cfs_smtp_client_new (config, &error);
  if (self->smtp == NULL)
    {
      g_warning ("Email invites are off: %s", error->message);
      return;
    }

  g_message ("Email invites go through the SMTP server %s port %u%s", config->smtp_host,
             config->smtp_port, config->smtp_starttls ? " with STARTTLS" : " without TLS");
}

static void
cfs_server_dispose (GObject *object)
{
  CfsServer *self = CFS_SERVER (object);

  if (self->soup_server != NULL)
    soup_server_disconnect (self->soup_server);
  g_clear_object (&self->soup_server);
  g_clear_object (&self->hub);
  g_clear_object (&self->smtp);
  g_clear_object (&self->auth);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cfs_server_parent_class)->dispose (object);
}

static void
cfs_server_finalize (GObject *object)
{
  CfsServer *self = CFS_SERVER (object);

  g_clear_pointer (&self->config, cfs_config_free);
  g_clear_pointer (&self->email_sends, g_hash_table_unref);
  g_free (self->url);

  G_OBJECT_CLASS (cfs_server_parent_class)->finalize (object);
}

static void
cfs_server_class_init (CfsServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cfs_server_dispose;
  object_class->finalize = cfs_server_finalize;
}

static void
cfs_server_init (CfsServer *self)
{
  self->email_sends = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                             (GDestroyNotify) g_array_unref);
}

/**
 * cfs_server_new:
 * @config: (transfer full): validated settings with the Jitsi secret loaded
 *
 * Opens the database and sets up the routes and the WebSocket.
 *
 * Returns: (transfer full): the server, not yet listening
 */
CfsServer *
cfs_server_new (CfsConfig  *config,
                GError    **error)
{
  g_autoptr(CfsServer) self = g_object_new (CFS_TYPE_SERVER, NULL);

  self->config = config;

  self->store = cfs_store_open (config->database_path, error);
  if (self->store == NULL)
    return NULL;

  self->auth = cfs_auth_new ();
  self->hub = cfs_hub_new (self->store, self->config);
  set_up_email_invites (self);

  self->soup_server = soup_server_new ("server-header", "confab-server/" PACKAGE_VERSION " ", NULL);

  /* permessage-deflate keeps about 290 KiB of zlib state per connection;
   * Confab's small JSON messages do not repay it.
   */
  soup_server_remove_websocket_extension (self->soup_server, SOUP_TYPE_WEBSOCKET_EXTENSION_DEFLATE);

  soup_server_add_early_handler (self->soup_server, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (self->soup_server, NULL, request_handler_cb, self, NULL);
  cfs_hub_attach (self->hub, self->soup_server);

  return g_steal_pointer (&self);
}

gboolean
cfs_server_listen (CfsServer  *self,
                   GError    **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) local = NULL;

  g_return_val_if_fail (CFS_IS_SERVER (self), FALSE);

  socket = create_listening_socket (self->config, error);
  if (socket == NULL)
    return FALSE;

  if (!soup_server_listen_socket (self->soup_server, socket, 0, error))
    return FALSE;

  local = g_socket_get_local_address (socket, error);
  if (local == NULL)
    return FALSE;

  self->url = format_url (G_INET_SOCKET_ADDRESS (local));
  g_message ("Listening on %s with database %s", self->url, self->config->database_path);

  return TRUE;
}

/**
 * cfs_server_get_url:
 *
 * Returns: the base URL the server listens on, such as
 *   http://127.0.0.1:8470, once cfs_server_listen() succeeded
 */
const char *
cfs_server_get_url (CfsServer *self)
{
  g_return_val_if_fail (CFS_IS_SERVER (self), NULL);

  return self->url;
}

/**
 * cfs_server_shutdown:
 *
 * Closes every WebSocket with CONFAB_CLOSE_SHUTTING_DOWN, commits the hub's
 * pending chat messages and stops listening.
 */
void
cfs_server_shutdown (CfsServer *self)
{
  g_return_if_fail (CFS_IS_SERVER (self));

  cfs_hub_shutdown (self->hub);
  soup_server_disconnect (self->soup_server);
}
