/* confab-participant-row.h: one participant in the side panel's list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "confab-participant.h"

G_BEGIN_DECLS

#define CONFAB_TYPE_PARTICIPANT_ROW (confab_participant_row_get_type ())

G_DECLARE_FINAL_TYPE (ConfabParticipantRow, confab_participant_row, CONFAB, PARTICIPANT_ROW, GtkWidget)

GtkWidget         *confab_participant_row_new                    (ConfabParticipant    *participant);
ConfabParticipant *confab_participant_row_get_participant        (ConfabParticipantRow *self);
gboolean           confab_participant_row_get_show_host_controls (ConfabParticipantRow *self);
void               confab_participant_row_set_show_host_controls (ConfabParticipantRow *self,
                                                                  gboolean              show);
GMenuModel        *confab_participant_row_get_menu               (ConfabParticipantRow *self);

G_END_DECLS
