/* confab-meeting-view.h: the embedded Jitsi meeting.
 *
 * A WebKitWebView that shows one Jitsi meeting through the Jitsi IFrame API
 * (the deployment's own external_api.js), with events and commands carried
 * by a JavaScript bridge. The view also owns the web view's navigation and
 * permission policy.
 */
#pragma once

#include <gtk/gtk.h>
#include <webkit/webkit.h>

G_BEGIN_DECLS

/* Everything confab_meeting_view_start() needs; the strings are copied. */
typedef struct
{
  const char *domain;        /* Jitsi host, optionally with ":port" */
  const char *jitsi_room;    /* the room name given to the IFrame API */
  const char *jwt;           /* nullable; passed to the IFrame API, never logged */
  const char *display_name;  /* nullable */
  const char *email;         /* nullable */
  const char *subject;       /* nullable; set as the meeting subject once joined */
} ConfabMeetingParams;

#define CONFAB_TYPE_MEETING_VIEW (confab_meeting_view_get_type ())

G_DECLARE_FINAL_TYPE (ConfabMeetingView, confab_meeting_view, CONFAB, MEETING_VIEW, GtkWidget)

ConfabMeetingView *confab_meeting_view_new                 (WebKitNetworkSession       *session);

void               confab_meeting_view_start               (ConfabMeetingView          *self,
                                                            const ConfabMeetingParams  *params);
void               confab_meeting_view_stop                (ConfabMeetingView          *self);
gboolean           confab_meeting_view_is_started          (ConfabMeetingView          *self);

WebKitWebView     *confab_meeting_view_get_web_view        (ConfabMeetingView          *self);

void               confab_meeting_view_check_webrtc_async  (ConfabMeetingView          *self,
                                                            GCancellable               *cancellable,
                                                            GAsyncReadyCallback         callback,
                                                            gpointer                    user_data);
gboolean           confab_meeting_view_check_webrtc_finish (ConfabMeetingView          *self,
                                                            GAsyncResult               *result,
                                                            GError                    **error);

char              *confab_meeting_view_build_meeting_url   (const char                 *domain,
                                                            const char                 *jitsi_room,
                                                            const char                 *jwt);
gboolean           confab_meeting_view_is_valid_domain     (const char                 *domain);

void               confab_meeting_view_hangup              (ConfabMeetingView          *self);
void               confab_meeting_view_set_audio_muted     (ConfabMeetingView          *self,
                                                            gboolean                    muted);
void               confab_meeting_view_mute_participant    (ConfabMeetingView          *self,
                                                            const char                 *jitsi_id);
void               confab_meeting_view_mute_everyone       (ConfabMeetingView          *self);
void               confab_meeting_view_kick_participant    (ConfabMeetingView          *self,
                                                            const char                 *jitsi_id);
void               confab_meeting_view_grant_moderator     (ConfabMeetingView          *self,
                                                            const char                 *jitsi_id);

G_END_DECLS
