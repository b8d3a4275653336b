/* confab-history-dialog.h: a room's past meetings and their CSV export */
#pragma once

#include <adwaita.h>

#include "confab-api.h"

G_BEGIN_DECLS

#define CONFAB_TYPE_HISTORY_DIALOG (confab_history_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ConfabHistoryDialog, confab_history_dialog, CONFAB, HISTORY_DIALOG, AdwWindow)

ConfabHistoryDialog *confab_history_dialog_new (GtkWindow *parent,
                                                ConfabApi *api,
                                                gint64     room_id);

G_END_DECLS
