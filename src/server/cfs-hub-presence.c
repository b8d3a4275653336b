/* cfs-hub-presence.c: seats, presence and room state.
 *
 * Everything runs on the main thread, so a check and the change that
 * depends on it (a free seat and taking it) happen in one step without
 * locks. Presence is per user: a CfsParticipant collects all of a user's
 * connections in a room and takes one seat. When the last of them drops
 * without leaveRoom, the seat is kept for presence_grace_ms so that a
 * quick reconnect produces no leave and join. Each meeting (first join to
 * last leave) and each seat taken are recorded for the room's history.
 */
#define G_LOG_DOMAIN "confab-hub"

#include "config.h"

#include <string.h>

#include "confab-protocol.h"

#include "cfs-hub-private.h"

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
participant_free (CfsParticipant *participant)
{
  g_clear_handle_id (&participant->grace_source, g_source_remove);
  g_ptr_array_unref (participant->connections);
  g_free (participant->name);
  g_free (participant->avatar_url);
  g_free (participant->jitsi_id);
  g_free (participant);
}

void
cfs_live_room_free (CfsLiveRoom *room)
{
  g_hash_table_unref (room->participants);
  g_free (room);
}

static CfsLiveRoom *
ensure_live_room (CfsHub *self,
                  gint64  room_id)
{
  CfsLiveRoom *room = g_hash_table_lookup (self->rooms, &room_id);

  if (room != NULL)
    return room;

  room = g_new0 (CfsLiveRoom, 1);
  room->id = room_id;
  room->hub = self;
  room->participants = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                              (GDestroyNotify) participant_free);
  g_hash_table_insert (self->rooms, &room->id, room);

  return room;
}

static void
record_join (CfsHub         *self,
             CfsLiveRoom    *room,
             CfsParticipant *participant)
{
  g_autoptr(GError) error = NULL;
  gint64 now = now_seconds ();
  guint count = g_hash_table_size (room->participants);

  if (room->meeting_id == 0)
    {
      room->meeting_id = cfs_store_live_start_meeting (self->live, room->id, now, &error);
      room->peak_participants = 0;
      if (room->meeting_id == 0)
        {
          g_warning ("Failed to start the meeting of room %" G_GINT64_FORMAT ": %s",
                     room->id, error->message);
          return;
        }
    }

  if (count > room->peak_participants)
    {
      room->peak_participants = count;
      if (!cfs_store_live_set_meeting_peak (self->live, room->meeting_id, count, &error))
        {
          g_warning ("Failed to record the peak of meeting %" G_GINT64_FORMAT ": %s",
                     room->meeting_id, error->message);
          g_clear_error (&error);
        }
    }

  participant->attendance_id = cfs_store_live_start_attendance (self->live, room->meeting_id,
                                                                participant->user_id, now, &error);
  if (participant->attendance_id == 0)
    g_warning ("Failed to record user %" G_GINT64_FORMAT " joining room %" G_GINT64_FORMAT ": %s",
               participant->user_id, room->id, error->message);
}

static void
record_leave (CfsHub         *self,
              CfsLiveRoom    *room,
              CfsParticipant *participant)
{
  g_autoptr(GError) error = NULL;
  gint64 now = now_seconds ();

  if (participant->attendance_id != 0 &&
      !cfs_store_live_end_attendance (self->live, participant->attendance_id, now, &error))
    {
      g_warning ("Failed to record user %" G_GINT64_FORMAT " leaving room %" G_GINT64_FORMAT ": %s",
                 participant->user_id, room->id, error->message);
      g_clear_error (&error);
    }

  /* The participant is still in the table, so one left means it was the last. */
  if (g_hash_table_size (room->participants) == 1 && room->meeting_id != 0)
    {
      if (!cfs_store_live_end_meeting (self->live, room->meeting_id, now,
                                       room->peak_participants, &error))
        g_warning ("Failed to end meeting %" G_GINT64_FORMAT ": %s", room->meeting_id, error->message);
      room->meeting_id = 0;
    }
}

static gboolean
grace_expired_cb (gpointer user_data)
{
  CfsParticipant *participant = user_data;
  CfsLiveRoom *room = participant->room;

  participant->grace_source = 0;
  g_debug ("User %" G_GINT64_FORMAT " did not come back to room %" G_GINT64_FORMAT,
           participant->user_id, room->id);
  cfs_hub_remove_participant (room->hub, room, participant->user_id, "disconnected");

  return G_SOURCE_REMOVE;
}

void
cfs_hub_add_participant_json (CfsHub         *self,
                              JsonBuilder    *builder,
                              const CfsRoom  *room,
                              CfsParticipant *participant)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "userId");
  json_builder_add_int_value (builder, participant->user_id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, participant->name);
  json_builder_set_member_name (builder, "avatarUrl");
  if (participant->avatar_url != NULL)
    json_builder_add_string_value (builder, participant->avatar_url);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, participant->role);
  json_builder_set_member_name (builder, "isOwner");
  json_builder_add_boolean_value (builder, room->owner_id == participant->user_id);
  json_builder_set_member_name (builder, "handRaised");
  json_builder_add_boolean_value (builder, participant->hand_raised);
  json_builder_set_member_name (builder, "jitsiId");
  if (participant->jitsi_id != NULL)
    json_builder_add_string_value (builder, participant->jitsi_id);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

CfsLiveRoom *
cfs_hub_lookup_room (CfsHub *self,
                     gint64  room_id)
{
  return g_hash_table_lookup (self->rooms, &room_id);
}

static void
add_chat_json (JsonBuilder          *builder,
               const CfsChatMessage *message)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, message->id);
  json_builder_set_member_name (builder, "userId");
  json_builder_add_int_value (builder, message->user_id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, message->user_name);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, message->text);
  json_builder_set_member_name (builder, "sentAt");
  json_builder_add_int_value (builder, message->sent_at);
  json_builder_set_member_name (builder, "clientMsgId");
  if (message->client_msg_id != NULL)
    json_builder_add_string_value (builder, message->client_msg_id);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

/* Builds `chatMessage`, the room event for one committed message. */
GBytes *
cfs_hub_encode_chat_message (CfsLiveRoom          *room,
                             const CfsChatMessage *message)
{
  g_autoptr(JsonBuilder) builder = cfs_hub_begin_room_event (room, CONFAB_MSG_CHAT_MESSAGE);

  json_builder_set_member_name (builder, "message");
  add_chat_json (builder, message);

  return cfs_hub_end_message (builder);
}

static gboolean
send_room_state (CfsHub        *self,
                 CfsConnection *connection,
                 CfsLiveRoom   *live_room,
                 const CfsRoom *room,
                 const char    *request_id)
{
  g_autoptr(JsonBuilder) builder = cfs_hub_begin_message (CONFAB_MSG_ROOM_STATE, request_id);
  g_autoptr(GPtrArray) chat = NULL;
  g_auto(CfsNotes) notes = { 0, };
  g_autoptr(GBytes) message = NULL;
  g_autoptr(GError) error = NULL;
  const CfsUser *user = cfs_connection_get_user (connection);
  GHashTableIter iter;
  gpointer participant;

  chat = cfs_store_live_list_chat (self->live, room->id, 0, CONFAB_CHAT_HISTORY_ON_JOIN, &error);
  if (chat == NULL || !cfs_store_live_get_notes (self->live, room->id, &notes, &error))
    {
      g_warning ("Failed to read the state of room %" G_GINT64_FORMAT ": %s", room->id, error->message);
      cfs_connection_send_error (connection, request_id, CONFAB_ERR_INTERNAL,
                                 "The server failed to read the room; its log has the details.");
      return FALSE;
    }

  json_builder_set_member_name (builder, "roomId");
  json_builder_add_int_value (builder, room->id);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, live_room->seq);

  json_builder_set_member_name (builder, "room");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, room->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, room->name);
  json_builder_set_member_name (builder, "topic");
  json_builder_add_string_value (builder, room->topic);
  json_builder_set_member_name (builder, "capacity");
  json_builder_add_int_value (builder, room->capacity);
  json_builder_set_member_name (builder, "jitsiRoom");
  json_builder_add_string_value (builder, room->jitsi_room);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "self");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "userId");
  json_builder_add_int_value (builder, user->id);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, cfs_store_get_role (self->store, room->id, user->id));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "participants");
  json_builder_begin_array (builder);
  g_hash_table_iter_init (&iter, live_room->participants);
  while (g_hash_table_iter_next (&iter, NULL, &participant))
    cfs_hub_add_participant_json (self, builder, room, participant);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "notes");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, notes.version);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, notes.text);
  cfs_hub_add_nullable_int (builder, "updatedBy", notes.updated_by);
  cfs_hub_add_nullable_int (builder, "updatedAt", notes.updated_at);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "chat");
  json_builder_begin_array (builder);
  for (guint i = 0; i < chat->len; i++)
    add_chat_json (builder, g_ptr_array_index (chat, i));
  json_builder_end_array (builder);

  message = cfs_hub_end_message (builder);
  cfs_connection_send (connection, message);

  return TRUE;
}

static void
send_banned_error (CfsConnection *connection,
                   const char    *request_id,
                   gint64         until)
{
  g_autoptr(JsonBuilder) builder = cfs_hub_begin_message (CONFAB_MSG_ERROR, request_id);
  g_autoptr(GBytes) message = NULL;

  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, CONFAB_ERR_BANNED);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, until != 0
                                 ? "You are banned from this room until the time in \"until\"."
                                 : "You are banned from this room until a host lifts the ban.");
  cfs_hub_add_nullable_int (builder, "until", until);

  message = cfs_hub_end_message (builder);
  cfs_connection_send (connection, message);
}

/* Takes a seat for the connection's user, or adds the connection to the
 * seat the user already has, then sends `roomState`.
 */
void
cfs_hub_join_room (CfsHub        *self,
                   CfsConnection *connection,
                   gint64         room_id,
                   const char    *request_id)
{
  const CfsUser *user = cfs_connection_get_user (connection);
  g_autoptr(CfsRoom) room = NULL;
  g_autoptr(GError) error = NULL;
  CfsLiveRoom *live_room;
  CfsParticipant *participant;
  gint64 ban_until = 0;

  /* Step 1: the room exists and the user is welcome. */
  room = cfs_store_get_room (self->store, room_id, &error);
  if (room != NULL && !cfs_store_can_see_room (self->store, room, user->id))
    {
      /* The same answer as for a room that does not exist, so that the
       * ids of private rooms stay unknown to the uninvited.
       */
      g_debug ("Refused user %" G_GINT64_FORMAT " a seat in private room %" G_GINT64_FORMAT,
               user->id, room_id);
      g_clear_pointer (&room, cfs_room_free);
      g_set_error (&error, CFS_STORE_ERROR, CFS_STORE_ERROR_NOT_FOUND, "Room not visible");
    }

  if (room == NULL)
    {
      if (g_error_matches (error, CFS_STORE_ERROR, CFS_STORE_ERROR_NOT_FOUND))
        cfs_connection_send_error (connection, request_id, CONFAB_ERR_NOT_FOUND,
                                   "No room has this roomId, or it is private and you have no "
                                   "invite; the lobby lists the rooms you can join.");
      else
        cfs_connection_send_error (connection, request_id, CONFAB_ERR_INTERNAL,
                                   "The server failed to read the room; its log has the details.");
      return;
    }

  if (cfs_store_get_ban (self->store, room_id, user->id, &ban_until))
    {
      send_banned_error (connection, request_id, ban_until);
      return;
    }

  /* Step 2: one room per connection. */
  if (cfs_connection_get_room_id (connection) != 0 &&
      cfs_connection_get_room_id (connection) != room_id)
    cfs_hub_leave_room (self, connection, "left");

  /* Step 3: take the seat, or share the one the user has. The check and
   * the change run in one main-loop callback, so two joins cannot both
   * take the last seat.
   */
  live_room = ensure_live_room (self, room_id);
  participant = g_hash_table_lookup (live_room->participants, &user->id);

  if (participant == NULL)
    {
      g_autoptr(JsonBuilder) builder = NULL;
      g_autoptr(GBytes) message = NULL;

      if (g_hash_table_size (live_room->participants) >= room->capacity)
        {
          cfs_connection_send_error (connection, request_id, CONFAB_ERR_ROOM_FULL,
                                     "The room is full: every seat is taken. Try again when someone leaves.");
          return;
        }

      participant = g_new0 (CfsParticipant, 1);
      participant->user_id = user->id;
      participant->name = g_strdup (user->name);
      participant->avatar_url = g_strdup (user->avatar_url);
      participant->role = cfs_store_get_role (self->store, room_id, user->id);
      participant->connections = g_ptr_array_new ();
      participant->room = live_room;
      g_hash_table_insert (live_room->participants, &participant->user_id, participant);
      g_ptr_array_add (participant->connections, connection);
      cfs_connection_set_room_id (connection, room_id);

      record_join (self, live_room, participant);

      builder = cfs_hub_begin_room_event (live_room, CONFAB_MSG_USER_JOINED);
      json_builder_set_member_name (builder, "participant");
      cfs_hub_add_participant_json (self, builder, room, participant);
      message = cfs_hub_end_message (builder);
      cfs_hub_send_to_room (live_room, message);

      cfs_lobby_room_changed (self->lobby, room_id);
      g_debug ("User %" G_GINT64_FORMAT " joined room %" G_GINT64_FORMAT, user->id, room_id);
    }
  else
    {
      g_clear_handle_id (&participant->grace_source, g_source_remove);
      if (!g_ptr_array_find (participant->connections, connection, NULL))
        g_ptr_array_add (participant->connections, connection);
      cfs_connection_set_room_id (connection, room_id);
    }

  send_room_state (self, connection, live_room, room, request_id);
}

/* Removes a participant and sends `userLeft` to the room. @reason is
 * `left`, `disconnected` or `kicked`.
 */
void
cfs_hub_remove_participant (CfsHub      *self,
                            CfsLiveRoom *room,
                            gint64       user_id,
                            const char  *reason)
{
  CfsParticipant *participant = g_hash_table_lookup (room->participants, &user_id);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GBytes) message = NULL;
  gint64 room_id = room->id;

  if (participant == NULL)
    return;

  for (guint i = 0; i < participant->connections->len; i++)
    cfs_connection_set_room_id (g_ptr_array_index (participant->connections, i), 0);

  record_leave (self, room, participant);
  g_hash_table_remove (room->participants, &user_id);

  builder = cfs_hub_begin_room_event (room, CONFAB_MSG_USER_LEFT);
  json_builder_set_member_name (builder, "userId");
  json_builder_add_int_value (builder, user_id);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason);
  message = cfs_hub_end_message (builder);
  cfs_hub_send_to_room (room, message);

  g_debug ("User %" G_GINT64_FORMAT " left room %" G_GINT64_FORMAT " (%s)", user_id, room_id, reason);

  /* An empty room stays in the table with its sequence number, so that
   * the numbers of a room never go back while the server runs.
   */
  cfs_lobby_room_changed (self->lobby, room_id);
}

/* Takes @connection out of its room. The user leaves once no other
 * connection of theirs is in the room. With `disconnected`, the seat is
 * kept for the grace period first.
 */
void
cfs_hub_leave_room (CfsHub        *self,
                    CfsConnection *connection,
                    const char    *reason)
{
  gint64 room_id = cfs_connection_get_room_id (connection);
  gint64 user_id = cfs_connection_get_user (connection)->id;
  CfsLiveRoom *room = cfs_hub_lookup_room (self, room_id);
  CfsParticipant *participant;

  cfs_connection_set_room_id (connection, 0);
  if (room == NULL)
    return;

  participant = g_hash_table_lookup (room->participants, &user_id);
  if (participant == NULL)
    return;

  g_ptr_array_remove (participant->connections, connection);
  if (participant->connections->len > 0)
    return;

  /* A connection closed for silence already had pong_timeout_s to come
   * back, so it gets no grace period on top. Its user thus leaves within
   * pong_timeout_s and a tick of the hub's timer.
   */
  if (strcmp (reason, "disconnected") == 0 && self->config->presence_grace_ms > 0 &&
      !cfs_connection_get_timed_out (connection) && !self->shutting_down)
    {
      g_clear_handle_id (&participant->grace_source, g_source_remove);
      participant->grace_source = g_timeout_add (self->config->presence_grace_ms,
                                                 grace_expired_cb, participant);
      return;
    }

  cfs_hub_remove_participant (self, room, user_id, reason);
}

/**
 * cfs_hub_send_kicked:
 * @banned: whether a ban came with the kick
 * @ban_until: the ban's end, 0 for until lifted
 *
 * Sends `kicked` to every connection of @user_id and removes the user from
 * the room.
 */
void
cfs_hub_send_kicked (CfsHub     *self,
                     gint64      room_id,
                     gint64      user_id,
                     gint64      by_user_id,
                     const char *reason,
                     gboolean    banned,
                     gint64      ban_until)
{
  g_autoptr(JsonBuilder) builder = cfs_hub_begin_message (CONFAB_MSG_KICKED, NULL);
  g_autoptr(GBytes) message = NULL;
  g_autoptr(CfsUser) by_user = cfs_store_get_user (self->store, by_user_id, NULL);
  CfsLiveRoom *room = cfs_hub_lookup_room (self, room_id);

  json_builder_set_member_name (builder, "roomId");
  json_builder_add_int_value (builder, room_id);
  json_builder_set_member_name (builder, "byUserId");
  json_builder_add_int_value (builder, by_user_id);
  json_builder_set_member_name (builder, "byName");
  json_builder_add_string_value (builder, by_user != NULL ? by_user->name : "");
  json_builder_set_member_name (builder, "reason");
  if (reason != NULL && reason[0] != '\0')
    json_builder_add_string_value (builder, reason);
  else
    json_builder_add_null_value (builder);
  if (banned)
    {
      json_builder_set_member_name (builder, "ban");
      json_builder_begin_object (builder);
      cfs_hub_add_nullable_int (builder, "until", ban_until);
      json_builder_end_object (builder);
    }

  message = cfs_hub_end_message (builder);
  cfs_hub_send_to_user (self, user_id, message);

  if (room != NULL)
    cfs_hub_remove_participant (self, room, user_id, "kicked");
}

/* Sends `roomAccess` with the user's current role and ban in a room. */
void
cfs_hub_send_room_access (CfsHub *self,
                          gint64  room_id,
                          gint64  user_id)
{
  g_autoptr(JsonBuilder) builder = cfs_hub_begin_message (CONFAB_MSG_ROOM_ACCESS, NULL);
  g_autoptr(GBytes) message = NULL;
  gint64 until = 0;
  gboolean banned = cfs_store_get_ban (self->store, room_id, user_id, &until);

  json_builder_set_member_name (builder, "roomId");
  json_builder_add_int_value (builder, room_id);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, cfs_store_get_role (self->store, room_id, user_id));
  json_builder_set_member_name (builder, "banned");
  json_builder_add_boolean_value (builder, banned);
  cfs_hub_add_nullable_int (builder, "bannedUntil", banned ? until : 0);

  message = cfs_hub_end_message (builder);
  cfs_hub_send_to_user (self, user_id, message);
}
