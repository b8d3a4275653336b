/* confab-chat-message.h: one chat message in a room, sent or still pending.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CONFAB_TYPE_CHAT_MESSAGE (confab_chat_message_get_type ())

G_DECLARE_FINAL_TYPE (ConfabChatMessage, confab_chat_message, CONFAB, CHAT_MESSAGE, GObject)

ConfabChatMessage *confab_chat_message_new               (gint64             id,
                                                          gint64             user_id,
                                                          const char        *name,
                                                          const char        *text,
                                                          gint64             sent_at,
                                                          const char        *client_msg_id);
ConfabChatMessage *confab_chat_message_new_pending       (gint64             user_id,
                                                          const char        *name,
                                                          const char        *text,
                                                          const char        *client_msg_id);

gint64             confab_chat_message_get_id            (ConfabChatMessage *self);
gint64             confab_chat_message_get_user_id       (ConfabChatMessage *self);
const char        *confab_chat_message_get_name          (ConfabChatMessage *self);
const char        *confab_chat_message_get_text          (ConfabChatMessage *self);
gint64             confab_chat_message_get_sent_at       (ConfabChatMessage *self);
const char        *confab_chat_message_get_client_msg_id (ConfabChatMessage *self);
gboolean           confab_chat_message_get_pending       (ConfabChatMessage *self);

void               confab_chat_message_confirm           (ConfabChatMessage *self,
                                                          gint64             id,
                                                          gint64             sent_at);

char              *confab_chat_message_format_markup     (const char        *text);

G_END_DECLS
