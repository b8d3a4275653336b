/* confab-account-fields.h: client-side checks of account fields */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *confab_account_fields_check_name     (const char *name,
                                            const char *label);
char *confab_account_fields_check_email    (const char *email,
                                            const char *label);
char *confab_account_fields_check_password (const char *password,
                                            const char *label);

G_END_DECLS
