/* cfs-hub-messages.c: one handler per client message type.
 *
 * Each message passed confab_protocol_parse_client_message(), so its fields
 * exist and have the right types and bounds. The handlers check what
 * depends on state: the room, the sender's role and the rate limits.
 */
#define G_LOG_DOMAIN "confab-hub"

#include "config.h"

#include <string.h>

#include "confab-protocol.h"

#include "cfs-hub-private.h"

typedef void (*MessageHandler) (CfsHub        *self,
                                CfsConnection *connection,
                                JsonObject    *message,
                                const char    *request_id);

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
is_host_role (const char *role)
{
  return strcmp (role, CONFAB_ROLE_OWNER) == 0 || strcmp (role, CONFAB_ROLE_MODERATOR) == 0;
}

/* Returns the participant behind @connection in the message's room, or
 * sends `not-in-room` and returns NULL.
 */
static CfsParticipant *
require_participant (CfsHub        *self,
                     CfsConnection *connection,
                     JsonObject    *message,
                     const char    *request_id)
{
  gint64 room_id = json_object_get_int_member (message, "roomId");
  gint64 user_id = cfs_connection_get_user (connection)->id;
  CfsLiveRoom *room;

  if (cfs_connection_get_room_id (connection) != room_id ||
      (room = cfs_hub_lookup_room (self, room_id)) == NULL)
    {
      cfs_connection_send_error (connection, request_id, CONFAB_ERR_NOT_IN_ROOM,
                                 "This connection is not in the room given by \"roomId\": send joinRoom first.");
      return NULL;
    }

  return g_hash_table_lookup (room->participants, &user_id);
}

/* Like require_participant(), and also requires the owner or moderator role. */
static CfsParticipant *
require_host (CfsHub        *self,
              CfsConnection *connection,
              JsonObject    *message,
              const char    *request_id)
{
  CfsParticipant *participant = require_participant (self, connection, message, request_id);

  if (participant == NULL)
    return NULL;

  if (!is_host_role (cfs_store_get_role (self->store, participant->room->id, participant->user_id)))
    {
      cfs_connection_send_error (connection, request_id, CONFAB_ERR_FORBIDDEN,
                                 "Only the room's owner and moderators may do this.");
      return NULL;
    }

  return participant;
}

/* Returns the participant named by the message's userId, or sends
 * `not-in-room` and returns NULL.
 */
static CfsParticipant *
require_target (CfsLiveRoom   *room,
                CfsConnection *connection,
                JsonObject    *message,
                const char    *request_id)
{
  gint64 target_id = json_object_get_int_member (message, "userId");
  CfsParticipant *target = g_hash_table_lookup (room->participants, &target_id);

  if (target == NULL)
    {
      g_autofree char *text = g_strdup_printf ("User %" G_GINT64_FORMAT " is not in this room.", target_id);

      cfs_connection_send_error (connection, request_id, CONFAB_ERR_NOT_IN_ROOM, text);
    }

  return target;
}

static void
send_to_participant (CfsParticipant *participant,
                     GBytes         *message)
{
  for (guint i = 0; i < participant->connections->len; i++)
    cfs_connection_send (g_ptr_array_index (participant->connections, i), message);
}

/* A broadcast carries no requestId, so a request that had one also gets
 * `ok`: every request with a requestId gets a reply.
 */
static void
send_ok_if_requested (CfsConnection *connection,
                      const char    *request_id)
{
  if (request_id != NULL)
    cfs_hub_send_ok (connection, request_id);
}

static void
broadcast_hand (CfsLiveRoom    *room,
                CfsParticipant *participant,
                gint64          by_user_id)
{
  g_autoptr(JsonBuilder) builder = cfs_hub_begin_room_event (room, CONFAB_MSG_HAND_RAISED);
  g_autoptr(GBytes) bytes = NULL;

  json_builder_set_member_name (builder, "userId");
  json_builder_add_int_value (builder, participant->user_id);
  json_builder_set_member_name (builder, "raised");
  json_builder_add_boolean_value (builder, participant->hand_raised);
  json_builder_set_member_name (builder, "byUserId");
  json_builder_add_int_value (builder, by_user_id);
  bytes = cfs_hub_end_message (builder);

  cfs_hub_send_to_room (room, bytes);
}

static GBytes *
encode_mute_requested (gint64          room_id,
                       CfsParticipant *by,
                       gboolean        everyone)
{
  g_autoptr(JsonBuilder) builder = cfs_hub_begin_message (CONFAB_MSG_MUTE_REQUESTED, NULL);

  json_builder_set_member_name (builder, "roomId");
  json_builder_add_int_value (builder, room_id);
  json_builder_set_member_name (builder, "byUserId");
  json_builder_add_int_value (builder, by->user_id);
  json_builder_set_member_name (builder, "byName");
  json_builder_add_string_value (builder, by->name);
  json_builder_set_member_name (builder, "everyone");
  json_builder_add_boolean_value (builder, everyone);

  return cfs_hub_end_message (builder);
}

static void
handle_ping (CfsHub        *self,
             CfsConnection *connection,
             JsonObject    *message,
             const char    *request_id)
{
  g_autoptr(JsonBuilder) builder = cfs_hub_begin_message (CONFAB_MSG_PONG, request_id);
  g_autoptr(GBytes) bytes = NULL;

  json_builder_set_member_name (builder, "serverTime");
  json_builder_add_int_value (builder, now_seconds ());
  bytes = cfs_hub_end_message (builder);

  cfs_connection_send (connection, bytes);
}

static void
handle_subscribe_lobby (CfsHub        *self,
                        CfsConnection *connection,
                        JsonObject    *message,
                        const char    *request_id)
{
  cfs_hub_subscribe_lobby (self, connection, request_id);
}

static void
handle_unsubscribe_lobby (CfsHub        *self,
                          CfsConnection *connection,
                          JsonObject    *message,
                          const char    *request_id)
{
  cfs_lobby_remove_watcher (self->lobby, connection);
  cfs_hub_send_ok (connection, request_id);
}

static void
handle_join_room (CfsHub        *self,
                  CfsConnection *connection,
                  JsonObject    *message,
                  const char    *request_id)
{
  cfs_hub_join_room (self, connection, json_object_get_int_member (message, "roomId"), request_id);
}

static void
handle_leave_room (CfsHub        *self,
                   CfsConnection *connection,
                   JsonObject    *message,
                   const char    *request_id)
{
  if (require_participant (self, connection, message, request_id) == NULL)
    return;

  cfs_hub_leave_room (self, connection, "left");
  cfs_hub_send_ok (connection, request_id);
}

static void
handle_raise_hand (CfsHub        *self,
                   CfsConnection *connection,
                   JsonObject    *message,
                   const char    *request_id)
{
  CfsParticipant *participant = require_participant (self, connection, message, request_id);

  if (participant == NULL || !cfs_connection_take_token (connection, CFS_RATE_HAND, request_id))
    return;

  participant->hand_raised = json_object_get_boolean_member (message, "raised");
  broadcast_hand (participant->room, participant, participant->user_id);
  send_ok_if_requested (connection, request_id);
}

static void
handle_lower_hand (CfsHub        *self,
                   CfsConnection *connection,
                   JsonObject    *message,
                   const char    *request_id)
{
  CfsParticipant *sender = require_participant (self, connection, message, request_id);
  CfsParticipant *target;

  if (sender == NULL)
    return;

  if (json_object_get_int_member (message, "userId") != sender->user_id &&
      (sender = require_host (self, connection, message, request_id)) == NULL)
    return;

  target = require_target (sender->room, connection, message, request_id);
  if (target == NULL || !cfs_connection_take_token (connection, CFS_RATE_HAND, request_id))
    return;

  target->hand_raised = FALSE;
  broadcast_hand (sender->room, target, sender->user_id);
  send_ok_if_requested (connection, request_id);
}

static void
handle_chat (CfsHub        *self,
             CfsConnection *connection,
             JsonObject    *message,
             const char    *request_id)
{
  CfsParticipant *participant = require_participant (self, connection, message, request_id);
  const char *text = json_object_get_string_member (message, "text");
  CfsChatMessage *chat;

  if (participant == NULL || !cfs_connection_take_token (connection, CFS_RATE_CHAT, request_id))
    return;

  if (text[0] == '\0')
    {
      cfs_connection_send_error (connection, request_id, CONFAB_ERR_INVALID_FIELD,
                                 "Field \"text\" must not be empty.");
      return;
    }

  /* Acknowledged and broadcast from cfs_hub_chat_committed(). */
  chat = cfs_chat_message_new (participant->room->id, participant->user_id, participant->name, text,
                               json_object_get_string_member (message, "clientMsgId"), now_seconds ());
  chat->origin = cfs_connection_get_id (connection);
  cfs_store_live_queue_chat (self->live, chat);
}

static void
send_notes_conflict (CfsConnection  *connection,
                     const char     *request_id,
                     const CfsNotes *notes,
                     const char     *text)
{
  g_autoptr(JsonBuilder) builder = cfs_hub_begin_message (CONFAB_MSG_ERROR, request_id);
  g_autoptr(GBytes) bytes = NULL;

  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, CONFAB_ERR_CONFLICT);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, text);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, notes->version);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, notes->text);
  bytes = cfs_hub_end_message (builder);

  cfs_connection_send (connection, bytes);
}

static void
handle_notes_update (CfsHub        *self,
                     CfsConnection *connection,
                     JsonObject    *message,
                     const char    *request_id)
{
  CfsParticipant *participant = require_participant (self, connection, message, request_id);
  g_auto(CfsNotes) notes = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (participant == NULL || !cfs_connection_take_token (connection, CFS_RATE_NOTES, request_id))
    return;

  if (!cfs_store_live_update_notes (self->live, participant->room->id,
                                    json_object_get_int_member (message, "baseVersion"),
                                    json_object_get_string_member (message, "text"),
                                    participant->user_id, now_seconds (), &notes, &error))
    {
      if (g_error_matches (error, CFS_STORE_LIVE_ERROR, CFS_STORE_LIVE_ERROR_CONFLICT))
        {
          send_notes_conflict (connection, request_id, &notes, error->message);
          return;
        }

      g_warning ("Failed to update the notes of room %" G_GINT64_FORMAT ": %s",
                 participant->room->id, error->message);
      cfs_connection_send_error (connection, request_id, CONFAB_ERR_INTERNAL,
                                 "The server failed to store the notes; its log has the details.");
      return;
    }

  builder = cfs_hub_begin_room_event (participant->room, CONFAB_MSG_NOTES_UPDATED);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, notes.version);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, notes.text);
  json_builder_set_member_name (builder, "updatedBy");
  json_builder_add_int_value (builder, notes.updated_by);
  json_builder_set_member_name (builder, "updatedAt");
  json_builder_add_int_value (builder, notes.updated_at);
  bytes = cfs_hub_end_message (builder);

  cfs_hub_send_to_room (participant->room, bytes);
  send_ok_if_requested (connection, request_id);
}

static void
handle_jitsi_joined (CfsHub        *self,
                     CfsConnection *connection,
                     JsonObject    *message,
                     const char    *request_id)
{
  CfsParticipant *participant = require_participant (self, connection, message, request_id);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (participant == NULL)
    return;

  g_free (participant->jitsi_id);
  participant->jitsi_id = g_strdup (json_object_get_string_member (message, "participantId"));

  builder = cfs_hub_begin_room_event (participant->room, CONFAB_MSG_JITSI_PARTICIPANT);
  json_builder_set_member_name (builder, "userId");
  json_builder_add_int_value (builder, participant->user_id);
  json_builder_set_member_name (builder, "participantId");
  json_builder_add_string_value (builder, participant->jitsi_id);
  bytes = cfs_hub_end_message (builder);

  cfs_hub_send_to_room (participant->room, bytes);
  send_ok_if_requested (connection, request_id);
}

static void
handle_mute (CfsHub        *self,
             CfsConnection *connection,
             JsonObject    *message,
             const char    *request_id)
{
  CfsParticipant *host = require_host (self, connection, message, request_id);
  CfsParticipant *target;
  g_autoptr(GBytes) bytes = NULL;

  if (host == NULL || (target = require_target (host->room, connection, message, request_id)) == NULL)
    return;

  bytes = encode_mute_requested (host->room->id, host, FALSE);
  send_to_participant (target, bytes);
  cfs_hub_send_ok (connection, request_id);
}

static void
handle_mute_everyone (CfsHub        *self,
                      CfsConnection *connection,
                      JsonObject    *message,
                      const char    *request_id)
{
  CfsParticipant *host = require_host (self, connection, message, request_id);
  g_autoptr(GBytes) bytes = NULL;
  GHashTableIter iter;
  gpointer value;

  if (host == NULL)
    return;

  bytes = encode_mute_requested (host->room->id, host, TRUE);
  g_hash_table_iter_init (&iter, host->room->participants);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      if (value != host)
        send_to_participant (value, bytes);
    }

  cfs_hub_send_ok (connection, request_id);
}

static void
handle_kick (CfsHub        *self,
             CfsConnection *connection,
             JsonObject    *message,
             const char    *request_id)
{
  CfsParticipant *host = require_host (self, connection, message, request_id);
  gint64 target_id = json_object_get_int_member (message, "userId");
  const char *reason = json_object_get_string_member_with_default (message, "reason", NULL);
  gboolean ban = json_object_has_member (message, "ban") && !json_object_get_null_member (message, "ban");
  gint64 until = 0;
  gint64 room_id;

  if (host == NULL)
    return;

  room_id = host->room->id;

  if (target_id == host->user_id ||
      strcmp (cfs_store_get_role (self->store, room_id, target_id), CONFAB_ROLE_OWNER) == 0)
    {
      cfs_connection_send_error (connection, request_id, CONFAB_ERR_FORBIDDEN,
                                 "The room's owner and the sender cannot be kicked.");
      return;
    }

  if (!ban && !g_hash_table_contains (host->room->participants, &target_id))
    {
      require_target (host->room, connection, message, request_id);
      return;
    }

  if (ban)
    {
      g_autoptr(GError) error = NULL;
      gint64 duration = json_object_get_int_member (message, "ban");
      gint64 now = now_seconds ();

      /* A ban too long to end within gint64 lasts until lifted. */
      until = duration > 0 && duration <= G_MAXINT64 - now ? now + duration : 0;
      if (!cfs_store_set_ban (self->store, room_id, target_id, host->user_id, until,
                              reason != NULL ? reason : "", &error))
        {
          if (g_error_matches (error, CFS_STORE_ERROR, CFS_STORE_ERROR_NOT_FOUND))
            {
              cfs_connection_send_error (connection, request_id, CONFAB_ERR_NOT_FOUND,
                                         "No user has this userId.");
              return;
            }

          g_warning ("Failed to ban user %" G_GINT64_FORMAT " from room %" G_GINT64_FORMAT ": %s",
                     target_id, room_id, error->message);
          cfs_connection_send_error (connection, request_id, CONFAB_ERR_INTERNAL,
                                     "The server failed to store the ban; its log has the details.");
          return;
        }
    }

  g_message ("User %" G_GINT64_FORMAT " kicked user %" G_GINT64_FORMAT " from room %" G_GINT64_FORMAT "%s",
             host->user_id, target_id, room_id, ban ? " with a ban" : "");

  cfs_hub_send_kicked (self, room_id, target_id, host->user_id, reason, ban, until);
  if (ban)
    cfs_hub_send_room_access (self, room_id, target_id);

  cfs_hub_send_ok (connection, request_id);
}

static void
handle_set_moderator (CfsHub        *self,
                      CfsConnection *connection,
                      JsonObject    *message,
                      const char    *request_id)
{
  CfsParticipant *sender = require_participant (self, connection, message, request_id);
  const CfsUser *user = cfs_connection_get_user (connection);
  gint64 target_id = json_object_get_int_member (message, "userId");
  g_autoptr(GError) error = NULL;
  gint64 room_id;

  if (sender == NULL)
    return;

  room_id = sender->room->id;

  if (strcmp (cfs_store_get_role (self->store, room_id, user->id), CONFAB_ROLE_OWNER) != 0 &&
      !user->is_admin)
    {
      cfs_connection_send_error (connection, request_id, CONFAB_ERR_FORBIDDEN,
                                 "Only the room's owner and site admins may grant or revoke moderator.");
      return;
    }

  if (strcmp (cfs_store_get_role (self->store, room_id, target_id), CONFAB_ROLE_OWNER) == 0)
    {
      cfs_connection_send_error (connection, request_id, CONFAB_ERR_INVALID_FIELD,
                                 "The room's owner is always a host; \"userId\" must name someone else.");
      return;
    }

  if (!cfs_store_set_moderator (self->store, room_id, target_id, user->id,
                                json_object_get_boolean_member (message, "moderator"), &error))
    {
      if (g_error_matches (error, CFS_STORE_ERROR, CFS_STORE_ERROR_NOT_FOUND))
        {
          cfs_connection_send_error (connection, request_id, CONFAB_ERR_NOT_FOUND,
                                     "No user has this userId.");
          return;
        }

      g_warning ("Failed to change the role of user %" G_GINT64_FORMAT " in room %" G_GINT64_FORMAT ": %s",
                 target_id, room_id, error->message);
      cfs_connection_send_error (connection, request_id, CONFAB_ERR_INTERNAL,
                                 "The server failed to store the role; its log has the details.");
      return;
    }

  cfs_hub_role_changed (self, room_id, target_id, user->id);
  send_ok_if_requested (connection, request_id);
}

static const struct {
  const char     *type;
  MessageHandler  handler;
} message_handlers[] = {
  { CONFAB_MSG_PING, handle_ping },
  { CONFAB_MSG_SUBSCRIBE_LOBBY, handle_subscribe_lobby },
  { CONFAB_MSG_UNSUBSCRIBE_LOBBY, handle_unsubscribe_lobby },
  { CONFAB_MSG_JOIN_ROOM, handle_join_room },
  { CONFAB_MSG_LEAVE_ROOM, handle_leave_room },
  { CONFAB_MSG_RAISE_HAND, handle_raise_hand },
  { CONFAB_MSG_LOWER_HAND, handle_lower_hand },
  { CONFAB_MSG_CHAT, handle_chat },
  { CONFAB_MSG_NOTES_UPDATE, handle_notes_update },
  { CONFAB_MSG_JITSI_JOINED, handle_jitsi_joined },
  { CONFAB_MSG_MUTE, handle_mute },
  { CONFAB_MSG_MUTE_EVERYONE, handle_mute_everyone },
  { CONFAB_MSG_KICK, handle_kick },
  { CONFAB_MSG_SET_MODERATOR, handle_set_moderator },
};

void
cfs_hub_dispatch_message (CfsHub        *self,
                          CfsConnection *connection,
                          JsonObject    *message,
                          const char    *type)
{
  const char *request_id = json_object_get_string_member_with_default (message, "requestId", NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (message_handlers); i++)
    {
      if (strcmp (message_handlers[i].type, type) == 0)
        {
          message_handlers[i].handler (self, connection, message, request_id);
          return;
        }
    }

  /* The protocol check accepts only the types in the table above. */
  g_assert_not_reached ();
}

static void
send_chat_ack (CfsConnection        *connection,
               const CfsChatMessage *chat)
{
  g_autoptr(JsonBuilder) builder = cfs_hub_begin_message (CONFAB_MSG_CHAT_ACK, NULL);
  g_autoptr(GBytes) bytes = NULL;

  json_builder_set_member_name (builder, "roomId");
  json_builder_add_int_value (builder, chat->room_id);
  json_builder_set_member_name (builder, "clientMsgId");
  json_builder_add_string_value (builder, chat->client_msg_id);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, chat->id);
  json_builder_set_member_name (builder, "sentAt");
  json_builder_add_int_value (builder, chat->sent_at);
  bytes = cfs_hub_end_message (builder);

  cfs_connection_send (connection, bytes);
}

/* Acknowledges each committed message to its sender, then broadcasts it.
 * A message that was not stored gets `error internal` to its sender.
 */
void
cfs_hub_chat_committed (GPtrArray    *messages,
                        const GError *error,
                        gpointer      user_data)
{
  CfsHub *self = user_data;

  for (guint i = 0; i < messages->len; i++)
    {
      CfsChatMessage *chat = g_ptr_array_index (messages, i);
      CfsConnection *sender = g_hash_table_lookup (self->connections, &chat->origin);
      CfsLiveRoom *room = cfs_hub_lookup_room (self, chat->room_id);
      g_autoptr(GBytes) bytes = NULL;

      if (chat->id == 0)
        {
          if (sender != NULL)
            cfs_connection_send_error (sender, NULL, CONFAB_ERR_INTERNAL,
                                       "The server failed to store a chat message; send it again.");
          continue;
        }

      self->chat_messages++;
      if (sender != NULL)
        send_chat_ack (sender, chat);

      if (room == NULL)
        continue;

      bytes = cfs_hub_encode_chat_message (room, chat);
      cfs_hub_send_to_room (room, bytes);
    }
}
