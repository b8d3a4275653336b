/* cfs-hub-routes.c: the REST routes served from the hub's data (chat
 * history and meeting history) and the hub's metrics.
 */
#define G_LOG_DOMAIN "confab-hub"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "confab-protocol.h"

#include "cfs-http.h"
#include "cfs-hub-private.h"

#define MESSAGES_DEFAULT_LIMIT 50
#define MESSAGES_MAX_LIMIT     200

/* Parses a query parameter as an integer from @min to @max, or sends 400
 * naming the parameter when it is not one.
 */
static gboolean
get_query_int (SoupServerMessage *msg,
               GHashTable        *query,
               const char        *name,
               gint64             min,
               gint64             max,
               gint64             default_value,
               gint64            *value_out)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;
  char *end = NULL;
  gint64 value;

  if (text == NULL)
    {
      *value_out = default_value;
      return TRUE;
    }

  value = g_ascii_strtoll (text, &end, 10);
  if (text[0] == '\0' || *end != '\0' || value < min || value > max)
    {
      cfs_http_send_error (msg, SOUP_STATUS_BAD_REQUEST, CONFAB_ERR_INVALID_FIELD,
                           "Query parameter \"%s\" must be an integer from %" G_GINT64_FORMAT
                           " to %" G_GINT64_FORMAT ".", name, min, max);
      return FALSE;
    }

  *value_out = value;
  return TRUE;
}

/* Reads the room of a route, or sends 404 or 500 when it cannot. A private
 * room that @user may not see is not found either.
 */
static CfsRoom *
require_room (CfsHub            *self,
              SoupServerMessage *msg,
              const CfsUser     *user,
              gint64             room_id)
{
  g_autoptr(GError) error = NULL;
  CfsRoom *room = cfs_store_get_room (self->store, room_id, &error);

  if (room != NULL && cfs_store_can_see_room (self->store, room, user->id))
    return room;

  if (room != NULL)
    {
      cfs_room_free (room);
      g_set_error (&error, CFS_STORE_ERROR, CFS_STORE_ERROR_NOT_FOUND, "Room not visible");
    }

  if (g_error_matches (error, CFS_STORE_ERROR, CFS_STORE_ERROR_NOT_FOUND))
    cfs_http_send_error (msg, SOUP_STATUS_NOT_FOUND, CONFAB_ERR_NOT_FOUND,
                         "No room has id %" G_GINT64_FORMAT ", or it is private and you have "
                         "no invite: ask one of its hosts for an invite link.", room_id);
  else
    cfs_http_send_internal_error (msg, "read the room", error);

  return NULL;
}

static void
send_banned (SoupServerMessage *msg,
             gint64             room_id,
             gint64             until)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, CONFAB_ERR_BANNED);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, "You are banned from this room; \"until\" says until when.");
  cfs_hub_add_nullable_int (builder, "until", until);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  cfs_http_send_builder (msg, SOUP_STATUS_FORBIDDEN, builder);
}

static gboolean
check_get (SoupServerMessage *msg)
{
  if (soup_server_message_get_method (msg) == SOUP_METHOD_GET)
    return TRUE;

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "GET");
  cfs_http_send_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, CONFAB_ERR_METHOD_NOT_ALLOWED,
                       "%s is not allowed here; use GET.", soup_server_message_get_method (msg));
  return FALSE;
}

static void
add_meeting_json (JsonBuilder      *builder,
                  const CfsMeeting *meeting)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, meeting->id);
  json_builder_set_member_name (builder, "started_at");
  json_builder_add_int_value (builder, meeting->started_at);
  cfs_hub_add_nullable_int (builder, "ended_at", meeting->ended_at);
  json_builder_set_member_name (builder, "peak_participants");
  json_builder_add_int_value (builder, meeting->peak_participants);

  json_builder_set_member_name (builder, "attendance");
  json_builder_begin_array (builder);
  for (guint i = 0; i < meeting->attendance->len; i++)
    {
      const CfsAttendance *attendance = g_ptr_array_index (meeting->attendance, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "user");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, attendance->user_id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, attendance->user_name);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "joined_at");
      json_builder_add_int_value (builder, attendance->joined_at);
      cfs_hub_add_nullable_int (builder, "left_at", attendance->left_at);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);
}

static void
append_metric (GString    *out,
               const char *name,
               const char *type,
               const char *help,
               guint64     value)
{
  g_string_append_printf (out, "# HELP %s %s\n# TYPE %s %s\n%s %" G_GUINT64_FORMAT "\n",
                          name, help, name, type, name, value);
}

void
cfs_hub_append_metrics (CfsHub  *hub,
                        GString *out)
{
  GHashTableIter iter;
  gpointer value;
  guint64 rooms = 0;
  guint64 participants = 0;
  guint64 pending_output = 0;

  g_return_if_fail (CFS_IS_HUB (hub));
  g_return_if_fail (out != NULL);

  g_hash_table_iter_init (&iter, hub->connections);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    pending_output += cfs_connection_get_pending_output (value);

  g_hash_table_iter_init (&iter, hub->rooms);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      CfsLiveRoom *room = value;
      guint count = g_hash_table_size (room->participants);

      rooms += count > 0;
      participants += count;
    }

  append_metric (out, "confab_connections", "gauge",
                 "Open WebSocket connections.", g_hash_table_size (hub->connections));
  append_metric (out, "confab_lobby_watchers", "gauge",
                 "Connections subscribed to the lobby.", cfs_lobby_count_watchers (hub->lobby));
  append_metric (out, "confab_rooms", "gauge",
                 "Rooms with at least one participant.", rooms);
  append_metric (out, "confab_participants", "gauge",
                 "Seats taken in all rooms.", participants);
  append_metric (out, "confab_ws_pending_output_bytes", "gauge",
                 "Bytes queued for clients and not yet written to their sockets.", pending_output);
  append_metric (out, "confab_ws_messages_in_total", "counter",
                 "WebSocket messages received.", hub->counters.messages_in);
  append_metric (out, "confab_ws_messages_out_total", "counter",
                 "WebSocket messages sent.", hub->counters.messages_out);
  append_metric (out, "confab_ws_rate_limited_total", "counter",
                 "Client messages rejected with rate-limited.", hub->counters.rate_limited);
  append_metric (out, "confab_ws_dropped_clients_total", "counter",
                 "Connections closed for silence or for not reading their output.",
                 hub->counters.dropped_clients);
  append_metric (out, "confab_chat_messages_total", "counter",
                 "Chat messages committed.", hub->chat_messages);
}

/**
 * cfs_hub_handle_messages:
 *
 * Serves `GET /api/v1/rooms/{id}/messages?before=&limit=`: the room's chat,
 * oldest first. Any signed-in user who is not banned may read it.
 */
void
cfs_hub_handle_messages (CfsHub            *hub,
                         SoupServerMessage *msg,
                         const CfsUser     *user,
                         gint64             room_id)
{
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(CfsRoom) room = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  gint64 before;
  gint64 limit;
  gint64 until = 0;
  const char *query_text;

  g_return_if_fail (CFS_IS_HUB (hub));

  if (!check_get (msg) || (room = require_room (hub, msg, user, room_id)) == NULL)
    return;

  if (cfs_store_get_ban (hub->store, room_id, user->id, &until))
    {
      send_banned (msg, room_id, until);
      return;
    }

  query_text = g_uri_get_query (soup_server_message_get_uri (msg));
  if (query_text != NULL)
    query = soup_form_decode (query_text);

  if (!get_query_int (msg, query, "before", 1, G_MAXINT64, 0, &before) ||
      !get_query_int (msg, query, "limit", 1, MESSAGES_MAX_LIMIT, MESSAGES_DEFAULT_LIMIT, &limit))
    return;

  messages = cfs_store_live_list_chat (hub->live, room_id, before, limit, &error);
  if (messages == NULL)
    {
      cfs_http_send_internal_error (msg, "list chat messages", error);
      return;
    }

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  for (guint i = 0; i < messages->len; i++)
    {
      const CfsChatMessage *message = g_ptr_array_index (messages, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, message->id);
      json_builder_set_member_name (builder, "user_id");
      json_builder_add_int_value (builder, message->user_id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, message->user_name);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, message->text);
      json_builder_set_member_name (builder, "sent_at");
      json_builder_add_int_value (builder, message->sent_at);
      json_builder_set_member_name (builder, "client_msg_id");
      if (message->client_msg_id != NULL)
        json_builder_add_string_value (builder, message->client_msg_id);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  cfs_http_send_builder (msg, SOUP_STATUS_OK, builder);
}

/**
 * cfs_hub_handle_history:
 *
 * Serves `GET /api/v1/rooms/{id}/history[?format=csv]`: the room's
 * meetings and attendance, to the room's hosts only.
 */
void
cfs_hub_handle_history (CfsHub            *hub,
                        SoupServerMessage *msg,
                        const CfsUser     *user,
                        gint64             room_id)
{
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(CfsRoom) room = NULL;
  g_autoptr(GPtrArray) meetings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  const char *query_text;
  const char *format = NULL;
  const char *role;

  g_return_if_fail (CFS_IS_HUB (hub));

  if (!check_get (msg) || (room = require_room (hub, msg, user, room_id)) == NULL)
    return;

  role = cfs_store_get_role (hub->store, room_id, user->id);
  if (strcmp (role, CONFAB_ROLE_OWNER) != 0 && strcmp (role, CONFAB_ROLE_MODERATOR) != 0)
    {
      cfs_http_send_error (msg, SOUP_STATUS_FORBIDDEN, CONFAB_ERR_FORBIDDEN,
                           "Only the owner and moderators of room %" G_GINT64_FORMAT
                           " may read its meeting history.", room_id);
      return;
    }

  query_text = g_uri_get_query (soup_server_message_get_uri (msg));
  if (query_text != NULL)
    {
      query = soup_form_decode (query_text);
      format = g_hash_table_lookup (query, "format");
    }

  if (format != NULL && strcmp (format, "csv") != 0 && strcmp (format, "json") != 0)
    {
      cfs_http_send_error (msg, SOUP_STATUS_BAD_REQUEST, CONFAB_ERR_INVALID_FIELD,
                           "Query parameter \"format\" must be \"json\" or \"csv\".");
      return;
    }

  meetings = cfs_store_live_list_meetings (hub->live, room_id, &error);
  if (meetings == NULL)
    {
      cfs_http_send_internal_error (msg, "list meetings", error);
      return;
    }

  if (g_strcmp0 (format, "csv") == 0)
    {
      char *csv = cfs_store_live_format_history_csv (meetings);
      g_autofree char *disposition = g_strdup_printf ("attachment; filename=\"room-%" G_GINT64_FORMAT
                                                      "-history.csv\"", room_id);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Content-Disposition", disposition);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/csv; charset=utf-8", SOUP_MEMORY_TAKE,
                                        csv, strlen (csv));
      return;
    }

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "meetings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < meetings->len; i++)
    add_meeting_json (builder, g_ptr_array_index (meetings, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  cfs_http_send_builder (msg, SOUP_STATUS_OK, builder);
}
