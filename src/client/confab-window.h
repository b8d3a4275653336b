/* confab-window.h: the main window */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "confab-api.h"
#include "confab-application.h"
#include "confab-socket.h"

G_BEGIN_DECLS

#define CONFAB_TYPE_WINDOW (confab_window_get_type ())

G_DECLARE_FINAL_TYPE (ConfabWindow, confab_window, CONFAB, WINDOW, AdwApplicationWindow)

ConfabWindow *confab_window_new                  (ConfabApplication *application,
                                                  GSettings         *settings);
ConfabApi    *confab_window_get_api              (ConfabWindow      *self);
ConfabSocket *confab_window_get_socket           (ConfabWindow      *self);
JsonObject   *confab_window_get_user             (ConfabWindow      *self);
void          confab_window_set_user             (ConfabWindow      *self,
                                                  JsonObject        *user);
void          confab_window_expect_session_end   (ConfabWindow      *self,
                                                  const char        *message);
void          confab_window_end_session          (ConfabWindow      *self,
                                                  const char        *message);
GSettings    *confab_window_get_settings         (ConfabWindow      *self);
void          confab_window_show_toast           (ConfabWindow      *self,
                                                  const char        *text);
void          confab_window_show_message         (ConfabWindow      *self,
                                                  const char        *heading,
                                                  const char        *body);
void          confab_window_use_server           (ConfabWindow      *self,
                                                  const char        *server_url);
const char   *confab_window_get_page_name        (ConfabWindow      *self);
GtkWidget    *confab_window_get_meeting_page     (ConfabWindow      *self);
void          confab_window_open_link            (ConfabWindow      *self,
                                                  const char        *uri);

G_END_DECLS
