/* cfs-hub.c: live state behind the WebSocket: the upgrade, connections,
 * fan-out of encoded messages and the lobby.
 *
 * Seats and presence are in cfs-hub-presence.c, message handlers in
 * cfs-hub-messages.c, REST routes and metrics in cfs-hub-routes.c.
 */
#define G_LOG_DOMAIN "confab-hub"

#include "config.h"

#include <string.h>

#include "confab-protocol.h"

#include "cfs-http.h"
#include "cfs-hub-private.h"

#define TICK_INTERVAL_S 1

/* A lobby page's size bound, by estimate; see estimate_lobby_room_size(). */
#define LOBBY_PAGE_MAX_BYTES (96 * 1024)

G_DEFINE_FINAL_TYPE (CfsHub, cfs_hub, G_TYPE_OBJECT)

typedef struct {
  CfsHub   *hub;
  CfsUser  *user;
  char     *session_hash;
  gboolean  opened;        /* the connection took over the user's count */
} PendingUpgrade;

static guint
count_user_connections (CfsHub *self,
                        gint64  user_id)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->user_connections, &user_id));
}

static void
add_user_connection (CfsHub *self,
                     gint64  user_id)
{
  guint count = count_user_connections (self, user_id) + 1;

  g_hash_table_insert (self->user_connections, g_memdup2 (&user_id, sizeof user_id),
                       GUINT_TO_POINTER (count));
}

static void
remove_user_connection (CfsHub *self,
                        gint64  user_id)
{
  guint count = count_user_connections (self, user_id);

  if (count <= 1)
    g_hash_table_remove (self->user_connections, &user_id);
  else
    g_hash_table_insert (self->user_connections, g_memdup2 (&user_id, sizeof user_id),
                         GUINT_TO_POINTER (count - 1));
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
pending_upgrade_free (gpointer data,
                      GClosure *closure)
{
  PendingUpgrade *upgrade = data;

  /* A handshake whose 101 was never written opened nothing. */
  if (!upgrade->opened)
    remove_user_connection (upgrade->hub, upgrade->user->id);

  g_object_unref (upgrade->hub);
  cfs_user_free (upgrade->user);
  g_free (upgrade->session_hash);
  g_free (upgrade);
}

static void
add_room_summary (CfsHub        *self,
                  JsonBuilder   *builder,
                  const CfsRoom *room)
{
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, room->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, room->name);
  json_builder_set_member_name (builder, "topic");
  json_builder_add_string_value (builder, room->topic);
  json_builder_set_member_name (builder, "capacity");
  json_builder_add_int_value (builder, room->capacity);
  json_builder_set_member_name (builder, "participants");
  json_builder_add_int_value (builder, cfs_hub_count_participants (self, room->id));
  json_builder_set_member_name (builder, "owner");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, room->owner_id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, room->owner_name);
  json_builder_end_object (builder);
}

static GBytes *
encode_room_updated_cb (gint64       room_id,
                        GHashTable **audience_out,
                        gpointer     user_data)
{
  CfsHub *self = user_data;
  g_autoptr(CfsRoom) room = cfs_store_get_room (self->store, room_id, NULL);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;

  if (room == NULL)
    return NULL;

  if (room->is_private)
    {
      *audience_out = cfs_store_list_room_audience (self->store, room_id, &error);
      if (*audience_out == NULL)
        {
          g_warning ("Failed to list who may see room %" G_GINT64_FORMAT ": %s",
                     room_id, error->message);
          return NULL;
        }
    }

  builder = cfs_hub_begin_message (CONFAB_MSG_ROOM_UPDATED, NULL);
  json_builder_set_member_name (builder, "room");
  json_builder_begin_object (builder);
  add_room_summary (self, builder, room);
  json_builder_set_member_name (builder, "private");
  json_builder_add_boolean_value (builder, room->is_private);
  json_builder_end_object (builder);

  return cfs_hub_end_message (builder);
}

static void
send_hello (CfsHub        *self,
            CfsConnection *connection)
{
  const CfsUser *user = cfs_connection_get_user (connection);
  g_autoptr(JsonBuilder) builder = cfs_hub_begin_message (CONFAB_MSG_HELLO, NULL);
  g_autoptr(GBytes) message = NULL;

  json_builder_set_member_name (builder, "protocol");
  json_builder_add_int_value (builder, CONFAB_PROTOCOL_VERSION);
  json_builder_set_member_name (builder, "serverTime");
  json_builder_add_int_value (builder, now_seconds ());

  json_builder_set_member_name (builder, "user");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, user->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, user->name);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, user->email);
  json_builder_set_member_name (builder, "avatar_url");
  if (user->avatar_url != NULL)
    json_builder_add_string_value (builder, user->avatar_url);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "is_admin");
  json_builder_add_boolean_value (builder, user->is_admin);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "limits");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "maxMessageBytes");
  json_builder_add_int_value (builder, CONFAB_WS_MAX_MESSAGE);
  json_builder_set_member_name (builder, "chatMaxChars");
  json_builder_add_int_value (builder, CONFAB_CHAT_MAX_CHARS);
  json_builder_set_member_name (builder, "notesMaxBytes");
  json_builder_add_int_value (builder, CONFAB_NOTES_MAX_BYTES);
  json_builder_end_object (builder);

  message = cfs_hub_end_message (builder);
  cfs_connection_send (connection, message);
}

static void
on_connection_message_cb (CfsConnection *connection,
                          JsonObject    *message,
                          const char    *type,
                          gpointer       user_data)
{
  CfsHub *self = user_data;

  cfs_hub_dispatch_message (self, connection, message, type);
}

static void
on_connection_closed_cb (CfsConnection *connection,
                         gpointer       user_data)
{
  CfsHub *self = user_data;
  guint64 id = cfs_connection_get_id (connection);

  g_debug ("Connection %" G_GUINT64_FORMAT " of user %" G_GINT64_FORMAT " closed",
           id, cfs_connection_get_user (connection)->id);

  cfs_lobby_remove_watcher (self->lobby, connection);
  if (cfs_connection_get_room_id (connection) != 0)
    cfs_hub_leave_room (self, connection, "disconnected");
  remove_user_connection (self, cfs_connection_get_user (connection)->id);

  g_signal_handlers_disconnect_by_data (connection, self);
  g_hash_table_remove (self->connections, &id);
}

/* Runs once the 101 response is written: from here on the socket speaks
 * WebSocket, and the connection takes the stream over from SoupServer.
 */
static void
on_upgrade_written_cb (SoupServerMessage *msg,
                       gpointer           user_data)
{
  PendingUpgrade *upgrade = user_data;
  CfsHub *self = upgrade->hub;
  g_autoptr(GIOStream) stream = NULL;
  CfsConnection *connection;
  guint64 id;

  if (soup_server_message_get_status (msg) != SOUP_STATUS_SWITCHING_PROTOCOLS)
    return;

  upgrade->opened = TRUE;
  stream = soup_server_message_steal_connection (msg);
  connection = cfs_connection_new (stream, soup_server_message_get_uri (msg),
                                   upgrade->user, upgrade->session_hash,
                                   self->config, &self->counters);
  id = cfs_connection_get_id (connection);
  cfs_connection_set_session_expiry (connection,
                                     cfs_store_live_get_session_expiry (self->live, upgrade->session_hash));

  /* The table owns the reference from cfs_connection_new(). */
  g_hash_table_insert (self->connections, g_memdup2 (&id, sizeof id), connection);
  g_signal_connect (connection, "message", G_CALLBACK (on_connection_message_cb), self);
  g_signal_connect (connection, "closed", G_CALLBACK (on_connection_closed_cb), self);

  g_debug ("Connection %" G_GUINT64_FORMAT " of user %" G_GINT64_FORMAT " opened",
           id, upgrade->user->id);

  send_hello (self, connection);
}

static void
handle_websocket_request_cb (SoupServer        *server,
                             SoupServerMessage *msg,
                             const char        *path,
                             GHashTable        *query,
                             gpointer           user_data)
{
  CfsHub *self = user_data;
  g_autoptr(CfsUser) user = NULL;
  g_autofree char *session_hash = NULL;
  PendingUpgrade *upgrade;

  if (strcmp (path, "/api/v1/ws") != 0)
    {
      cfs_http_send_error (msg, SOUP_STATUS_NOT_FOUND, CONFAB_ERR_NOT_FOUND,
                           "No route for %s.", path);
      return;
    }

  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "GET");
      cfs_http_send_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, CONFAB_ERR_METHOD_NOT_ALLOWED,
                           "Open the WebSocket with GET.");
      return;
    }

  /* Sends 401 itself when there is no valid session. */
  user = cfs_http_authenticate (msg, self->store, &session_hash);
  if (user == NULL)
    return;

  if (self->shutting_down)
    {
      cfs_http_send_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, CONFAB_ERR_INTERNAL,
                           "The server is shutting down: reconnect later.");
      return;
    }

  /* One account cannot use up the server's sockets. */
  if (count_user_connections (self, user->id) >= self->config->max_connections_per_user)
    {
      g_message ("Refused a WebSocket of user %" G_GINT64_FORMAT ": %u open already",
                 user->id, self->config->max_connections_per_user);
      cfs_http_send_error (msg, CFS_HTTP_STATUS_TOO_MANY_REQUESTS, CONFAB_ERR_RATE_LIMITED,
                           "This account has %u open connections, the most the server allows: "
                           "close Confab on another device and try again.",
                           self->config->max_connections_per_user);
      return;
    }

  /* No extensions are offered: see cfs_connection_new(). On a bad
   * handshake libsoup sets the error status itself.
   */
  if (!soup_websocket_server_process_handshake (msg, NULL, NULL, NULL, NULL))
    return;

  upgrade = g_new0 (PendingUpgrade, 1);
  upgrade->hub = g_object_ref (self);
  upgrade->user = g_steal_pointer (&user);
  upgrade->session_hash = g_steal_pointer (&session_hash);
  add_user_connection (self, upgrade->user->id);

  g_signal_connect_data (msg, "wrote-informational", G_CALLBACK (on_upgrade_written_cb),
                         upgrade, pending_upgrade_free, 0);
}

static gboolean
tick_cb (gpointer user_data)
{
  CfsHub *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer connection;

  /* Closing only marks a connection; it leaves the table on a later turn. */
  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, NULL, &connection))
    cfs_connection_check_alive (connection, now);

  return G_SOURCE_CONTINUE;
}

/* Helpers shared with the other cfs-hub-*.c files. */

JsonBuilder *
cfs_hub_begin_message (const char *type,
                       const char *request_id)
{
  JsonBuilder *builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);

  if (request_id != NULL)
    {
      json_builder_set_member_name (builder, "requestId");
      json_builder_add_string_value (builder, request_id);
    }

  return builder;
}

/* Encodes a message once, so that its bytes can go to many connections. */
GBytes *
cfs_hub_end_message (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = NULL;
  char *text;

  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);

  return g_bytes_new_take (text, strlen (text));
}

/* Begins a room event and gives it the room's next sequence number. */
JsonBuilder *
cfs_hub_begin_room_event (CfsLiveRoom *room,
                          const char  *type)
{
  JsonBuilder *builder = cfs_hub_begin_message (type, NULL);

  json_builder_set_member_name (builder, "roomId");
  json_builder_add_int_value (builder, room->id);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, ++room->seq);

  return builder;
}

void
cfs_hub_send_to_room (CfsLiveRoom *room,
                      GBytes      *message)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, room->participants);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      CfsParticipant *participant = value;

      for (guint i = 0; i < participant->connections->len; i++)
        cfs_connection_send (g_ptr_array_index (participant->connections, i), message);
    }
}

/* Sends @message to every connection of @user_id, in a room or not. */
void
cfs_hub_send_to_user (CfsHub *self,
                      gint64  user_id,
                      GBytes *message)
{
  GHashTableIter iter;
  gpointer connection;

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, NULL, &connection))
    {
      if (cfs_connection_get_user (connection)->id == user_id)
        cfs_connection_send (connection, message);
    }
}

void
cfs_hub_send_ok (CfsConnection *connection,
                 const char    *request_id)
{
  g_autoptr(JsonBuilder) builder = cfs_hub_begin_message (CONFAB_MSG_OK, request_id);
  g_autoptr(GBytes) message = cfs_hub_end_message (builder);

  cfs_connection_send (connection, message);
}

/* Adds @value, or null for 0. */
void
cfs_hub_add_nullable_int (JsonBuilder *builder,
                          const char  *name,
                          gint64       value)
{
  json_builder_set_member_name (builder, name);
  if (value != 0)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* Returns an upper bound of the encoded size of a lobby room: JSON escapes
 * take at most six bytes per byte of text, and the rest of the object is
 * well under 400 bytes.
 */
static gsize
estimate_lobby_room_size (const CfsRoom *room)
{
  return 6 * (strlen (room->name) + strlen (room->topic) + strlen (room->owner_name)) + 400;
}

/* NOTE: each room costs two queries (ban and role) per subscriber, so a
 * lobby of thousands of rooms makes a subscribe block the main loop for
 * some milliseconds per thousand rooms (an estimate, not measured).
 */
static void
add_lobby_room (CfsHub        *self,
                JsonBuilder   *builder,
                const CfsRoom *room,
                gint64         user_id)
{
  gint64 until = 0;
  gboolean banned = cfs_store_get_ban (self->store, room->id, user_id, &until);

  json_builder_begin_object (builder);
  add_room_summary (self, builder, room);
  json_builder_set_member_name (builder, "private");
  json_builder_add_boolean_value (builder, room->is_private);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, cfs_store_get_role (self->store, room->id, user_id));
  cfs_hub_add_nullable_int (builder, "bannedUntil", banned ? until : 0);
  json_builder_set_member_name (builder, "banned");
  json_builder_add_boolean_value (builder, banned);
  json_builder_end_object (builder);
}

/* Sends the snapshot in pages of at most CONFAB_LOBBY_PAGE_ROOMS rooms and
 * LOBBY_PAGE_MAX_BYTES, so that every page fits the 128 KiB a libsoup
 * client accepts by default, however long the names and topics. Then adds
 * the connection to the watchers.
 */
void
cfs_hub_subscribe_lobby (CfsHub        *self,
                         CfsConnection *connection,
                         const char    *request_id)
{
  const CfsUser *user = cfs_connection_get_user (connection);
  g_autoptr(GPtrArray) rooms = NULL;
  g_autoptr(GError) error = NULL;
  guint page = 0;
  guint i = 0;

  rooms = cfs_store_list_rooms (self->store, &error);
  if (rooms == NULL)
    {
      g_warning ("Failed to list rooms for the lobby: %s", error->message);
      cfs_connection_send_error (connection, request_id, CONFAB_ERR_INTERNAL,
                                 "The server failed to list the rooms; its log has the details.");
      return;
    }

  for (guint k = rooms->len; k > 0; k--)
    {
      if (!cfs_store_can_see_room (self->store, g_ptr_array_index (rooms, k - 1), user->id))
        g_ptr_array_remove_index (rooms, k - 1);
    }

  do
    {
      g_autoptr(JsonBuilder) builder = NULL;
      g_autoptr(GBytes) message = NULL;
      gsize page_size = 0;
      guint end = i;

      /* Find the rooms of this page, then encode it. */
      while (end < rooms->len && end - i < CONFAB_LOBBY_PAGE_ROOMS)
        {
          gsize room_size = estimate_lobby_room_size (g_ptr_array_index (rooms, end));

          if (end > i && page_size + room_size > LOBBY_PAGE_MAX_BYTES)
            break;

          page_size += room_size;
          end++;
        }

      builder = cfs_hub_begin_message (CONFAB_MSG_LOBBY, request_id);
      json_builder_set_member_name (builder, "page");
      json_builder_add_int_value (builder, page++);
      json_builder_set_member_name (builder, "last");
      json_builder_add_boolean_value (builder, end == rooms->len);
      json_builder_set_member_name (builder, "rooms");
      json_builder_begin_array (builder);
      for (; i < end; i++)
        add_lobby_room (self, builder, g_ptr_array_index (rooms, i), user->id);
      json_builder_end_array (builder);

      message = cfs_hub_end_message (builder);
      cfs_connection_send (connection, message);
    }
  while (i < rooms->len);

  cfs_lobby_add_watcher (self->lobby, connection);
}

/* Sends `roomDeleted` to a participant's connections that did not get it
 * as lobby watchers, and takes them out of the room. A participant seated
 * before the room turned private is outside its @audience.
 */
static void
evict_participant (CfsParticipant *participant,
                   GBytes         *message,
                   GHashTable     *audience)
{
  gboolean in_audience = audience == NULL || g_hash_table_contains (audience, &participant->user_id);

  for (guint i = 0; i < participant->connections->len; i++)
    {
      CfsConnection *connection = g_ptr_array_index (participant->connections, i);

      if (!in_audience || !cfs_connection_get_watching_lobby (connection))
        cfs_connection_send (connection, message);
      cfs_connection_set_room_id (connection, 0);
    }
}

static void
cfs_hub_dispose (GObject *object)
{
  CfsHub *self = CFS_HUB (object);

  g_clear_handle_id (&self->tick_source, g_source_remove);

  if (self->connections != NULL)
    {
      GHashTableIter iter;
      gpointer connection;

      g_hash_table_iter_init (&iter, self->connections);
      while (g_hash_table_iter_next (&iter, NULL, &connection))
        g_signal_handlers_disconnect_by_data (connection, self);
    }

  g_clear_pointer (&self->rooms, g_hash_table_unref);
  g_clear_pointer (&self->connections, g_hash_table_unref);
  g_clear_pointer (&self->user_connections, g_hash_table_unref);
  g_clear_object (&self->lobby);
  g_clear_object (&self->live);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cfs_hub_parent_class)->dispose (object);
}

static void
cfs_hub_class_init (CfsHubClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cfs_hub_dispose;
}

static void
cfs_hub_init (CfsHub *self)
{
  self->connections = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->user_connections = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->rooms = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) cfs_live_room_free);
}

/* Public API. */

CfsHub *
cfs_hub_new (CfsStore        *store,
             const CfsConfig *config)
{
  CfsHub *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (CFS_IS_STORE (store), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  self = g_object_new (CFS_TYPE_HUB, NULL);
  self->store = g_object_ref (store);
  self->config = config;
  self->live = cfs_store_live_new (cfs_store_get_db (store), cfs_hub_chat_committed, self);
  self->lobby = cfs_lobby_new (config->lobby_interval_ms, encode_room_updated_cb, self);

  /* Meetings still open were cut short by a stop without cfs_hub_shutdown(). */
  if (!cfs_store_live_end_all_meetings (self->live, now_seconds (), &error))
    g_warning ("Failed to end the meetings of the previous run: %s", error->message);

  self->tick_source = g_timeout_add_seconds (TICK_INTERVAL_S, tick_cb, self);

  return self;
}

void
cfs_hub_attach (CfsHub     *hub,
                SoupServer *server)
{
  g_return_if_fail (CFS_IS_HUB (hub));
  g_return_if_fail (SOUP_IS_SERVER (server));

  soup_server_add_handler (server, "/api/v1/ws", handle_websocket_request_cb, hub, NULL);
}

gboolean
cfs_hub_user_has_seat (CfsHub *hub,
                       gint64  room_id,
                       gint64  user_id)
{
  CfsLiveRoom *room;

  g_return_val_if_fail (CFS_IS_HUB (hub), FALSE);

  room = cfs_hub_lookup_room (hub, room_id);

  return room != NULL && g_hash_table_contains (room->participants, &user_id);
}

guint
cfs_hub_count_participants (CfsHub *hub,
                            gint64  room_id)
{
  CfsLiveRoom *room;

  g_return_val_if_fail (CFS_IS_HUB (hub), 0);

  room = cfs_hub_lookup_room (hub, room_id);

  return room != NULL ? g_hash_table_size (room->participants) : 0;
}

void
cfs_hub_room_changed (CfsHub *hub,
                      gint64  room_id)
{
  g_return_if_fail (CFS_IS_HUB (hub));

  cfs_lobby_room_changed (hub->lobby, room_id);
}

void
cfs_hub_room_hidden (CfsHub *hub,
                     gint64  room_id)
{
  g_return_if_fail (CFS_IS_HUB (hub));

  cfs_lobby_room_hidden (hub->lobby, room_id);
}

void
cfs_hub_room_deleted (CfsHub     *hub,
                      gint64      room_id,
                      GHashTable *audience)
{
  g_autoptr(JsonBuilder) builder = cfs_hub_begin_message (CONFAB_MSG_ROOM_DELETED, NULL);
  g_autoptr(GBytes) message = NULL;
  CfsLiveRoom *room;
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (CFS_IS_HUB (hub));

  json_builder_set_member_name (builder, "roomId");
  json_builder_add_int_value (builder, room_id);
  message = cfs_hub_end_message (builder);

  cfs_lobby_forget_room (hub->lobby, room_id);
  cfs_lobby_broadcast (hub->lobby, message, audience);

  room = cfs_hub_lookup_room (hub, room_id);
  if (room == NULL)
    return;

  g_hash_table_iter_init (&iter, room->participants);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    evict_participant (value, message, audience);

  /* The store deleted the meetings with the room. */
  g_hash_table_remove (hub->rooms, &room_id);
  g_message ("Room %" G_GINT64_FORMAT " deleted; its participants were removed", room_id);
}

void
cfs_hub_role_changed (CfsHub *hub,
                      gint64  room_id,
                      gint64  user_id,
                      gint64  by_user_id)
{
  g_autoptr(CfsRoom) record = NULL;
  CfsLiveRoom *room;

  g_return_if_fail (CFS_IS_HUB (hub));

  /* A private room appears in a new moderator's lobby, and may leave the
   * lobby of a former one.
   */
  record = cfs_store_get_room (hub->store, room_id, NULL);
  if (record != NULL && record->is_private)
    {
      if (g_strcmp0 (cfs_store_get_role (hub->store, room_id, user_id), CONFAB_ROLE_MEMBER) == 0)
        cfs_lobby_room_hidden (hub->lobby, room_id);
      else
        cfs_lobby_room_changed (hub->lobby, room_id);
    }

  room = cfs_hub_lookup_room (hub, room_id);
  if (room != NULL && g_hash_table_size (room->participants) > 0)
    {
      g_autoptr(JsonBuilder) builder = cfs_hub_begin_room_event (room, CONFAB_MSG_ROLE_CHANGED);
      g_autoptr(GBytes) message = NULL;
      CfsParticipant *participant = g_hash_table_lookup (room->participants, &user_id);
      const char *role = cfs_store_get_role (hub->store, room_id, user_id);

      if (participant != NULL)
        participant->role = role;

      json_builder_set_member_name (builder, "userId");
      json_builder_add_int_value (builder, user_id);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, role);
      json_builder_set_member_name (builder, "byUserId");
      json_builder_add_int_value (builder, by_user_id);
      message = cfs_hub_end_message (builder);
      cfs_hub_send_to_room (room, message);
    }

  cfs_hub_send_room_access (hub, room_id, user_id);
}

void
cfs_hub_ban_changed (CfsHub *hub,
                     gint64  room_id,
                     gint64  user_id,
                     gint64  by_user_id)
{
  gint64 until = 0;

  g_return_if_fail (CFS_IS_HUB (hub));

  if (cfs_store_get_ban (hub->store, room_id, user_id, &until))
    cfs_hub_send_kicked (hub, room_id, user_id, by_user_id, NULL, TRUE, until);

  cfs_hub_send_room_access (hub, room_id, user_id);
}

static void
send_user_updated (CfsLiveRoom    *room,
                   CfsParticipant *participant)
{
  g_autoptr(JsonBuilder) builder = cfs_hub_begin_room_event (room, CONFAB_MSG_USER_UPDATED);
  g_autoptr(GBytes) message = NULL;

  json_builder_set_member_name (builder, "userId");
  json_builder_add_int_value (builder, participant->user_id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, participant->name);
  json_builder_set_member_name (builder, "avatarUrl");
  if (participant->avatar_url != NULL)
    json_builder_add_string_value (builder, participant->avatar_url);
  else
    json_builder_add_null_value (builder);
  message = cfs_hub_end_message (builder);
  cfs_hub_send_to_room (room, message);
}

void
cfs_hub_user_updated (CfsHub        *hub,
                      const CfsUser *user)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (CFS_IS_HUB (hub));
  g_return_if_fail (user != NULL);

  g_hash_table_iter_init (&iter, hub->rooms);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      CfsLiveRoom *room = value;
      CfsParticipant *participant = g_hash_table_lookup (room->participants, &user->id);

      if (participant == NULL)
        continue;

      g_free (participant->name);
      participant->name = g_strdup (user->name);
      g_free (participant->avatar_url);
      participant->avatar_url = g_strdup (user->avatar_url);
      send_user_updated (room, participant);
    }
}

void
cfs_hub_end_sessions (CfsHub     *hub,
                      gint64      user_id,
                      const char *session_hash,
                      const char *reason)
{
  GHashTableIter iter;
  gpointer connection;

  g_return_if_fail (CFS_IS_HUB (hub));

  g_hash_table_iter_init (&iter, hub->connections);
  while (g_hash_table_iter_next (&iter, NULL, &connection))
    {
      if (cfs_connection_get_user (connection)->id != user_id)
        continue;
      if (session_hash != NULL &&
          g_strcmp0 (cfs_connection_get_session_hash (connection), session_hash) != 0)
        continue;

      cfs_connection_close (connection, CONFAB_CLOSE_SESSION_ENDED, reason);
    }
}

void
cfs_hub_shutdown (CfsHub *hub)
{
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer connection;

  g_return_if_fail (CFS_IS_HUB (hub));

  hub->shutting_down = TRUE;
  cfs_store_live_flush (hub->live);

  g_hash_table_iter_init (&iter, hub->connections);
  while (g_hash_table_iter_next (&iter, NULL, &connection))
    cfs_connection_close (connection, CONFAB_CLOSE_SHUTTING_DOWN,
                          "The server is shutting down: reconnect later.");

  if (!cfs_store_live_end_all_meetings (hub->live, now_seconds (), &error))
    g_warning ("Failed to end the running meetings: %s", error->message);

  g_message ("Closed %u WebSocket connections", g_hash_table_size (hub->connections));
}
