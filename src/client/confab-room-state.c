/* confab-room-state.c: the live state of the one room the user sits in.
 *
 * The WebSocket delivers `roomState` as a snapshot when the user joins, then
 * room events numbered by `seq`. This model applies them in order: an event
 * at or below the last applied `seq` is a stale duplicate and is dropped, and
 * an event that skips ahead means some were lost, so the model drops it and
 * emits "rejoin-needed". The rejoin's `roomState` becomes the new baseline. Every field
 * is checked before use, because the model must not trust what arrives.
 *
 * Participants and chat are GListModels of ConfabParticipant and
 * ConfabChatMessage that are updated in place, so the side panel's rows stay
 * bound to the same objects across events and rejoins.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "confab-room"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "confab-protocol.h"
#include "confab-room-state.h"

/* Bounds for strings that the server already limits, so that a broken
 * server cannot make the client hold or draw arbitrarily large values.
 */
#define NAME_MAX_BYTES   1024
#define ROLE_MAX_BYTES   32

struct _ConfabRoomState
{
  GObject     parent_instance;

  gint64      room_id;
  gint64      self_user_id;
  gboolean    joined;
  gint64      seq;

  char       *name;
  char       *topic;
  char       *jitsi_room;
  char       *self_role;

  GListStore *participants;
  GListStore *chat;
  GHashTable *chat_ids;         /* gint64 message id → TRUE */

  /* Jitsi participant id → user id, kept after a user leaves, so that a
   * banned user who comes back into the meeting is still recognised.
   */
  GHashTable *jitsi_ids;
  GHashTable *banned_users;     /* gint64 user id → TRUE */

  gint64      notes_version;
  char       *notes_text;
  gint64      notes_updated_by;
};

G_DEFINE_FINAL_TYPE (ConfabRoomState, confab_room_state, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROOM_ID,
  PROP_SELF_USER_ID,
  PROP_JOINED,
  PROP_NAME,
  PROP_TOPIC,
  PROP_SELF_ROLE,
  PROP_IS_HOST,
  PROP_NOTES_VERSION,
  N_PROPS
};

enum {
  REJOIN_NEEDED,
  KICKED,
  MUTE_REQUESTED,
  ROOM_DELETED,
  CHAT_MESSAGE_RECEIVED,
  NOTES_CHANGED,
  SNAPSHOT_APPLIED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* JSON field access. Each getter checks the member's JSON type, so that a
 * message with a wrong type is rejected with an error naming the field
 * instead of reaching json-glib's preconditions.
 */

static gboolean
set_field_error (GError     **error,
                 const char  *type,
                 const char  *field,
                 const char  *expected)
{
  g_set_error (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_INVALID_FIELD,
               "Field \"%s\" of %s must be %s", field, type, expected);
  return FALSE;
}

static gboolean
node_is_integer (JsonNode *node)
{
  return node != NULL &&
         JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
get_id (JsonObject  *object,
        const char  *type,
        const char  *field,
        gint64      *out,
        GError     **error)
{
  JsonNode *node = json_object_get_member (object, field);

  if (!node_is_integer (node) || json_node_get_int (node) <= 0)
    return set_field_error (error, type, field, "a positive integer");

  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
get_count (JsonObject  *object,
           const char  *type,
           const char  *field,
           gint64      *out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, field);

  if (!node_is_integer (node) || json_node_get_int (node) < 0)
    return set_field_error (error, type, field, "an integer of 0 or more");

  *out = json_node_get_int (node);
  return TRUE;
}

/* Reads an optional id: a missing member or null gives 0. */
static gboolean
get_optional_id (JsonObject  *object,
                 const char  *type,
                 const char  *field,
                 gint64      *out,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (object, field);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *out = 0;
      return TRUE;
    }

  return get_id (object, type, field, out, error);
}

static gboolean
get_boolean (JsonObject  *object,
             const char  *type,
             const char  *field,
             gboolean    *out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, field);

  if (node == NULL ||
      !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return set_field_error (error, type, field, "true or false");

  *out = json_node_get_boolean (node);
  return TRUE;
}

/* Reads a UTF-8 string of at most max_bytes. With nullable, a missing
 * member or null gives NULL.
 */
static gboolean
get_string (JsonObject   *object,
            const char   *type,
            const char   *field,
            gboolean      nullable,
            gsize         max_bytes,
            const char  **out,
            GError      **error)
{
  JsonNode *node = json_object_get_member (object, field);
  const char *value;

  if (nullable && (node == NULL || JSON_NODE_HOLDS_NULL (node)))
    {
      *out = NULL;
      return TRUE;
    }

  if (node == NULL ||
      !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return set_field_error (error, type, field, nullable ? "a string or null" : "a string");

  value = json_node_get_string (node);
  if (strlen (value) > max_bytes || !g_utf8_validate (value, -1, NULL))
    return set_field_error (error, type, field, "valid UTF-8 text of a bounded length");

  *out = value;
  return TRUE;
}

static gboolean
get_object (JsonObject   *object,
            const char   *type,
            const char   *field,
            JsonObject  **out,
            GError      **error)
{
  JsonNode *node = json_object_get_member (object, field);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return set_field_error (error, type, field, "an object");

  *out = json_node_get_object (node);
  return TRUE;
}

static gboolean
get_array (JsonObject  *object,
           const char  *type,
           const char  *field,
           JsonArray  **out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, field);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return set_field_error (error, type, field, "an array");

  *out = json_node_get_array (node);
  return TRUE;
}

static gboolean
check_role (const char  *type,
            const char  *role,
            GError     **error)
{
  if (g_strcmp0 (role, CONFAB_ROLE_OWNER) == 0 ||
      g_strcmp0 (role, CONFAB_ROLE_MODERATOR) == 0 ||
      g_strcmp0 (role, CONFAB_ROLE_MEMBER) == 0)
    return TRUE;

  return set_field_error (error, type, "role", "\"owner\", \"moderator\" or \"member\"");
}

static gboolean
check_jitsi_id (const char  *type,
                const char  *field,
                const char  *jitsi_id,
                GError     **error)
{
  if (jitsi_id == NULL || confab_protocol_is_jitsi_id (jitsi_id))
    return TRUE;

  return set_field_error (error, type, field, "1 to 64 of A-Z, a-z, 0-9, _ and -");
}

/* Parsed forms of the protocol's participant and chat message objects. */

typedef struct {
  gint64      user_id;
  const char *name;
  const char *avatar_url;
  const char *role;
  gboolean    is_owner;
  gboolean    hand_raised;
  const char *jitsi_id;
} ParticipantFields;

typedef struct {
  gint64      id;
  gint64      user_id;
  const char *name;
  const char *text;
  gint64      sent_at;
  const char *client_msg_id;
} ChatFields;

static gboolean
parse_participant (JsonObject         *object,
                   ParticipantFields  *fields,
                   GError            **error)
{
  const char *type = "participant";

  return get_id (object, type, "userId", &fields->user_id, error) &&
         get_string (object, type, "name", FALSE, NAME_MAX_BYTES, &fields->name, error) &&
         get_string (object, type, "avatarUrl", TRUE, CONFAB_URL_MAX, &fields->avatar_url, error) &&
         get_string (object, type, "role", FALSE, ROLE_MAX_BYTES, &fields->role, error) &&
         check_role (type, fields->role, error) &&
         get_boolean (object, type, "isOwner", &fields->is_owner, error) &&
         get_boolean (object, type, "handRaised", &fields->hand_raised, error) &&
         get_string (object, type, "jitsiId", TRUE, CONFAB_JITSI_ID_MAX, &fields->jitsi_id, error) &&
         check_jitsi_id (type, "jitsiId", fields->jitsi_id, error);
}

/* Member names of a chat message: camelCase on the WebSocket, snake_case
 * in REST bodies.
 */
typedef struct {
  const char *user_id;
  const char *sent_at;
  const char *client_msg_id;
} ChatNames;

static const ChatNames websocket_chat_names = { "userId", "sentAt", "clientMsgId" };
static const ChatNames rest_chat_names = { "user_id", "sent_at", "client_msg_id" };

static gboolean
parse_chat_with_names (JsonObject       *object,
                       const ChatNames  *names,
                       ChatFields       *fields,
                       GError          **error)
{
  const char *type = "chat message";

  /* The server bounds chat in characters; four bytes per character is the
   * most UTF-8 needs.
   */
  return get_id (object, type, "id", &fields->id, error) &&
         get_id (object, type, names->user_id, &fields->user_id, error) &&
         get_string (object, type, "name", FALSE, NAME_MAX_BYTES, &fields->name, error) &&
         get_string (object, type, "text", FALSE, CONFAB_CHAT_MAX_CHARS * 4, &fields->text, error) &&
         get_count (object, type, names->sent_at, &fields->sent_at, error) &&
         get_string (object, type, names->client_msg_id, TRUE, CONFAB_CLIENT_MSG_ID_MAX, &fields->client_msg_id, error);
}

static gboolean
parse_chat (JsonObject  *object,
            ChatFields  *fields,
            GError     **error)
{
  return parse_chat_with_names (object, &websocket_chat_names, fields, error);
}

/* Participants */

static gboolean
find_participant_position (ConfabRoomState *self,
                           gint64           user_id,
                           guint           *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->participants));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ConfabParticipant) participant = g_list_model_get_item (G_LIST_MODEL (self->participants), i);

      if (confab_participant_get_user_id (participant) == user_id)
        {
          *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

static void
remember_jitsi_id (ConfabRoomState *self,
                   const char      *jitsi_id,
                   gint64           user_id)
{
  if (jitsi_id != NULL)
    g_hash_table_insert (self->jitsi_ids, g_strdup (jitsi_id), g_memdup2 (&user_id, sizeof user_id));
}

static void
update_participant (ConfabRoomState         *self,
                    ConfabParticipant       *participant,
                    const ParticipantFields *fields)
{
  g_object_freeze_notify (G_OBJECT (participant));

  confab_participant_set_name (participant, fields->name);
  confab_participant_set_avatar_url (participant, fields->avatar_url);
  confab_participant_set_role (participant, fields->role);
  confab_participant_set_is_owner (participant, fields->is_owner);
  confab_participant_set_hand_raised (participant, fields->hand_raised);
  confab_participant_set_jitsi_id (participant, fields->jitsi_id);
  confab_participant_set_is_self (participant, fields->user_id == self->self_user_id);

  g_object_thaw_notify (G_OBJECT (participant));

  remember_jitsi_id (self, fields->jitsi_id, fields->user_id);
}

/* Adds the participant, or updates them in place when already present. */
static void
upsert_participant (ConfabRoomState         *self,
                    const ParticipantFields *fields)
{
  g_autoptr(ConfabParticipant) participant = NULL;
  guint position;

  if (find_participant_position (self, fields->user_id, &position))
    {
      participant = g_list_model_get_item (G_LIST_MODEL (self->participants), position);
      update_participant (self, participant, fields);
      return;
    }

  participant = confab_participant_new (fields->user_id, fields->name);
  update_participant (self, participant, fields);
  g_list_store_append (self->participants, participant);
}

static void
set_self_role (ConfabRoomState *self,
               const char      *role)
{
  gboolean was_host = confab_room_state_get_is_host (self);

  if (g_strcmp0 (self->self_role, role) == 0)
    return;

  g_free (self->self_role);
  self->self_role = g_strdup (role);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELF_ROLE]);

  if (was_host != confab_room_state_get_is_host (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_HOST]);
}

/* Chat */

static ConfabChatMessage *
find_own_pending_chat (ConfabRoomState *self,
                       const char      *client_msg_id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->chat));

  if (client_msg_id == NULL)
    return NULL;

  /* Pending messages sit at the end, so search backwards. */
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(ConfabChatMessage) message = g_list_model_get_item (G_LIST_MODEL (self->chat), i - 1);

      if (confab_chat_message_get_pending (message) &&
          g_strcmp0 (confab_chat_message_get_client_msg_id (message), client_msg_id) == 0)
        return g_steal_pointer (&message);
    }

  return NULL;
}

static void
remember_chat_id (ConfabRoomState *self,
                  gint64           id)
{
  g_hash_table_add (self->chat_ids, g_memdup2 (&id, sizeof id));
}

/* Adds a stored message unless it is already shown. Returns the message
 * object when it was new, NULL otherwise.
 */
static ConfabChatMessage *
add_chat (ConfabRoomState  *self,
          const ChatFields *fields)
{
  g_autoptr(ConfabChatMessage) message = NULL;

  if (g_hash_table_contains (self->chat_ids, &fields->id))
    return NULL;

  remember_chat_id (self, fields->id);

  /* The user's own message, confirmed by the room broadcast before or
   * instead of its chatAck: confirm the pending copy rather than show it
   * twice.
   */
  if (fields->user_id == self->self_user_id)
    {
      message = find_own_pending_chat (self, fields->client_msg_id);
      if (message != NULL)
        {
          confab_chat_message_confirm (message, fields->id, fields->sent_at);
          return NULL;
        }
    }

  message = confab_chat_message_new (fields->id, fields->user_id, fields->name, fields->text,
                                     fields->sent_at, fields->client_msg_id);
  g_list_store_append (self->chat, message);
  return g_steal_pointer (&message);
}

/* Notes */

static void
set_notes (ConfabRoomState *self,
           gint64           version,
           const char      *text,
           gint64           updated_by)
{
  g_free (self->notes_text);
  self->notes_text = g_strdup (text);
  self->notes_updated_by = updated_by;

  if (self->notes_version != version)
    {
      self->notes_version = version;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTES_VERSION]);
    }

  g_signal_emit (self, signals[NOTES_CHANGED], 0, version, text, updated_by);
}

static gboolean
parse_notes (ConfabRoomState  *self,
             JsonObject       *object,
             const char       *type,
             gint64           *version,
             const char      **text,
             gint64           *updated_by,
             GError          **error)
{
  return get_count (object, type, "version", version, error) &&
         get_string (object, type, "text", FALSE, CONFAB_NOTES_MAX_BYTES, text, error) &&
         get_optional_id (object, type, "updatedBy", updated_by, error);
}

/* Handlers, one per message type. Each validates every field before it
 * changes anything, so an invalid message leaves the model as it was.
 */

static gboolean
apply_room_state (ConfabRoomState  *self,
                  JsonObject       *message,
                  GError          **error)
{
  const char *type = CONFAB_MSG_ROOM_STATE;
  JsonObject *room, *self_object, *notes;
  JsonArray *participants, *chat;
  g_autoptr(GArray) parsed_participants = g_array_new (FALSE, TRUE, sizeof (ParticipantFields));
  g_autoptr(GArray) parsed_chat = g_array_new (FALSE, TRUE, sizeof (ChatFields));
  const char *name, *topic, *jitsi_room, *self_role, *notes_text;
  gint64 seq, self_user_id, notes_version, notes_updated_by;
  guint n_participants;

  /* Validate the whole snapshot first. */
  if (!get_count (message, type, "seq", &seq, error) ||
      !get_object (message, type, "room", &room, error) ||
      !get_string (room, type, "name", FALSE, NAME_MAX_BYTES, &name, error) ||
      !get_string (room, type, "topic", TRUE, CONFAB_ROOM_TOPIC_MAX_CHARS * 4, &topic, error) ||
      !get_string (room, type, "jitsiRoom", FALSE, NAME_MAX_BYTES, &jitsi_room, error) ||
      !get_object (message, type, "self", &self_object, error) ||
      !get_id (self_object, type, "userId", &self_user_id, error) ||
      !get_string (self_object, type, "role", FALSE, ROLE_MAX_BYTES, &self_role, error) ||
      !check_role (type, self_role, error) ||
      !get_array (message, type, "participants", &participants, error) ||
      !get_object (message, type, "notes", &notes, error) ||
      !parse_notes (self, notes, type, &notes_version, &notes_text, &notes_updated_by, error) ||
      !get_array (message, type, "chat", &chat, error))
    return FALSE;

  n_participants = json_array_get_length (participants);
  for (guint i = 0; i < n_participants; i++)
    {
      JsonNode *node = json_array_get_element (participants, i);
      ParticipantFields fields = { 0, };

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return set_field_error (error, type, "participants", "an array of objects");
      if (!parse_participant (json_node_get_object (node), &fields, error))
        return FALSE;

      g_array_append_val (parsed_participants, fields);
    }

  for (guint i = 0; i < json_array_get_length (chat); i++)
    {
      JsonNode *node = json_array_get_element (chat, i);
      ChatFields fields = { 0, };

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return set_field_error (error, type, "chat", "an array of objects");
      if (!parse_chat (json_node_get_object (node), &fields, error))
        return FALSE;

      g_array_append_val (parsed_chat, fields);
    }

  /* Then apply it as the new baseline. */
  self->seq = seq;
  self->self_user_id = self_user_id;

  if (g_strcmp0 (self->name, name) != 0)
    {
      g_free (self->name);
      self->name = g_strdup (name);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
    }

  if (g_strcmp0 (self->topic, topic) != 0)
    {
      g_free (self->topic);
      self->topic = g_strdup (topic);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOPIC]);
    }

  g_free (self->jitsi_room);
  self->jitsi_room = g_strdup (jitsi_room);

  set_self_role (self, self_role);

  /* Remove those who left while the client was not listening, then add or
   * update the others in place.
   */
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->participants)); i > 0; i--)
    {
      g_autoptr(ConfabParticipant) participant = g_list_model_get_item (G_LIST_MODEL (self->participants), i - 1);
      gboolean present = FALSE;

      for (guint j = 0; j < parsed_participants->len && !present; j++)
        present = g_array_index (parsed_participants, ParticipantFields, j).user_id ==
                  confab_participant_get_user_id (participant);

      if (!present)
        g_list_store_remove (self->participants, i - 1);
    }

  for (guint i = 0; i < parsed_participants->len; i++)
    upsert_participant (self, &g_array_index (parsed_participants, ParticipantFields, i));

  /* Messages already shown stay. Older history missing from the list is
   * not fetched here.
   */
  for (guint i = 0; i < parsed_chat->len; i++)
    {
      g_autoptr(ConfabChatMessage) added = add_chat (self, &g_array_index (parsed_chat, ChatFields, i));
    }

  set_notes (self, notes_version, notes_text, notes_updated_by);

  if (!self->joined)
    {
      self->joined = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOINED]);
    }

  g_signal_emit (self, signals[SNAPSHOT_APPLIED], 0);
  return TRUE;
}

static gboolean
apply_user_joined (ConfabRoomState  *self,
                   JsonObject       *message,
                   GError          **error)
{
  JsonObject *object;
  ParticipantFields fields = { 0, };

  if (!get_object (message, CONFAB_MSG_USER_JOINED, "participant", &object, error) ||
      !parse_participant (object, &fields, error))
    return FALSE;

  upsert_participant (self, &fields);
  return TRUE;
}

static gboolean
apply_user_left (ConfabRoomState  *self,
                 JsonObject       *message,
                 GError          **error)
{
  gint64 user_id;
  guint position;

  if (!get_id (message, CONFAB_MSG_USER_LEFT, "userId", &user_id, error))
    return FALSE;

  if (find_participant_position (self, user_id, &position))
    g_list_store_remove (self->participants, position);

  return TRUE;
}

static gboolean
apply_user_updated (ConfabRoomState  *self,
                    JsonObject       *message,
                    GError          **error)
{
  ConfabParticipant *participant;
  const char *name;
  const char *avatar_url;
  gint64 user_id;

  if (!get_id (message, CONFAB_MSG_USER_UPDATED, "userId", &user_id, error) ||
      !get_string (message, CONFAB_MSG_USER_UPDATED, "name", FALSE, NAME_MAX_BYTES, &name, error) ||
      !get_string (message, CONFAB_MSG_USER_UPDATED, "avatarUrl", TRUE, CONFAB_URL_MAX, &avatar_url, error))
    return FALSE;

  participant = confab_room_state_find_participant (self, user_id);
  if (participant != NULL)
    {
      confab_participant_set_name (participant, name);
      confab_participant_set_avatar_url (participant, avatar_url);
    }

  return TRUE;
}

static gboolean
apply_hand_raised (ConfabRoomState  *self,
                   JsonObject       *message,
                   GError          **error)
{
  ConfabParticipant *participant;
  gint64 user_id;
  gboolean raised;

  if (!get_id (message, CONFAB_MSG_HAND_RAISED, "userId", &user_id, error) ||
      !get_boolean (message, CONFAB_MSG_HAND_RAISED, "raised", &raised, error))
    return FALSE;

  participant = confab_room_state_find_participant (self, user_id);
  if (participant != NULL)
    confab_participant_set_hand_raised (participant, raised);

  return TRUE;
}

static gboolean
apply_chat_message (ConfabRoomState  *self,
                    JsonObject       *message,
                    GError          **error)
{
  g_autoptr(ConfabChatMessage) added = NULL;
  JsonObject *object;
  ChatFields fields = { 0, };

  if (!get_object (message, CONFAB_MSG_CHAT_MESSAGE, "message", &object, error) ||
      !parse_chat (object, &fields, error))
    return FALSE;

  added = add_chat (self, &fields);
  if (added != NULL && fields.user_id != self->self_user_id)
    g_signal_emit (self, signals[CHAT_MESSAGE_RECEIVED], 0, added);

  return TRUE;
}

static gboolean
apply_chat_ack (ConfabRoomState  *self,
                JsonObject       *message,
                GError          **error)
{
  g_autoptr(ConfabChatMessage) pending = NULL;
  const char *client_msg_id;
  gint64 id, sent_at;

  if (!get_string (message, CONFAB_MSG_CHAT_ACK, "clientMsgId", FALSE, CONFAB_CLIENT_MSG_ID_MAX,
                   &client_msg_id, error) ||
      !get_id (message, CONFAB_MSG_CHAT_ACK, "id", &id, error) ||
      !get_count (message, CONFAB_MSG_CHAT_ACK, "sentAt", &sent_at, error))
    return FALSE;

  /* The room broadcast may have confirmed the message already. */
  pending = find_own_pending_chat (self, client_msg_id);
  if (pending == NULL)
    return TRUE;

  remember_chat_id (self, id);
  confab_chat_message_confirm (pending, id, sent_at);
  return TRUE;
}

static gboolean
apply_notes_updated (ConfabRoomState  *self,
                     JsonObject       *message,
                     GError          **error)
{
  const char *text;
  gint64 version, updated_by;

  if (!parse_notes (self, message, CONFAB_MSG_NOTES_UPDATED, &version, &text, &updated_by, error))
    return FALSE;

  set_notes (self, version, text, updated_by);
  return TRUE;
}

static gboolean
apply_jitsi_participant (ConfabRoomState  *self,
                         JsonObject       *message,
                         GError          **error)
{
  ConfabParticipant *participant;
  const char *jitsi_id;
  gint64 user_id;

  if (!get_id (message, CONFAB_MSG_JITSI_PARTICIPANT, "userId", &user_id, error) ||
      !get_string (message, CONFAB_MSG_JITSI_PARTICIPANT, "participantId", FALSE, CONFAB_JITSI_ID_MAX,
                   &jitsi_id, error) ||
      !check_jitsi_id (CONFAB_MSG_JITSI_PARTICIPANT, "participantId", jitsi_id, error))
    return FALSE;

  remember_jitsi_id (self, jitsi_id, user_id);

  participant = confab_room_state_find_participant (self, user_id);
  if (participant != NULL)
    confab_participant_set_jitsi_id (participant, jitsi_id);

  return TRUE;
}

static gboolean
apply_role_changed (ConfabRoomState  *self,
                    JsonObject       *message,
                    GError          **error)
{
  ConfabParticipant *participant;
  const char *role;
  gint64 user_id;

  if (!get_id (message, CONFAB_MSG_ROLE_CHANGED, "userId", &user_id, error) ||
      !get_string (message, CONFAB_MSG_ROLE_CHANGED, "role", FALSE, ROLE_MAX_BYTES, &role, error) ||
      !check_role (CONFAB_MSG_ROLE_CHANGED, role, error))
    return FALSE;

  participant = confab_room_state_find_participant (self, user_id);
  if (participant != NULL)
    confab_participant_set_role (participant, role);

  if (user_id == self->self_user_id)
    set_self_role (self, role);

  return TRUE;
}

static gboolean
apply_room_access (ConfabRoomState  *self,
                   JsonObject       *message,
                   GError          **error)
{
  ConfabParticipant *participant;
  const char *role;

  if (!get_string (message, CONFAB_MSG_ROOM_ACCESS, "role", FALSE, ROLE_MAX_BYTES, &role, error) ||
      !check_role (CONFAB_MSG_ROOM_ACCESS, role, error))
    return FALSE;

  set_self_role (self, role);

  participant = confab_room_state_get_self (self);
  if (participant != NULL)
    confab_participant_set_role (participant, role);

  return TRUE;
}

static gboolean
apply_mute_requested (ConfabRoomState  *self,
                      JsonObject       *message,
                      GError          **error)
{
  const char *by_name;
  gboolean everyone;

  if (!get_string (message, CONFAB_MSG_MUTE_REQUESTED, "byName", FALSE, NAME_MAX_BYTES, &by_name, error) ||
      !get_boolean (message, CONFAB_MSG_MUTE_REQUESTED, "everyone", &everyone, error))
    return FALSE;

  g_signal_emit (self, signals[MUTE_REQUESTED], 0, by_name, everyone);
  return TRUE;
}

static gboolean
apply_kicked (ConfabRoomState  *self,
              JsonObject       *message,
              GError          **error)
{
  JsonObject *ban = NULL;
  const char *by_name, *reason;
  gint64 ban_until = 0;

  if (!get_string (message, CONFAB_MSG_KICKED, "byName", FALSE, NAME_MAX_BYTES, &by_name, error) ||
      !get_string (message, CONFAB_MSG_KICKED, "reason", TRUE, CONFAB_KICK_REASON_MAX_CHARS * 4,
                   &reason, error))
    return FALSE;

  if (json_object_has_member (message, "ban") &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (message, "ban")))
    {
      if (!get_object (message, CONFAB_MSG_KICKED, "ban", &ban, error))
        return FALSE;

      /* "until": null means banned until a host lifts the ban, passed on as 0. */
      if (!get_optional_id (ban, CONFAB_MSG_KICKED, "until", &ban_until, error))
        return FALSE;
    }

  if (reason != NULL && *reason == '\0')
    reason = NULL;

  if (self->joined)
    {
      self->joined = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOINED]);
    }

  g_signal_emit (self, signals[KICKED], 0, by_name, reason, ban != NULL, ban_until);
  return TRUE;
}

static void
mark_deleted (ConfabRoomState *self)
{
  if (self->joined)
    {
      self->joined = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOINED]);
    }

  g_signal_emit (self, signals[ROOM_DELETED], 0);
}

typedef gboolean (*ApplyFunc) (ConfabRoomState *self, JsonObject *message, GError **error);

typedef struct {
  const char *type;
  ApplyFunc   apply;
  gboolean    sequenced;
} Handler;

static const Handler handlers[] = {
  { CONFAB_MSG_USER_JOINED,       apply_user_joined,       TRUE },
  { CONFAB_MSG_USER_LEFT,         apply_user_left,         TRUE },
  { CONFAB_MSG_HAND_RAISED,       apply_hand_raised,       TRUE },
  { CONFAB_MSG_CHAT_MESSAGE,      apply_chat_message,      TRUE },
  { CONFAB_MSG_NOTES_UPDATED,     apply_notes_updated,     TRUE },
  { CONFAB_MSG_JITSI_PARTICIPANT, apply_jitsi_participant, TRUE },
  { CONFAB_MSG_ROLE_CHANGED,      apply_role_changed,      TRUE },
  { CONFAB_MSG_USER_UPDATED,      apply_user_updated,      TRUE },
  { CONFAB_MSG_CHAT_ACK,          apply_chat_ack,          FALSE },
  { CONFAB_MSG_ROOM_ACCESS,       apply_room_access,       FALSE },
  { CONFAB_MSG_MUTE_REQUESTED,    apply_mute_requested,    FALSE },
  { CONFAB_MSG_KICKED,            apply_kicked,            FALSE },
};

static const Handler *
find_handler (const char *type)
{
  for (gsize i = 0; i < G_N_ELEMENTS (handlers); i++)
    if (g_str_equal (handlers[i].type, type))
      return &handlers[i];

  return NULL;
}

/* Checks the event's seq against the last applied one, without moving it. */
static ConfabRoomStateResult
check_seq (ConfabRoomState  *self,
           const char       *type,
           JsonObject       *message,
           gint64           *seq,
           GError          **error)
{
  if (!get_count (message, type, "seq", seq, error))
    return CONFAB_ROOM_STATE_INVALID;

  if (*seq <= self->seq)
    {
      g_debug ("Dropped stale %s with seq %" G_GINT64_FORMAT " in room %" G_GINT64_FORMAT
               " (last applied %" G_GINT64_FORMAT ")", type, *seq, self->room_id, self->seq);
      return CONFAB_ROOM_STATE_STALE;
    }

  if (*seq > self->seq + 1)
    {
      g_debug ("Missed events in room %" G_GINT64_FORMAT ": got seq %" G_GINT64_FORMAT
               " after %" G_GINT64_FORMAT ", rejoining", self->room_id, *seq, self->seq);
      g_signal_emit (self, signals[REJOIN_NEEDED], 0);
      return CONFAB_ROOM_STATE_GAP;
    }

  return CONFAB_ROOM_STATE_APPLIED;
}

static void
confab_room_state_finalize (GObject *object)
{
  ConfabRoomState *self = CONFAB_ROOM_STATE (object);

  g_free (self->name);
  g_free (self->topic);
  g_free (self->jitsi_room);
  g_free (self->self_role);
  g_free (self->notes_text);
  g_clear_object (&self->participants);
  g_clear_object (&self->chat);
  g_clear_pointer (&self->chat_ids, g_hash_table_unref);
  g_clear_pointer (&self->jitsi_ids, g_hash_table_unref);
  g_clear_pointer (&self->banned_users, g_hash_table_unref);

  G_OBJECT_CLASS (confab_room_state_parent_class)->finalize (object);
}

static void
confab_room_state_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ConfabRoomState *self = CONFAB_ROOM_STATE (object);

  switch (prop_id)
    {
    case PROP_ROOM_ID:
      g_value_set_int64 (value, self->room_id);
      break;
    case PROP_SELF_USER_ID:
      g_value_set_int64 (value, self->self_user_id);
      break;
    case PROP_JOINED:
      g_value_set_boolean (value, self->joined);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_TOPIC:
      g_value_set_string (value, self->topic);
      break;
    case PROP_SELF_ROLE:
      g_value_set_string (value, self->self_role);
      break;
    case PROP_IS_HOST:
      g_value_set_boolean (value, confab_room_state_get_is_host (self));
      break;
    case PROP_NOTES_VERSION:
      g_value_set_int64 (value, self->notes_version);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_room_state_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  ConfabRoomState *self = CONFAB_ROOM_STATE (object);

  switch (prop_id)
    {
    case PROP_ROOM_ID:
      self->room_id = g_value_get_int64 (value);
      break;
    case PROP_SELF_USER_ID:
      self->self_user_id = g_value_get_int64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_room_state_class_init (ConfabRoomStateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = confab_room_state_finalize;
  object_class->get_property = confab_room_state_get_property;
  object_class->set_property = confab_room_state_set_property;

  properties[PROP_ROOM_ID] =
    g_param_spec_int64 ("room-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELF_USER_ID] =
    g_param_spec_int64 ("self-user-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* TRUE from the first roomState until the user is kicked or the room is deleted. */
  properties[PROP_JOINED] =
    g_param_spec_boolean ("joined", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOPIC] =
    g_param_spec_string ("topic", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELF_ROLE] =
    g_param_spec_string ("self-role", NULL, NULL, CONFAB_ROLE_MEMBER,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* TRUE while the user is an owner or moderator of the room. */
  properties[PROP_IS_HOST] =
    g_param_spec_boolean ("is-host", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOTES_VERSION] =
    g_param_spec_int64 ("notes-version", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Events were lost: the owner sends joinRoom again. */
  signals[REJOIN_NEEDED] =
    g_signal_new ("rejoin-needed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /* A host removed the user: (by_name, reason or NULL, banned, ban end as
   * Unix time or 0 for until lifted).
   */
  signals[KICKED] =
    g_signal_new ("kicked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_BOOLEAN, G_TYPE_INT64);

  /* A host asked the user to mute: (by_name, everyone). */
  signals[MUTE_REQUESTED] =
    g_signal_new ("mute-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  G_TYPE_STRING, G_TYPE_BOOLEAN);

  signals[ROOM_DELETED] =
    g_signal_new ("room-deleted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /* A live message from another user arrived (history does not count). */
  signals[CHAT_MESSAGE_RECEIVED] =
    g_signal_new ("chat-message-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, CONFAB_TYPE_CHAT_MESSAGE);

  /* A roomState snapshot was applied, on joining or rejoining. */
  signals[SNAPSHOT_APPLIED] =
    g_signal_new ("snapshot-applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /* The server's notes changed: (version, text, updated_by user id or 0). */
  signals[NOTES_CHANGED] =
    g_signal_new ("notes-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_INT64, G_TYPE_STRING, G_TYPE_INT64);
}

static void
confab_room_state_init (ConfabRoomState *self)
{
  self->self_role = g_strdup (CONFAB_ROLE_MEMBER);
  self->notes_text = g_strdup ("");
  self->participants = g_list_store_new (CONFAB_TYPE_PARTICIPANT);
  self->chat = g_list_store_new (CONFAB_TYPE_CHAT_MESSAGE);
  self->chat_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->jitsi_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->banned_users = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

ConfabRoomState *
confab_room_state_new (gint64 room_id,
                       gint64 self_user_id)
{
  g_return_val_if_fail (room_id > 0, NULL);

  return g_object_new (CONFAB_TYPE_ROOM_STATE,
                       "room-id", room_id,
                       "self-user-id", self_user_id,
                       NULL);
}

/**
 * confab_room_state_apply:
 * @type: the message's "type"
 * @message: the whole message
 *
 * Applies one server message to the model. Messages for other rooms and
 * types the model does not handle are ignored. Room events before the first
 * roomState are ignored too, because roomState is the baseline they build on.
 *
 * Returns: what happened; with %CONFAB_ROOM_STATE_INVALID, @error names the
 *   field that was wrong and the model is unchanged.
 */
ConfabRoomStateResult
confab_room_state_apply (ConfabRoomState  *self,
                         const char       *type,
                         JsonObject       *message,
                         GError          **error)
{
  const Handler *handler;
  ConfabRoomStateResult result;
  gint64 room_id, seq = 0;

  g_return_val_if_fail (CONFAB_IS_ROOM_STATE (self), CONFAB_ROOM_STATE_INVALID);
  g_return_val_if_fail (type != NULL, CONFAB_ROOM_STATE_INVALID);
  g_return_val_if_fail (message != NULL, CONFAB_ROOM_STATE_INVALID);
  g_return_val_if_fail (error == NULL || *error == NULL, CONFAB_ROOM_STATE_INVALID);

  handler = find_handler (type);
  if (handler == NULL &&
      !g_str_equal (type, CONFAB_MSG_ROOM_STATE) &&
      !g_str_equal (type, CONFAB_MSG_ROOM_DELETED))
    return CONFAB_ROOM_STATE_IGNORED;

  if (!get_id (message, type, "roomId", &room_id, error))
    return CONFAB_ROOM_STATE_INVALID;
  if (room_id != self->room_id)
    return CONFAB_ROOM_STATE_IGNORED;

  if (g_str_equal (type, CONFAB_MSG_ROOM_STATE))
    return apply_room_state (self, message, error) ? CONFAB_ROOM_STATE_APPLIED : CONFAB_ROOM_STATE_INVALID;

  if (g_str_equal (type, CONFAB_MSG_ROOM_DELETED))
    {
      mark_deleted (self);
      return CONFAB_ROOM_STATE_APPLIED;
    }

  if (!self->joined)
    return CONFAB_ROOM_STATE_IGNORED;

  if (handler->sequenced)
    {
      result = check_seq (self, type, message, &seq, error);
      if (result != CONFAB_ROOM_STATE_APPLIED)
        return result;
    }

  /* An invalid event leaves seq where it was, so the next event shows a
   * gap and the rejoin repairs whatever the invalid one would have changed.
   */
  if (!handler->apply (self, message, error))
    return CONFAB_ROOM_STATE_INVALID;

  if (handler->sequenced)
    self->seq = seq;

  return CONFAB_ROOM_STATE_APPLIED;
}

gint64
confab_room_state_get_room_id (ConfabRoomState *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_STATE (self), 0);

  return self->room_id;
}

gint64
confab_room_state_get_self_user_id (ConfabRoomState *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_STATE (self), 0);

  return self->self_user_id;
}

gboolean
confab_room_state_get_joined (ConfabRoomState *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_STATE (self), FALSE);

  return self->joined;
}

gint64
confab_room_state_get_seq (ConfabRoomState *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_STATE (self), 0);

  return self->seq;
}

const char *
confab_room_state_get_name (ConfabRoomState *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_STATE (self), NULL);

  return self->name;
}

const char *
confab_room_state_get_topic (ConfabRoomState *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_STATE (self), NULL);

  return self->topic;
}

const char *
confab_room_state_get_jitsi_room (ConfabRoomState *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_STATE (self), NULL);

  return self->jitsi_room;
}

const char *
confab_room_state_get_self_role (ConfabRoomState *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_STATE (self), NULL);

  return self->self_role;
}

gboolean
confab_room_state_get_is_host (ConfabRoomState *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_STATE (self), FALSE);

  return g_strcmp0 (self->self_role, CONFAB_ROLE_OWNER) == 0 ||
         g_strcmp0 (self->self_role, CONFAB_ROLE_MODERATOR) == 0;
}

/* Returns: (transfer none): a list of #ConfabParticipant in join order. */
GListModel *
confab_room_state_get_participants (ConfabRoomState *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_STATE (self), NULL);

  return G_LIST_MODEL (self->participants);
}

/* Returns: (transfer none): a list of #ConfabChatMessage, oldest first, with
 * the user's pending messages at the end.
 */
GListModel *
confab_room_state_get_chat (ConfabRoomState *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_STATE (self), NULL);

  return G_LIST_MODEL (self->chat);
}

/* Returns: (transfer none) (nullable): the seated participant with this user id. */
ConfabParticipant *
confab_room_state_find_participant (ConfabRoomState *self,
                                    gint64           user_id)
{
  g_autoptr(ConfabParticipant) participant = NULL;
  guint position;

  g_return_val_if_fail (CONFAB_IS_ROOM_STATE (self), NULL);

  if (!find_participant_position (self, user_id, &position))
    return NULL;

  /* The store keeps its own reference, so returning a borrowed one is safe. */
  participant = g_list_model_get_item (G_LIST_MODEL (self->participants), position);
  return participant;
}

/* Returns: (transfer none) (nullable): the user's own participant entry. */
ConfabParticipant *
confab_room_state_get_self (ConfabRoomState *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_STATE (self), NULL);

  return confab_room_state_find_participant (self, self->self_user_id);
}

/* Returns: the user id whose client reported this Jitsi participant id in
 * this room, including users who have left since, or 0 when none did.
 */
gint64
confab_room_state_lookup_jitsi_id (ConfabRoomState *self,
                                   const char      *jitsi_id)
{
  gint64 *user_id;

  g_return_val_if_fail (CONFAB_IS_ROOM_STATE (self), 0);
  g_return_val_if_fail (jitsi_id != NULL, 0);

  user_id = g_hash_table_lookup (self->jitsi_ids, jitsi_id);
  return user_id != NULL ? *user_id : 0;
}

/* Records that a host of this client banned the user, so that the client
 * removes them again if they come back into the meeting.
 */
void
confab_room_state_add_ban (ConfabRoomState *self,
                           gint64           user_id)
{
  g_return_if_fail (CONFAB_IS_ROOM_STATE (self));
  g_return_if_fail (user_id > 0);

  g_hash_table_add (self->banned_users, g_memdup2 (&user_id, sizeof user_id));
}

gboolean
confab_room_state_is_banned (ConfabRoomState *self,
                             gint64           user_id)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_STATE (self), FALSE);

  return g_hash_table_contains (self->banned_users, &user_id);
}

/**
 * confab_room_state_add_pending_chat:
 * @text: the message as the user typed it
 * @client_msg_id: the id sent with the `chat` message
 *
 * Shows the user's message at once, marked pending until the server
 * acknowledges it.
 *
 * Returns: (transfer none): the pending message.
 */
ConfabChatMessage *
confab_room_state_add_pending_chat (ConfabRoomState *self,
                                    const char      *text,
                                    const char      *client_msg_id)
{
  g_autoptr(ConfabChatMessage) message = NULL;
  ConfabParticipant *me;

  g_return_val_if_fail (CONFAB_IS_ROOM_STATE (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (client_msg_id != NULL, NULL);

  me = confab_room_state_get_self (self);
  message = confab_chat_message_new_pending (self->self_user_id,
                                             me != NULL ? confab_participant_get_name (me) : "",
                                             text, client_msg_id);
  g_list_store_append (self->chat, message);

  return message;
}

/**
 * confab_room_state_remove_pending_chat:
 * @client_msg_id: the id the message was sent with
 *
 * Removes the user's message that the server rejected, so that it is not
 * shown as pending forever.
 *
 * Returns: (transfer full) (nullable): the message's text, or %NULL when no
 *   pending message has this id.
 */
char *
confab_room_state_remove_pending_chat (ConfabRoomState *self,
                                       const char      *client_msg_id)
{
  g_autoptr(ConfabChatMessage) pending = NULL;
  guint position;

  g_return_val_if_fail (CONFAB_IS_ROOM_STATE (self), NULL);
  g_return_val_if_fail (client_msg_id != NULL, NULL);

  pending = find_own_pending_chat (self, client_msg_id);
  if (pending == NULL || !g_list_store_find (self->chat, pending, &position))
    return NULL;

  g_list_store_remove (self->chat, position);
  return g_strdup (confab_chat_message_get_text (pending));
}

/**
 * confab_room_state_get_oldest_chat_id:
 *
 * Returns: the id of the oldest stored message shown, the `before` for
 *   loading earlier ones, or 0 when no stored message is shown.
 */
gint64
confab_room_state_get_oldest_chat_id (ConfabRoomState *self)
{
  GListModel *chat;

  g_return_val_if_fail (CONFAB_IS_ROOM_STATE (self), 0);

  chat = G_LIST_MODEL (self->chat);
  for (guint i = 0; i < g_list_model_get_n_items (chat); i++)
    {
      g_autoptr(ConfabChatMessage) message = g_list_model_get_item (chat, i);

      if (!confab_chat_message_get_pending (message))
        return confab_chat_message_get_id (message);
    }

  return 0;
}

/**
 * confab_room_state_add_earlier_chat:
 * @messages: the `messages` array of `GET /api/v1/rooms/{id}/messages`,
 *   oldest first, all older than the messages shown
 *
 * Adds a page of earlier chat history above the messages shown. Messages
 * already shown are skipped. When any message is invalid, nothing is added.
 *
 * Returns: the number of messages added, or -1 with @error set
 */
int
confab_room_state_add_earlier_chat (ConfabRoomState  *self,
                                    JsonArray        *messages,
                                    GError          **error)
{
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) parsed = g_array_new (FALSE, TRUE, sizeof (ChatFields));

  g_return_val_if_fail (CONFAB_IS_ROOM_STATE (self), -1);
  g_return_val_if_fail (messages != NULL, -1);

  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonNode *node = json_array_get_element (messages, i);
      ChatFields fields = { 0, };

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          set_field_error (error, "messages", "messages", "an array of objects");
          return -1;
        }
      if (!parse_chat_with_names (json_node_get_object (node), &rest_chat_names, &fields, error))
        return -1;

      g_array_append_val (parsed, fields);
    }

  for (guint i = 0; i < parsed->len; i++)
    {
      const ChatFields *fields = &g_array_index (parsed, ChatFields, i);

      if (g_hash_table_contains (self->chat_ids, &fields->id))
        continue;

      remember_chat_id (self, fields->id);
      g_ptr_array_add (added, confab_chat_message_new (fields->id, fields->user_id, fields->name, fields->text,
                                                       fields->sent_at, fields->client_msg_id));
    }

  g_list_store_splice (self->chat, 0, 0, added->pdata, added->len);
  return added->len;
}

gint64
confab_room_state_get_notes_version (ConfabRoomState *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_STATE (self), 0);

  return self->notes_version;
}

const char *
confab_room_state_get_notes_text (ConfabRoomState *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_STATE (self), NULL);

  return self->notes_text;
}

gint64
confab_room_state_get_notes_updated_by (ConfabRoomState *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_STATE (self), 0);

  return self->notes_updated_by;
}

/* The part of a text that an edit replaced: bytes [start, base_end) of the
 * base became bytes [start, new_end) of the edited text.
 */
typedef struct {
  gsize start;
  gsize base_end;
  gsize new_end;
} Edit;

/* Finds the one changed span between base and edited from their common
 * prefix and suffix, both ending on UTF-8 character boundaries.
 */
static Edit
find_edit (const char *base,
           const char *edited)
{
  gsize base_len = strlen (base);
  gsize edited_len = strlen (edited);
  gsize prefix = 0, suffix = 0;
  Edit edit;

  while (prefix < base_len && prefix < edited_len && base[prefix] == edited[prefix])
    prefix++;
  while (prefix > 0 && (base[prefix] & 0xC0) == 0x80)
    prefix--;

  while (suffix < base_len - prefix && suffix < edited_len - prefix &&
         base[base_len - suffix - 1] == edited[edited_len - suffix - 1])
    suffix++;
  while (suffix > 0 && (base[base_len - suffix] & 0xC0) == 0x80)
    suffix--;

  edit.start = prefix;
  edit.base_end = base_len - suffix;
  edit.new_end = edited_len - suffix;
  return edit;
}

/**
 * confab_room_state_merge_notes:
 * @base: the notes text that the local edit started from
 * @local: the user's text, with edits the server has not accepted
 * @remote: the server's current text
 *
 * Merges the user's unsent notes edit into the server's newer text, so that
 * a conflict never loses what the user typed. When the two edits changed
 * different parts of @base, both are applied. When they overlap, the result
 * is @remote followed by the user's changed text under a clearly marked
 * heading, for the user to fix by hand.
 *
 * Returns: (transfer full): the merged text.
 */
char *
confab_room_state_merge_notes (const char *base,
                               const char *local,
                               const char *remote)
{
  Edit mine, theirs;
  GString *merged;

  g_return_val_if_fail (base != NULL, NULL);
  g_return_val_if_fail (local != NULL, NULL);
  g_return_val_if_fail (remote != NULL, NULL);

  if (g_str_equal (local, base) || g_str_equal (local, remote))
    return g_strdup (remote);
  if (g_str_equal (remote, base))
    return g_strdup (local);

  mine = find_edit (base, local);
  theirs = find_edit (base, remote);

  /* Disjoint edits: rebuild from base with each span taken from its side.
   * Two insertions at the same point count as overlapping, because their
   * order would be a guess.
   */
  if (mine.base_end < theirs.start ||
      (mine.base_end == theirs.start && mine.start < theirs.start))
    {
      merged = g_string_new_len (base, mine.start);
      g_string_append_len (merged, local + mine.start, mine.new_end - mine.start);
      g_string_append_len (merged, base + mine.base_end, theirs.start - mine.base_end);
      g_string_append (merged, remote + theirs.start);
      return g_string_free (merged, FALSE);
    }

  if (theirs.base_end < mine.start ||
      (theirs.base_end == mine.start && theirs.start < mine.start))
    {
      merged = g_string_new_len (remote, theirs.new_end);
      g_string_append_len (merged, base + theirs.base_end, mine.start - theirs.base_end);
      g_string_append (merged, local + mine.start);
      return g_string_free (merged, FALSE);
    }

  /* Overlapping edits: keep both, the user's part marked. An edit that only
   * deleted text has nothing typed to keep.
   */
  if (mine.new_end == mine.start)
    return g_strdup (remote);

  merged = g_string_new (remote);
  if (merged->len > 0 && merged->str[merged->len - 1] != '\n')
    g_string_append_c (merged, '\n');
  g_string_append_printf (merged, "\n%s\n", _("——— Your edit, which conflicted with another change ———"));
  g_string_append_len (merged, local + mine.start, mine.new_end - mine.start);
  g_string_append_printf (merged, "\n%s\n", _("——— End of your edit ———"));

  return g_string_free (merged, FALSE);
}
