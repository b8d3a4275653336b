/* confab-protocol.c: validation of client → server WebSocket messages.
 *
 * Each message type has a table of fields with their JSON type and bounds.
 * The server rejects anything that does not match before looking at it, and
 * the error message names the field, so a client developer can fix it.
 */
#include "config.h"

#include <string.h>

#include "confab-protocol.h"

typedef enum {
  FIELD_ID,        /* positive integer */
  FIELD_COUNT,     /* integer >= 0 */
  FIELD_BOOLEAN,
  FIELD_TEXT,      /* string, bounded in characters */
  FIELD_TOKEN,     /* string, bounded in bytes, no control characters */
} FieldKind;

typedef struct {
  const char *name;
  FieldKind   kind;
  gboolean    required;
  gsize       max;         /* characters for FIELD_TEXT, bytes for FIELD_TOKEN */
} FieldSpec;

typedef struct {
  const char      *type;
  gsize            max_bytes;
  const FieldSpec *fields;
} MessageSpec;

#define END_FIELDS { NULL, 0, FALSE, 0 }

static const FieldSpec no_fields[] = { END_FIELDS };

static const FieldSpec room_fields[] = {
  { "roomId", FIELD_ID, TRUE, 0 },
  END_FIELDS
};

static const FieldSpec room_user_fields[] = {
  { "roomId", FIELD_ID, TRUE, 0 },
  { "userId", FIELD_ID, TRUE, 0 },
  END_FIELDS
};

static const FieldSpec raise_hand_fields[] = {
  { "roomId", FIELD_ID, TRUE, 0 },
  { "raised", FIELD_BOOLEAN, TRUE, 0 },
  END_FIELDS
};

static const FieldSpec chat_fields[] = {
  { "roomId", FIELD_ID, TRUE, 0 },
  { "text", FIELD_TEXT, TRUE, CONFAB_CHAT_MAX_CHARS },
  { "clientMsgId", FIELD_TOKEN, TRUE, CONFAB_CLIENT_MSG_ID_MAX },
  END_FIELDS
};

static const FieldSpec notes_fields[] = {
  { "roomId", FIELD_ID, TRUE, 0 },
  { "baseVersion", FIELD_COUNT, TRUE, 0 },
  /* Notes are bounded in bytes; the message size check below covers it. */
  { "text", FIELD_TEXT, TRUE, CONFAB_NOTES_MAX_BYTES },
  END_FIELDS
};

static const FieldSpec jitsi_fields[] = {
  { "roomId", FIELD_ID, TRUE, 0 },
  { "participantId", FIELD_TOKEN, TRUE, CONFAB_JITSI_ID_MAX },
  END_FIELDS
};

static const FieldSpec kick_fields[] = {
  { "roomId", FIELD_ID, TRUE, 0 },
  { "userId", FIELD_ID, TRUE, 0 },
  { "reason", FIELD_TEXT, FALSE, CONFAB_KICK_REASON_MAX_CHARS },
  { "ban", FIELD_COUNT, FALSE, 0 },
  END_FIELDS
};

static const FieldSpec set_moderator_fields[] = {
  { "roomId", FIELD_ID, TRUE, 0 },
  { "userId", FIELD_ID, TRUE, 0 },
  { "moderator", FIELD_BOOLEAN, TRUE, 0 },
  END_FIELDS
};

/* Chat allows 32 KiB because 2,000 characters outside the BMP, escaped as
 * JSON surrogate pairs, take 24,000 bytes. Notes may carry 64 KiB of text,
 * which escaping can grow further; the 96 KiB whole-message cap bounds it.
 */
static const MessageSpec client_messages[] = {
  { CONFAB_MSG_PING, CONFAB_WS_MAX_SMALL_MESSAGE, no_fields },
  { CONFAB_MSG_SUBSCRIBE_LOBBY, CONFAB_WS_MAX_SMALL_MESSAGE, no_fields },
  { CONFAB_MSG_UNSUBSCRIBE_LOBBY, CONFAB_WS_MAX_SMALL_MESSAGE, no_fields },
  { CONFAB_MSG_JOIN_ROOM, CONFAB_WS_MAX_SMALL_MESSAGE, room_fields },
  { CONFAB_MSG_LEAVE_ROOM, CONFAB_WS_MAX_SMALL_MESSAGE, room_fields },
  { CONFAB_MSG_RAISE_HAND, CONFAB_WS_MAX_SMALL_MESSAGE, raise_hand_fields },
  { CONFAB_MSG_LOWER_HAND, CONFAB_WS_MAX_SMALL_MESSAGE, room_user_fields },
  { CONFAB_MSG_CHAT, 32 * 1024, chat_fields },
  { CONFAB_MSG_NOTES_UPDATE, CONFAB_WS_MAX_MESSAGE, notes_fields },
  { CONFAB_MSG_JITSI_JOINED, CONFAB_WS_MAX_SMALL_MESSAGE, jitsi_fields },
  { CONFAB_MSG_MUTE, CONFAB_WS_MAX_SMALL_MESSAGE, room_user_fields },
  { CONFAB_MSG_MUTE_EVERYONE, CONFAB_WS_MAX_SMALL_MESSAGE, room_fields },
  { CONFAB_MSG_KICK, CONFAB_WS_MAX_SMALL_MESSAGE, kick_fields },
  { CONFAB_MSG_SET_MODERATOR, CONFAB_WS_MAX_SMALL_MESSAGE, set_moderator_fields },
};

G_DEFINE_QUARK (confab-protocol-error-quark, confab_protocol_error)

static const MessageSpec *
find_message_spec (const char *type)
{
  for (gsize i = 0; i < G_N_ELEMENTS (client_messages); i++)
    {
      if (strcmp (client_messages[i].type, type) == 0)
        return &client_messages[i];
    }

  return NULL;
}

static gboolean
has_control_characters (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        return TRUE;
    }

  return FALSE;
}

static gboolean
check_integer_field (JsonNode         *node,
                     const FieldSpec  *spec,
                     GError          **error)
{
  gint64 minimum = spec->kind == FIELD_ID ? 1 : 0;

  if (JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_INT64 &&
      json_node_get_int (node) >= minimum)
    return TRUE;

  g_set_error (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_INVALID_FIELD,
               spec->kind == FIELD_ID
               ? "Field \"%s\" must be a positive integer."
               : "Field \"%s\" must be an integer of 0 or more.",
               spec->name);
  return FALSE;
}

static gboolean
check_string_field (JsonNode         *node,
                    const FieldSpec  *spec,
                    GError          **error)
{
  const char *text;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_INVALID_FIELD,
                   "Field \"%s\" must be a string.", spec->name);
      return FALSE;
    }

  text = json_node_get_string (node);

  if (spec->kind == FIELD_TOKEN)
    {
      gsize length = strlen (text);

      if (length == 0 || length > spec->max || has_control_characters (text))
        {
          g_set_error (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_INVALID_FIELD,
                       "Field \"%s\" must be 1 to %" G_GSIZE_FORMAT " bytes without control characters.",
                       spec->name, spec->max);
          return FALSE;
        }

      return TRUE;
    }

  if (g_utf8_strlen (text, -1) > (glong) spec->max)
    {
      g_set_error (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_INVALID_FIELD,
                   "Field \"%s\" is longer than %" G_GSIZE_FORMAT " characters.",
                   spec->name, spec->max);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_field (JsonObject       *message,
             const FieldSpec  *spec,
             GError          **error)
{
  JsonNode *node = json_object_get_member (message, spec->name);

  if (node == NULL || (JSON_NODE_HOLDS_NULL (node) && !spec->required))
    {
      if (!spec->required)
        return TRUE;

      g_set_error (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_INVALID_FIELD,
                   "Field \"%s\" is missing.", spec->name);
      return FALSE;
    }

  switch (spec->kind)
    {
    case FIELD_ID:
    case FIELD_COUNT:
      return check_integer_field (node, spec, error);

    case FIELD_BOOLEAN:
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        return TRUE;
      g_set_error (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_INVALID_FIELD,
                   "Field \"%s\" must be true or false.", spec->name);
      return FALSE;

    case FIELD_TEXT:
    case FIELD_TOKEN:
      return check_string_field (node, spec, error);

    default:
      g_assert_not_reached ();
    }
}

/**
 * confab_protocol_error_code:
 *
 * Maps a #ConfabProtocolError to the `code` string of an `error` message.
 */
const char *
confab_protocol_error_code (ConfabProtocolError error)
{
  switch (error)
    {
    case CONFAB_PROTOCOL_ERROR_INVALID_JSON:
      return CONFAB_ERR_INVALID_JSON;
    case CONFAB_PROTOCOL_ERROR_INVALID_FIELD:
      return CONFAB_ERR_INVALID_FIELD;
    case CONFAB_PROTOCOL_ERROR_UNKNOWN_TYPE:
      return CONFAB_ERR_UNKNOWN_TYPE;
    case CONFAB_PROTOCOL_ERROR_MESSAGE_TOO_LARGE:
      return CONFAB_ERR_MESSAGE_TOO_LARGE;
    default:
      return CONFAB_ERR_INTERNAL;
    }
}

/**
 * confab_protocol_check_client_message:
 * @message: a parsed client message
 * @length: the size of the message as received, in bytes
 * @type_out: (out) (optional): the message's `type`, owned by @message
 *
 * Checks @message against the catalogue in docs/protocol.md: a known
 * `type`, every required field with the right JSON type and bounds, the
 * optional `requestId`, and the size limit of the message type.
 *
 * Returns: %TRUE if the message is well-formed
 */
gboolean
confab_protocol_check_client_message (JsonObject  *message,
                                      gsize        length,
                                      const char **type_out,
                                      GError     **error)
{
  static const FieldSpec request_id_spec = { "requestId", FIELD_TOKEN, FALSE, CONFAB_REQUEST_ID_MAX };
  const MessageSpec *spec;
  const char *type;

  g_return_val_if_fail (message != NULL, FALSE);

  if (!check_field (message, &request_id_spec, error))
    return FALSE;

  type = json_object_get_string_member_with_default (message, "type", NULL);
  if (type == NULL)
    {
      g_set_error_literal (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_INVALID_FIELD,
                           "Field \"type\" is missing or not a string.");
      return FALSE;
    }

  spec = find_message_spec (type);
  if (spec == NULL)
    {
      g_set_error (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_UNKNOWN_TYPE,
                   "Unknown message type \"%.64s\".", type);
      return FALSE;
    }

  if (length > spec->max_bytes)
    {
      g_set_error (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_MESSAGE_TOO_LARGE,
                   "A \"%s\" message may be at most %" G_GSIZE_FORMAT " bytes; this one has %" G_GSIZE_FORMAT ".",
                   type, spec->max_bytes, length);
      return FALSE;
    }

  for (const FieldSpec *field = spec->fields; field->name != NULL; field++)
    {
      if (!check_field (message, field, error))
        return FALSE;
    }

  if (strcmp (type, CONFAB_MSG_NOTES_UPDATE) == 0 &&
      strlen (json_object_get_string_member (message, "text")) > CONFAB_NOTES_MAX_BYTES)
    {
      g_set_error (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_INVALID_FIELD,
                   "Field \"text\" of notes may be at most %d bytes.", CONFAB_NOTES_MAX_BYTES);
      return FALSE;
    }

  if (strcmp (type, CONFAB_MSG_JITSI_JOINED) == 0 &&
      !confab_protocol_is_jitsi_id (json_object_get_string_member (message, "participantId")))
    {
      g_set_error_literal (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_INVALID_FIELD,
                           "Field \"participantId\" may contain only letters, digits, \"-\" and \"_\".");
      return FALSE;
    }

  if (type_out != NULL)
    *type_out = type;

  return TRUE;
}

/**
 * confab_protocol_parse_client_message:
 * @data: the message text as received
 * @length: its size in bytes
 * @type_out: (out) (optional): the message's `type`, owned by the result
 *
 * Parses and checks one client message.
 *
 * Returns: (transfer full) (nullable): the message, or %NULL with @error set
 */
JsonObject *
confab_protocol_parse_client_message (const char  *data,
                                      gsize        length,
                                      const char **type_out,
                                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;
  g_autoptr(JsonObject) message = NULL;

  if (length > CONFAB_WS_MAX_MESSAGE)
    {
      g_set_error (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_MESSAGE_TOO_LARGE,
                   "Messages may be at most %d bytes; this one has %" G_GSIZE_FORMAT ".",
                   CONFAB_WS_MAX_MESSAGE, length);
      return NULL;
    }

  if (!g_utf8_validate (data, length, NULL) ||
      !json_parser_load_from_data (parser, data, length, &parse_error))
    {
      g_set_error (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_INVALID_JSON,
                   "The message is not valid JSON: %s",
                   parse_error != NULL ? parse_error->message : "invalid UTF-8");
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, CONFAB_PROTOCOL_ERROR, CONFAB_PROTOCOL_ERROR_INVALID_JSON,
                           "The message must be a JSON object with a \"type\" field.");
      return NULL;
    }

  message = json_object_ref (json_node_get_object (root));
  if (!confab_protocol_check_client_message (message, length, type_out, error))
    return NULL;

  return g_steal_pointer (&message);
}

/**
 * confab_protocol_is_jitsi_id:
 *
 * Checks that @participant_id looks like a Jitsi endpoint id: 1 to 64
 * characters from `[A-Za-z0-9_-]`. Jitsi's own ids are 8 hex digits.
 */
gboolean
confab_protocol_is_jitsi_id (const char *participant_id)
{
  gsize length;

  if (participant_id == NULL)
    return FALSE;

  length = strlen (participant_id);
  if (length == 0 || length > CONFAB_JITSI_ID_MAX)
    return FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = participant_id[i];

      if (!g_ascii_isalnum (c) && c != '-' && c != '_')
        return FALSE;
    }

  return TRUE;
}
