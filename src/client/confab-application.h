/* confab-application.h: the Confab application */
#pragma once

#include <adwaita.h>
#include <webkit/webkit.h>

#include "confab-session-store.h"

G_BEGIN_DECLS

#define CONFAB_TYPE_APPLICATION (confab_application_get_type ())

G_DECLARE_FINAL_TYPE (ConfabApplication, confab_application, CONFAB, APPLICATION, AdwApplication)

ConfabApplication    *confab_application_new                  (void);
WebKitNetworkSession *confab_application_get_network_session  (ConfabApplication *self);
ConfabSessionStore   *confab_application_get_session_store    (ConfabApplication *self);
const char           *confab_application_get_server_override  (ConfabApplication *self);

G_END_DECLS
