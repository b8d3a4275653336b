/* confab-room-state.h: the live state of the one room the user sits in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "confab-chat-message.h"
#include "confab-participant.h"

G_BEGIN_DECLS

#define CONFAB_TYPE_ROOM_STATE (confab_room_state_get_type ())

G_DECLARE_FINAL_TYPE (ConfabRoomState, confab_room_state, CONFAB, ROOM_STATE, GObject)

/* What confab_room_state_apply() did with a message. */
typedef enum {
  CONFAB_ROOM_STATE_APPLIED,   /* the model changed, or a signal was emitted */
  CONFAB_ROOM_STATE_IGNORED,   /* another room's message, or a type the model does not handle */
  CONFAB_ROOM_STATE_STALE,     /* seq at or below the last applied one: dropped */
  CONFAB_ROOM_STATE_GAP,       /* seq skipped ahead: dropped, and "rejoin-needed" was emitted */
  CONFAB_ROOM_STATE_INVALID,   /* a field is missing or has the wrong type: dropped, error set */
} ConfabRoomStateResult;

ConfabRoomState       *confab_room_state_new               (gint64           room_id,
                                                            gint64           self_user_id);

ConfabRoomStateResult  confab_room_state_apply             (ConfabRoomState *self,
                                                            const char      *type,
                                                            JsonObject      *message,
                                                            GError         **error);

gint64                 confab_room_state_get_room_id       (ConfabRoomState *self);
gint64                 confab_room_state_get_self_user_id  (ConfabRoomState *self);
gboolean               confab_room_state_get_joined        (ConfabRoomState *self);
gint64                 confab_room_state_get_seq           (ConfabRoomState *self);
const char            *confab_room_state_get_name          (ConfabRoomState *self);
const char            *confab_room_state_get_topic         (ConfabRoomState *self);
const char            *confab_room_state_get_jitsi_room    (ConfabRoomState *self);
const char            *confab_room_state_get_self_role     (ConfabRoomState *self);
gboolean               confab_room_state_get_is_host       (ConfabRoomState *self);

GListModel            *confab_room_state_get_participants  (ConfabRoomState *self);
GListModel            *confab_room_state_get_chat          (ConfabRoomState *self);
ConfabParticipant     *confab_room_state_find_participant  (ConfabRoomState *self,
                                                            gint64           user_id);
ConfabParticipant     *confab_room_state_get_self          (ConfabRoomState *self);

gint64                 confab_room_state_lookup_jitsi_id   (ConfabRoomState *self,
                                                            const char      *jitsi_id);
void                   confab_room_state_add_ban           (ConfabRoomState *self,
                                                            gint64           user_id);
gboolean               confab_room_state_is_banned         (ConfabRoomState *self,
                                                            gint64           user_id);

ConfabChatMessage     *confab_room_state_add_pending_chat  (ConfabRoomState *self,
                                                            const char      *text,
                                                            const char      *client_msg_id);
char                  *confab_room_state_remove_pending_chat (ConfabRoomState *self,
                                                              const char      *client_msg_id);
gint64                 confab_room_state_get_oldest_chat_id (ConfabRoomState *self);
int                    confab_room_state_add_earlier_chat  (ConfabRoomState *self,
                                                            JsonArray       *messages,
                                                            GError         **error);

gint64                 confab_room_state_get_notes_version (ConfabRoomState *self);
const char            *confab_room_state_get_notes_text    (ConfabRoomState *self);
gint64                 confab_room_state_get_notes_updated_by (ConfabRoomState *self);

char                  *confab_room_state_merge_notes       (const char      *base,
                                                            const char      *local,
                                                            const char      *remote);

G_END_DECLS
