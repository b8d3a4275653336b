/* confab-room-row.h: one row of the lobby */
#pragma once

#include <adwaita.h>

#include "confab-room-item.h"

G_BEGIN_DECLS

#define CONFAB_TYPE_ROOM_ROW (confab_room_row_get_type ())

G_DECLARE_FINAL_TYPE (ConfabRoomRow, confab_room_row, CONFAB, ROOM_ROW, AdwBin)

GtkWidget      *confab_room_row_new       (void);
ConfabRoomItem *confab_room_row_get_item  (ConfabRoomRow  *self);
void            confab_room_row_set_item  (ConfabRoomRow  *self,
                                           ConfabRoomItem *item);

G_END_DECLS
