/* confab-sign-in-page.h: signing in and registering */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CONFAB_TYPE_SIGN_IN_PAGE (confab_sign_in_page_get_type ())

G_DECLARE_FINAL_TYPE (ConfabSignInPage, confab_sign_in_page, CONFAB, SIGN_IN_PAGE, AdwBin)

void        confab_sign_in_page_set_server_url  (ConfabSignInPage *self,
                                                 const char       *server_url);
const char *confab_sign_in_page_get_server_url  (ConfabSignInPage *self);
void        confab_sign_in_page_set_email       (ConfabSignInPage *self,
                                                 const char       *email);
void        confab_sign_in_page_set_message     (ConfabSignInPage *self,
                                                 const char       *message,
                                                 gboolean          is_error);
const char *confab_sign_in_page_get_message     (ConfabSignInPage *self);
gboolean    confab_sign_in_page_get_registration_open (ConfabSignInPage *self);
gboolean    confab_sign_in_page_get_server_checked    (ConfabSignInPage *self);

G_END_DECLS
