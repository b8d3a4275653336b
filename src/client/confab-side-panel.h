/* confab-side-panel.h: participants, chat and shared notes beside the meeting.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "confab-room-state.h"
#include "confab-socket.h"

G_BEGIN_DECLS

#define CONFAB_TYPE_SIDE_PANEL (confab_side_panel_get_type ())

G_DECLARE_FINAL_TYPE (ConfabSidePanel, confab_side_panel, CONFAB, SIDE_PANEL, GtkWidget)

GtkWidget *confab_side_panel_new                    (void);
void       confab_side_panel_set_room               (ConfabSidePanel *self,
                                                     ConfabRoomState *state,
                                                     ConfabSocket    *socket);
void       confab_side_panel_set_meeting_in_browser (ConfabSidePanel *self,
                                                     gboolean         in_browser);
guint      confab_side_panel_get_unread_count       (ConfabSidePanel *self);
void       confab_side_panel_show_page              (ConfabSidePanel *self,
                                                     const char      *name);

G_END_DECLS
