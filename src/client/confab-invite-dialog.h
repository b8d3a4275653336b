/* confab-invite-dialog.h: invite links to a room, copied or sent by email */
#pragma once

#include <adwaita.h>

#include "confab-api.h"
#include "confab-room-item.h"

G_BEGIN_DECLS

typedef enum {
  CONFAB_INVITE_DIALOG_COPY,
  CONFAB_INVITE_DIALOG_EMAIL,
} ConfabInviteDialogMode;

#define CONFAB_TYPE_INVITE_DIALOG (confab_invite_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ConfabInviteDialog, confab_invite_dialog, CONFAB, INVITE_DIALOG, AdwWindow)

ConfabInviteDialog *confab_invite_dialog_new          (GtkWindow              *parent,
                                                       ConfabApi              *api,
                                                       ConfabRoomItem         *room,
                                                       gboolean                site_admin,
                                                       ConfabInviteDialogMode  mode);
const char         *confab_invite_dialog_get_app_link (ConfabInviteDialog     *self);
const char         *confab_invite_dialog_get_web_link (ConfabInviteDialog     *self);

char               *confab_invite_dialog_build_link   (const char             *server_url,
                                                       gint64                  room_id,
                                                       gboolean                web);

G_END_DECLS
