/* confab-meeting-page.h: the room the user joined: meeting, side panel and host controls.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "confab-room-state.h"
#include "confab-window.h"

G_BEGIN_DECLS

#define CONFAB_TYPE_MEETING_PAGE (confab_meeting_page_get_type ())

G_DECLARE_FINAL_TYPE (ConfabMeetingPage, confab_meeting_page, CONFAB, MEETING_PAGE, GtkWidget)

ConfabMeetingPage *confab_meeting_page_new              (ConfabWindow      *window);
void               confab_meeting_page_join             (ConfabMeetingPage *self,
                                                         gint64             room_id);
void               confab_meeting_page_leave            (ConfabMeetingPage *self);
gboolean           confab_meeting_page_is_in_meeting    (ConfabMeetingPage *self);

gint64             confab_meeting_page_get_room_id      (ConfabMeetingPage *self);
ConfabRoomState   *confab_meeting_page_get_room_state   (ConfabMeetingPage *self);
GtkWidget         *confab_meeting_page_get_side_panel   (ConfabMeetingPage *self);
GtkWidget         *confab_meeting_page_get_meeting_view (ConfabMeetingPage *self);
const char        *confab_meeting_page_get_jitsi_id     (ConfabMeetingPage *self);

G_END_DECLS
