/* confab-participant.h: one person seated in a room, as the side panel shows them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CONFAB_TYPE_PARTICIPANT (confab_participant_get_type ())

G_DECLARE_FINAL_TYPE (ConfabParticipant, confab_participant, CONFAB, PARTICIPANT, GObject)

ConfabParticipant *confab_participant_new            (gint64             user_id,
                                                      const char        *name);

gint64             confab_participant_get_user_id    (ConfabParticipant *self);

const char        *confab_participant_get_name       (ConfabParticipant *self);
void               confab_participant_set_name       (ConfabParticipant *self,
                                                      const char        *name);

const char        *confab_participant_get_avatar_url (ConfabParticipant *self);
void               confab_participant_set_avatar_url (ConfabParticipant *self,
                                                      const char        *avatar_url);

const char        *confab_participant_get_role       (ConfabParticipant *self);
void               confab_participant_set_role       (ConfabParticipant *self,
                                                      const char        *role);

gboolean           confab_participant_get_is_owner   (ConfabParticipant *self);
void               confab_participant_set_is_owner   (ConfabParticipant *self,
                                                      gboolean           is_owner);

gboolean           confab_participant_get_is_host    (ConfabParticipant *self);

gboolean           confab_participant_get_hand_raised (ConfabParticipant *self);
void               confab_participant_set_hand_raised (ConfabParticipant *self,
                                                       gboolean           hand_raised);

const char        *confab_participant_get_jitsi_id   (ConfabParticipant *self);
void               confab_participant_set_jitsi_id   (ConfabParticipant *self,
                                                      const char        *jitsi_id);

gboolean           confab_participant_get_is_self    (ConfabParticipant *self);
void               confab_participant_set_is_self    (ConfabParticipant *self,
                                                      gboolean           is_self);

G_END_DECLS
