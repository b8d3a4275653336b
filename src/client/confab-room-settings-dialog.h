/* confab-room-settings-dialog.h: editing and deleting a room */
#pragma once

#include <adwaita.h>

#include "confab-api.h"

G_BEGIN_DECLS

#define CONFAB_TYPE_ROOM_SETTINGS_DIALOG (confab_room_settings_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ConfabRoomSettingsDialog, confab_room_settings_dialog, CONFAB, ROOM_SETTINGS_DIALOG, AdwWindow)

ConfabRoomSettingsDialog *confab_room_settings_dialog_new (GtkWindow *parent,
                                                           ConfabApi *api,
                                                           gint64     room_id);

G_END_DECLS
