/* confab-new-room-dialog.h: creating a room */
#pragma once

#include <adwaita.h>

#include "confab-api.h"

G_BEGIN_DECLS

#define CONFAB_TYPE_NEW_ROOM_DIALOG (confab_new_room_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ConfabNewRoomDialog, confab_new_room_dialog, CONFAB, NEW_ROOM_DIALOG, AdwWindow)

ConfabNewRoomDialog *confab_new_room_dialog_new          (GtkWindow  *parent,
                                                          ConfabApi  *api);
char                *confab_new_room_dialog_check_fields (const char *name,
                                                          const char *topic,
                                                          gboolean   *topic_is_invalid);

G_END_DECLS
