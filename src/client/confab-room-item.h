/* confab-room-item.h: one room of the lobby */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CONFAB_TYPE_ROOM_ITEM (confab_room_item_get_type ())

G_DECLARE_FINAL_TYPE (ConfabRoomItem, confab_room_item, CONFAB, ROOM_ITEM, GObject)

ConfabRoomItem *confab_room_item_new_from_json      (JsonObject     *room,
                                                     GError        **error);
gboolean        confab_room_item_update_from_json   (ConfabRoomItem *self,
                                                     JsonObject     *room,
                                                     GError        **error);
void            confab_room_item_set_access         (ConfabRoomItem *self,
                                                     const char     *role,
                                                     gboolean        banned,
                                                     gint64          banned_until);

gint64          confab_room_item_get_id             (ConfabRoomItem *self);
const char     *confab_room_item_get_name           (ConfabRoomItem *self);
const char     *confab_room_item_get_topic          (ConfabRoomItem *self);
const char     *confab_room_item_get_owner_name     (ConfabRoomItem *self);
gint64          confab_room_item_get_owner_id       (ConfabRoomItem *self);
guint           confab_room_item_get_capacity       (ConfabRoomItem *self);
guint           confab_room_item_get_participants   (ConfabRoomItem *self);
const char     *confab_room_item_get_role           (ConfabRoomItem *self);
gboolean        confab_room_item_get_is_host        (ConfabRoomItem *self);
gboolean        confab_room_item_get_private        (ConfabRoomItem *self);
gboolean        confab_room_item_get_banned         (ConfabRoomItem *self);
gint64          confab_room_item_get_banned_until   (ConfabRoomItem *self);
gboolean        confab_room_item_get_full           (ConfabRoomItem *self);
gboolean        confab_room_item_get_can_join       (ConfabRoomItem *self);
char           *confab_room_item_dup_count_label    (ConfabRoomItem *self);
gboolean        confab_room_item_matches            (ConfabRoomItem *self,
                                                     const char     *query);

G_END_DECLS
