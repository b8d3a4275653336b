/* confab-users-dialog.h: site administration of accounts */
#pragma once

#include <adwaita.h>

#include "confab-api.h"

G_BEGIN_DECLS

#define CONFAB_TYPE_USERS_DIALOG (confab_users_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ConfabUsersDialog, confab_users_dialog, CONFAB, USERS_DIALOG, AdwWindow)

ConfabUsersDialog *confab_users_dialog_new (GtkWindow  *parent,
                                            ConfabApi  *api,
                                            JsonObject *user);

G_END_DECLS
