/* confab-account-dialog.h: the signed-in user's account */
#pragma once

#include <adwaita.h>

#include "confab-window.h"

G_BEGIN_DECLS

#define CONFAB_TYPE_ACCOUNT_DIALOG (confab_account_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ConfabAccountDialog, confab_account_dialog, CONFAB, ACCOUNT_DIALOG, AdwWindow)

ConfabAccountDialog *confab_account_dialog_new (ConfabWindow *window);

G_END_DECLS
