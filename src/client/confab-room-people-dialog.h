/* confab-room-people-dialog.h: a room's moderators and bans */
#pragma once

#include <adwaita.h>

#include "confab-api.h"

G_BEGIN_DECLS

#define CONFAB_TYPE_ROOM_PEOPLE_DIALOG (confab_room_people_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ConfabRoomPeopleDialog, confab_room_people_dialog, CONFAB, ROOM_PEOPLE_DIALOG, AdwWindow)

ConfabRoomPeopleDialog *confab_room_people_dialog_new (GtkWindow  *parent,
                                                       ConfabApi  *api,
                                                       JsonObject *user,
                                                       gint64      room_id);

G_END_DECLS
