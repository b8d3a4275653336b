/* confab-chat-message.c: one chat message in a room.
 *
 * A message the user sends is shown at once as pending (id 0), and becomes
 * confirmed when the server acknowledges it: the server commits a message to
 * its database before it sends `chatAck`, so a confirmed message is stored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "confab-room"

#include "config.h"

#include <string.h>

#include "confab-chat-message.h"

struct _ConfabChatMessage
{
  GObject  parent_instance;

  gint64   id;
  gint64   user_id;
  char    *name;
  char    *text;
  gint64   sent_at;
  char    *client_msg_id;
};

G_DEFINE_FINAL_TYPE (ConfabChatMessage, confab_chat_message, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_USER_ID,
  PROP_NAME,
  PROP_TEXT,
  PROP_SENT_AT,
  PROP_CLIENT_MSG_ID,
  PROP_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
confab_chat_message_finalize (GObject *object)
{
  ConfabChatMessage *self = CONFAB_CHAT_MESSAGE (object);

  g_free (self->name);
  g_free (self->text);
  g_free (self->client_msg_id);

  G_OBJECT_CLASS (confab_chat_message_parent_class)->finalize (object);
}

static void
confab_chat_message_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ConfabChatMessage *self = CONFAB_CHAT_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_USER_ID:
      g_value_set_int64 (value, self->user_id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_SENT_AT:
      g_value_set_int64 (value, self->sent_at);
      break;
    case PROP_CLIENT_MSG_ID:
      g_value_set_string (value, self->client_msg_id);
      break;
    case PROP_PENDING:
      g_value_set_boolean (value, self->id == 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_chat_message_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  ConfabChatMessage *self = CONFAB_CHAT_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_get_int64 (value);
      break;
    case PROP_USER_ID:
      self->user_id = g_value_get_int64 (value);
      break;
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case PROP_TEXT:
      self->text = g_value_dup_string (value);
      break;
    case PROP_SENT_AT:
      self->sent_at = g_value_get_int64 (value);
      break;
    case PROP_CLIENT_MSG_ID:
      self->client_msg_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_chat_message_class_init (ConfabChatMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = confab_chat_message_finalize;
  object_class->get_property = confab_chat_message_get_property;
  object_class->set_property = confab_chat_message_set_property;

  /* The server's message id; 0 while the message is pending. */
  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER_ID] =
    g_param_spec_int64 ("user-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Unix time in seconds; for a pending message, the time the user sent it. */
  properties[PROP_SENT_AT] =
    g_param_spec_int64 ("sent-at", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT_MSG_ID] =
    g_param_spec_string ("client-msg-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING] =
    g_param_spec_boolean ("pending", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
confab_chat_message_init (ConfabChatMessage *self)
{
}

ConfabChatMessage *
confab_chat_message_new (gint64      id,
                         gint64      user_id,
                         const char *name,
                         const char *text,
                         gint64      sent_at,
                         const char *client_msg_id)
{
  g_return_val_if_fail (id > 0, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  return g_object_new (CONFAB_TYPE_CHAT_MESSAGE,
                       "id", id,
                       "user-id", user_id,
                       "name", name,
                       "text", text,
                       "sent-at", sent_at,
                       "client-msg-id", client_msg_id,
                       NULL);
}

ConfabChatMessage *
confab_chat_message_new_pending (gint64      user_id,
                                 const char *name,
                                 const char *text,
                                 const char *client_msg_id)
{
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (client_msg_id != NULL, NULL);

  return g_object_new (CONFAB_TYPE_CHAT_MESSAGE,
                       "user-id", user_id,
                       "name", name,
                       "text", text,
                       "sent-at", g_get_real_time () / G_USEC_PER_SEC,
                       "client-msg-id", client_msg_id,
                       NULL);
}

gint64
confab_chat_message_get_id (ConfabChatMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_MESSAGE (self), 0);

  return self->id;
}

gint64
confab_chat_message_get_user_id (ConfabChatMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_MESSAGE (self), 0);

  return self->user_id;
}

const char *
confab_chat_message_get_name (ConfabChatMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_MESSAGE (self), NULL);

  return self->name;
}

const char *
confab_chat_message_get_text (ConfabChatMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_MESSAGE (self), NULL);

  return self->text;
}

gint64
confab_chat_message_get_sent_at (ConfabChatMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_MESSAGE (self), 0);

  return self->sent_at;
}

const char *
confab_chat_message_get_client_msg_id (ConfabChatMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_MESSAGE (self), NULL);

  return self->client_msg_id;
}

gboolean
confab_chat_message_get_pending (ConfabChatMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_MESSAGE (self), FALSE);

  return self->id == 0;
}

/* Marks a pending message as stored by the server, with the server's id and
 * time. Confirming an already confirmed message changes nothing.
 */
void
confab_chat_message_confirm (ConfabChatMessage *self,
                             gint64             id,
                             gint64             sent_at)
{
  g_return_if_fail (CONFAB_IS_CHAT_MESSAGE (self));
  g_return_if_fail (id > 0);

  if (self->id != 0)
    return;

  self->id = id;
  self->sent_at = sent_at;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENT_AT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

/* Characters that end a sentence more often than a URL. */
#define URL_TRAILING_PUNCTUATION ".,;:!?)]}'\""

static void
append_escaped (GString    *markup,
                const char *text,
                gssize      length)
{
  g_autofree char *escaped = g_markup_escape_text (text, length);

  g_string_append (markup, escaped);
}

/**
 * confab_chat_message_format_markup:
 * @text: a chat message as its sender typed it
 *
 * Formats chat text as Pango markup for a GtkLabel: every character is
 * escaped, so markup in a message shows as text, and http and https URLs
 * become links.
 *
 * Returns: (transfer full): the markup.
 */
char *
confab_chat_message_format_markup (const char *text)
{
  static GRegex *url_regex;
  g_autoptr(GMatchInfo) match = NULL;
  GString *markup = g_string_new (NULL);
  gsize done = 0;

  g_return_val_if_fail (text != NULL, NULL);

  if (g_once_init_enter (&url_regex))
    g_once_init_leave (&url_regex,
                       g_regex_new ("\\bhttps?://[^\\s<>\"]+", G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL));

  g_regex_match (url_regex, text, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *url = NULL;
      int start, end;

      g_match_info_fetch_pos (match, 0, &start, &end);

      while (end > start && strchr (URL_TRAILING_PUNCTUATION, text[end - 1]) != NULL)
        end--;

      append_escaped (markup, text + done, start - done);

      url = g_strndup (text + start, end - start);
      g_string_append (markup, "<a href=\"");
      append_escaped (markup, url, -1);
      g_string_append (markup, "\">");
      append_escaped (markup, url, -1);
      g_string_append (markup, "</a>");

      done = end;
      g_match_info_next (match, NULL);
    }

  append_escaped (markup, text + done, -1);

  return g_string_free (markup, FALSE);
}
