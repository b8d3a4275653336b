/* confab-room-list.h: the lobby's rooms as a GListModel */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "confab-room-item.h"

G_BEGIN_DECLS

#define CONFAB_TYPE_ROOM_LIST (confab_room_list_get_type ())

G_DECLARE_FINAL_TYPE (ConfabRoomList, confab_room_list, CONFAB, ROOM_LIST, GObject)

ConfabRoomList *confab_room_list_new              (void);
gboolean        confab_room_list_apply_message    (ConfabRoomList *self,
                                                   const char     *type,
                                                   JsonObject     *message);
ConfabRoomItem *confab_room_list_lookup           (ConfabRoomList *self,
                                                   gint64          room_id);
gboolean        confab_room_list_get_synchronized (ConfabRoomList *self);
void            confab_room_list_mark_stale       (ConfabRoomList *self);
void            confab_room_list_clear            (ConfabRoomList *self);
void            confab_room_list_set_user         (ConfabRoomList *self,
                                                   gint64          user_id,
                                                   gboolean        is_admin);

G_END_DECLS
