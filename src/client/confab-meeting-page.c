/* confab-meeting-page.c: the room the user joined: meeting, side panel and host controls.
 *
 * Joining follows the server's order: `joinRoom` takes a seat, `roomState`
 * replies to it, and only a seated user gets a meeting token. With the token
 * the page starts the embedded meeting or, when this WebKitGTK build cannot
 * do WebRTC or the user prefers it, offers the meeting in the browser. The
 * side panel works from the room state either way.
 *
 * Host actions are `participant.*` and `room.*` actions on this widget, with
 * their enabled state computed in update_actions() from the user's role, so
 * that they follow `roleChanged` live. Each goes through the server, which
 * makes the target's own client act and refuses the target new tokens. In
 * the embedded meeting it also goes through the IFrame API on the Jitsi id
 * that the target's client reported, because the server cannot reach into
 * the video, and a Jitsi kick alone is only an XMPP kick.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "confab-room"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "confab-application.h"
#include "confab-json.h"
#include "confab-meeting-page.h"
#include "confab-meeting-view.h"
#include "confab-protocol.h"
#include "confab-room-state.h"
#include "confab-side-panel.h"
#include "confab-time.h"

/* How long leaving waits for the meeting to confirm the hangup before it
 * unloads the meeting anyway.
 */
#define HANGUP_TIMEOUT_MS 3000

typedef enum {
  MEETING_NONE,        /* no token yet, or the meeting could not start */
  MEETING_EMBEDDED,    /* the meeting runs in the view */
  MEETING_BROWSER,     /* the meeting is offered in the browser */
} MeetingMode;

struct _ConfabMeetingPage
{
  GtkWidget           parent_instance;

  /* template widgets */
  GtkStack           *meeting_stack;
  GtkSpinner         *spinner;
  GtkLabel           *loading_label;
  AdwStatusPage      *message_page;
  GtkButton          *browser_button;
  ConfabSidePanel    *side_panel;
  GtkRevealer        *connection_revealer;
  GtkSpinner         *connection_spinner;
  GtkLabel           *connection_label;

  /* borrowed: the window contains the page */
  ConfabWindow       *window;

  /* owned */
  ConfabApi          *api;
  ConfabSocket       *socket;
  JsonObject         *user;
  GSettings          *settings;
  GCancellable       *cancellable;
  ConfabRoomState    *state;
  ConfabMeetingToken *token;
  ConfabMeetingView  *view;
  GHashTable         *host_request_ids;
  char               *join_request_id;
  char               *own_jitsi_id;
  char               *left_message;

  gint64              room_id;
  MeetingMode         mode;
  gboolean            in_meeting;
  gboolean            token_requested;
  gboolean            token_retry_used;
  gboolean            restarting;
  gboolean            hand_raised;
  guint               hangup_timeout_id;
};

G_DEFINE_FINAL_TYPE (ConfabMeetingPage, confab_meeting_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_HAND_RAISED,
  N_PROPS
};

enum {
  LEFT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void finish_meeting (ConfabMeetingPage *self,
                            const char        *message,
                            gboolean           send_leave);

/* Helpers */

static JsonObject *
new_room_message (ConfabMeetingPage *self,
                  const char        *type)
{
  JsonObject *message = json_object_new ();

  json_object_set_string_member (message, "type", type);
  json_object_set_int_member (message, "roomId", self->room_id);
  return message;
}

/* Sends a host action and remembers its request id, so that the server's
 * `ok` shows @done_text (nullable) and a refusal shows the server's reason.
 * Actions whose effect is visible in the side panel pass no @done_text.
 */
static void
send_host_request (ConfabMeetingPage *self,
                   JsonObject        *message,
                   const char        *done_text)
{
  char *request_id = confab_socket_send_request (self->socket, message);

  g_hash_table_insert (self->host_request_ids, request_id, g_strdup (done_text));
}

static gint64
get_user_id (ConfabMeetingPage *self)
{
  gint64 id = 0;

  confab_json_get_int (self->user, "id", &id);
  return id;
}

static gboolean
user_is_admin (ConfabMeetingPage *self)
{
  gboolean is_admin = FALSE;

  confab_json_get_boolean (self->user, "is_admin", &is_admin);
  return is_admin;
}

static gboolean
meeting_is_embedded (ConfabMeetingPage *self)
{
  return self->mode == MEETING_EMBEDDED && self->view != NULL &&
         confab_meeting_view_is_started (self->view);
}

static void
update_actions (ConfabMeetingPage *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean connected = self->socket != NULL && confab_socket_get_state (self->socket) == CONFAB_SOCKET_CONNECTED;
  gboolean joined = self->in_meeting && connected && self->state != NULL &&
                    confab_room_state_get_joined (self->state);
  gboolean host = joined && confab_room_state_get_is_host (self->state);
  gboolean manages_roles = joined &&
                           (g_strcmp0 (confab_room_state_get_self_role (self->state), CONFAB_ROLE_OWNER) == 0 ||
                            user_is_admin (self));

  gtk_widget_action_set_enabled (widget, "room.leave", self->in_meeting);
  gtk_widget_action_set_enabled (widget, "room.raise-hand", joined);
  gtk_widget_action_set_enabled (widget, "room.open-in-browser", self->in_meeting && self->token != NULL);
  gtk_widget_action_set_enabled (widget, "room.mute-everyone", host);
  gtk_widget_action_set_enabled (widget, "participant.mute", host);
  gtk_widget_action_set_enabled (widget, "participant.kick", host);
  gtk_widget_action_set_enabled (widget, "participant.ban", host);
  gtk_widget_action_set_enabled (widget, "participant.lower-hand", host);
  gtk_widget_action_set_enabled (widget, "participant.set-moderator", manages_roles);
}

static void
sync_hand_raised (ConfabMeetingPage *self)
{
  ConfabParticipant *me = self->state != NULL ? confab_room_state_get_self (self->state) : NULL;
  gboolean raised = me != NULL && confab_participant_get_hand_raised (me);

  if (self->hand_raised == raised)
    return;

  self->hand_raised = raised;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAND_RAISED]);
}

static void
show_loading (ConfabMeetingPage *self,
              const char        *text)
{
  gtk_label_set_text (self->loading_label, text);
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->meeting_stack, "loading");
}

/* Shows a message in place of the meeting; the side panel keeps working. */
static void
show_message (ConfabMeetingPage *self,
              const char        *title,
              const char        *description,
              gboolean           offer_browser)
{
  g_autofree char *markup = g_markup_escape_text (description, -1);

  adw_status_page_set_title (self->message_page, title);
  adw_status_page_set_description (self->message_page, markup);
  gtk_widget_set_visible (GTK_WIDGET (self->browser_button), offer_browser);
  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->meeting_stack, "message");
}

static void
show_toast (ConfabMeetingPage *self,
            const char        *text)
{
  if (self->window != NULL)
    confab_window_show_toast (self->window, text);
}

static void
show_message_dialog (ConfabMeetingPage *self,
                     const char        *heading,
                     const char        *body)
{
  if (self->window != NULL)
    confab_window_show_message (self->window, heading, body);
}

static const char *
get_room_name (ConfabMeetingPage *self)
{
  const char *name = self->state != NULL ? confab_room_state_get_name (self->state) : NULL;

  return name != NULL ? name : "";
}

/* Shows the connection bar while the socket is down, with the socket's
 * reason when it has one, because chat, notes and host actions wait for the
 * connection. Host actions and the hand button are disabled meanwhile.
 */
static void
update_connection (ConfabMeetingPage *self)
{
  gboolean down = self->in_meeting && self->socket != NULL &&
                  confab_socket_get_state (self->socket) != CONFAB_SOCKET_CONNECTED;
  const char *problem = self->socket != NULL ? confab_socket_get_problem (self->socket) : NULL;
  g_autofree char *text = NULL;

  if (problem != NULL)
    text = g_strdup (problem);
  else
    text = g_strdup (_("Not connected to the server. Reconnecting… Chat, notes and host actions "
                       "work again once the connection is back."));

  gtk_label_set_text (self->connection_label, text);
  gtk_revealer_set_reveal_child (self->connection_revealer, down);
  gtk_spinner_set_spinning (self->connection_spinner, down);
  update_actions (self);
}

/* Meeting */

static void
offer_browser (ConfabMeetingPage *self,
               gboolean           webrtc_missing)
{
  self->mode = MEETING_BROWSER;
  confab_side_panel_set_meeting_in_browser (self->side_panel, TRUE);

  if (webrtc_missing)
    show_message (self,
                  _("Video Calls Are Not Available Here"),
                  _("This system's WebKitGTK cannot make video calls: it has no WebRTC "
                    "(RTCPeerConnection), which Jitsi Meet needs. Open the meeting in your web "
                    "browser instead. Participants, chat and notes keep working here."),
                  TRUE);
  else
    show_message (self,
                  _("The Meeting Opens in Your Browser"),
                  _("Your preferences open meetings in the web browser. Participants, chat and "
                    "notes keep working here."),
                  TRUE);

  update_actions (self);
}

static void
view_conference_joined_cb (ConfabMeetingPage *self,
                           const char        *participant_id,
                           const char        *display_name,
                           ConfabMeetingView *view)
{
  g_autoptr(JsonObject) message = NULL;

  if (!self->in_meeting)
    return;

  g_debug ("Joined the meeting of room %" G_GINT64_FORMAT " as %s", self->room_id, participant_id);
  message = new_room_message (self, CONFAB_MSG_JITSI_JOINED);

  g_free (self->own_jitsi_id);
  self->own_jitsi_id = g_strdup (participant_id);

  /* Hosts map the user to this Jitsi participant through the server. */
  json_object_set_string_member (message, "participantId", participant_id);
  confab_socket_send (self->socket, message);
}

static void
view_participant_joined_cb (ConfabMeetingPage *self,
                            const char        *participant_id,
                            const char        *display_name,
                            ConfabMeetingView *view)
{
  gint64 user_id;

  if (self->state == NULL || !confab_room_state_get_is_host (self->state))
    return;

  /* A Jitsi kick does not stop a still-valid token from joining again, so
   * the host's client removes a banned user each time they come back.
   * NOTE: this recognises only a Jitsi id that the banned user's client
   * reported while seated. A rejoin under a new id is not mapped, because
   * users in browser mode never report theirs, so an unknown id is not proof
   * of a ban. The short token lifetime and the server's token refusal bound
   * that case.
   */
  user_id = confab_room_state_lookup_jitsi_id (self->state, participant_id);
  if (user_id > 0 && confab_room_state_is_banned (self->state, user_id))
    {
      g_message ("Removing banned user %" G_GINT64_FORMAT " (Jitsi id %s) from the meeting of room %"
                 G_GINT64_FORMAT " again", user_id, participant_id, self->room_id);
      confab_meeting_view_kick_participant (self->view, participant_id);
    }
}

static void
view_ready_to_close_cb (ConfabMeetingPage *self,
                        ConfabMeetingView *view)
{
  /* Leaving already: the hangup is confirmed. */
  if (self->hangup_timeout_id != 0)
    {
      g_clear_handle_id (&self->hangup_timeout_id, g_source_remove);
      confab_meeting_view_stop (self->view);
      g_signal_emit (self, signals[LEFT], 0, self->left_message);
      return;
    }

  if (self->in_meeting)
    finish_meeting (self, NULL, TRUE);
}

static void request_token (ConfabMeetingPage *self);

static void
view_meeting_error_cb (ConfabMeetingPage *self,
                       const char        *kind,
                       const char        *message,
                       ConfabMeetingView *view)
{
  gboolean retryable = g_str_equal (kind, "connection") || g_str_equal (kind, "authentication");

  g_message ("The meeting of room %" G_GINT64_FORMAT " reported a %s error: %s",
             self->room_id, kind, message);

  if (!self->in_meeting || self->hangup_timeout_id != 0 || self->mode != MEETING_EMBEDDED)
    return;

  confab_meeting_view_stop (self->view);

  /* An expired or refused token is the usual cause, so one fresh token and
   * a restart are worth a try before giving up.
   */
  if (retryable && !self->token_retry_used)
    {
      self->token_retry_used = TRUE;
      self->restarting = TRUE;
      show_loading (self, _("Reconnecting to the meeting…"));
      request_token (self);
      return;
    }

  self->mode = MEETING_NONE;
  if (g_str_equal (kind, "authentication"))
    show_message (self, _("The Meeting Refused the Sign-In"), message, TRUE);
  else if (g_str_equal (kind, "connection"))
    show_message (self, _("Could Not Connect to the Meeting"), message, TRUE);
  else
    show_message (self, _("The Meeting Failed"), message, TRUE);

  update_actions (self);
}

static WebKitNetworkSession *
get_network_session (ConfabMeetingPage *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self->window));

  if (CONFAB_IS_APPLICATION (application))
    return confab_application_get_network_session (CONFAB_APPLICATION (application));

  return webkit_network_session_get_default ();
}

static void
ensure_view (ConfabMeetingPage *self)
{
  if (self->view != NULL)
    return;

  self->view = confab_meeting_view_new (get_network_session (self));
  gtk_stack_add_named (self->meeting_stack, GTK_WIDGET (self->view), "view");

  g_signal_connect_object (self->view, "conference-joined", G_CALLBACK (view_conference_joined_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view, "participant-joined", G_CALLBACK (view_participant_joined_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view, "ready-to-close", G_CALLBACK (view_ready_to_close_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view, "meeting-error", G_CALLBACK (view_meeting_error_cb),
                           self, G_CONNECT_SWAPPED);
}

static void
start_view (ConfabMeetingPage *self)
{
  ConfabMeetingParams params = { 0, };

  ensure_view (self);

  params.domain = self->token->domain;
  params.jitsi_room = self->token->jitsi_room;
  params.jwt = self->token->jwt;
  params.display_name = confab_json_get_string (self->user, "name");
  params.email = confab_json_get_string (self->user, "email");
  params.subject = get_room_name (self);

  self->mode = MEETING_EMBEDDED;
  confab_side_panel_set_meeting_in_browser (self->side_panel, FALSE);
  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->meeting_stack, "view");

  confab_meeting_view_start (self->view, &params);
  update_actions (self);
}

static void
webrtc_checked_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ConfabMeetingPage *self;
  g_autoptr(GError) error = NULL;
  gboolean has_webrtc;

  has_webrtc = confab_meeting_view_check_webrtc_finish (CONFAB_MEETING_VIEW (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;

  if (error != NULL)
    g_message ("Could not check for WebRTC support, offering the browser: %s", error->message);

  if (has_webrtc)
    start_view (self);
  else
    offer_browser (self, TRUE);
}

/* Opens the meeting in the way the meeting-mode preference selects. */
static void
open_meeting (ConfabMeetingPage *self)
{
  g_autofree char *mode = g_settings_get_string (self->settings, "meeting-mode");

  if (g_str_equal (mode, "browser"))
    {
      offer_browser (self, FALSE);
      return;
    }

  /* "embedded" starts the view even without WebRTC, for Jitsi deployments
   * or test meetings that work without it.
   */
  if (g_str_equal (mode, "embedded"))
    {
      start_view (self);
      return;
    }

  ensure_view (self);
  show_loading (self, _("Checking for video call support…"));
  confab_meeting_view_check_webrtc_async (self->view, self->cancellable, webrtc_checked_cb, self);
}

static void
show_token_error (ConfabMeetingPage *self,
                  const GError      *error)
{
  g_autofree char *heading = NULL;

  g_message ("No meeting token for room %" G_GINT64_FORMAT ": %s", self->room_id, error->message);
  self->mode = MEETING_NONE;

  if (g_error_matches (error, CONFAB_API_ERROR, CONFAB_API_ERROR_JITSI_NOT_CONFIGURED))
    {
      show_message (self,
                    _("No Jitsi Server Configured"),
                    _("This Confab server has no Jitsi Meet deployment set up, so the video meeting "
                      "cannot start. Participants, chat and notes still work here.\n\n"
                      "The server's administrator sets “domain” in the [jitsi] group of the server "
                      "configuration file and restarts confab-server."),
                    FALSE);
      return;
    }

  if (g_error_matches (error, CONFAB_API_ERROR, CONFAB_API_ERROR_BANNED) ||
      g_error_matches (error, CONFAB_API_ERROR, CONFAB_API_ERROR_FORBIDDEN))
    {
      /* Translators: %s is the name of a room. */
      heading = g_strdup_printf (_("Cannot Join “%s”"), get_room_name (self));
      show_message_dialog (self, heading, error->message);
      finish_meeting (self, NULL, TRUE);
      return;
    }

  show_message (self, _("Could Not Start the Meeting"), error->message, FALSE);
}

static void
token_ready_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ConfabMeetingPage *self;
  g_autoptr(ConfabMeetingToken) token = NULL;
  g_autoptr(GError) error = NULL;
  gboolean restarting;

  token = confab_api_request_token_finish (CONFAB_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;
  restarting = self->restarting;
  self->restarting = FALSE;

  if (token == NULL)
    {
      show_token_error (self, error);
      update_actions (self);
      return;
    }

  g_clear_pointer (&self->token, confab_meeting_token_free);
  self->token = g_steal_pointer (&token);
  update_actions (self);

  if (restarting)
    start_view (self);
  else
    open_meeting (self);
}

static void
request_token (ConfabMeetingPage *self)
{
  confab_api_request_token_async (self->api, self->room_id, self->cancellable, token_ready_cb, self);
}

static void
bans_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ConfabMeetingPage *self;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *bans;

  root = confab_api_request_finish (CONFAB_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) || self->state == NULL)
    {
      if (error != NULL)
        g_message ("Could not load the bans of room %" G_GINT64_FORMAT ": %s", self->room_id, error->message);
      return;
    }

  bans = confab_json_get_array (json_node_get_object (root), "bans");
  for (guint i = 0; bans != NULL && i < json_array_get_length (bans); i++)
    {
      JsonNode *node = json_array_get_element (bans, i);
      JsonObject *user = JSON_NODE_HOLDS_OBJECT (node)
                         ? confab_json_get_object (json_node_get_object (node), "user")
                         : NULL;
      gint64 user_id;

      if (confab_json_get_int (user, "id", &user_id) && user_id > 0)
        confab_room_state_add_ban (self->state, user_id);
    }
}

/* Hosts learn the room's bans, so that they can remove a banned user who
 * comes back into the meeting with a token issued before the ban.
 */
static void
load_bans (ConfabMeetingPage *self)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/bans", self->room_id);

  confab_api_request_async (self->api, "GET", path, NULL, self->cancellable, bans_loaded_cb, self);
}

/* Room events */

static void
send_join (ConfabMeetingPage *self)
{
  g_autoptr(JsonObject) message = new_room_message (self, CONFAB_MSG_JOIN_ROOM);

  g_free (self->join_request_id);
  self->join_request_id = confab_socket_send_request (self->socket, message);
}

static void
room_state_applied (ConfabMeetingPage *self)
{
  ConfabParticipant *me = confab_room_state_get_self (self->state);

  /* After a reconnect the server may not know the Jitsi id any more. */
  if (self->own_jitsi_id != NULL && me != NULL && confab_participant_get_jitsi_id (me) == NULL)
    {
      g_autoptr(JsonObject) message = new_room_message (self, CONFAB_MSG_JITSI_JOINED);

      json_object_set_string_member (message, "participantId", self->own_jitsi_id);
      confab_socket_send (self->socket, message);
    }

  if (self->token_requested)
    return;

  self->token_requested = TRUE;
  show_loading (self, _("Getting a meeting token…"));
  request_token (self);

  if (confab_room_state_get_is_host (self->state))
    load_bans (self);
}

static void
handle_socket_error (ConfabMeetingPage *self,
                     JsonObject        *message)
{
  const char *request_id = confab_json_get_string (message, "requestId");
  const char *text = confab_json_get_string (message, "message");

  if (request_id == NULL)
    return;

  if (text == NULL)
    text = _("The server refused the request.");

  if (g_strcmp0 (request_id, self->join_request_id) == 0)
    {
      show_message_dialog (self, _("Could Not Join the Room"), text);

      /* The seat was never taken, so there is nothing to leave. */
      finish_meeting (self, NULL, FALSE);
      return;
    }

  if (g_hash_table_remove (self->host_request_ids, request_id))
    show_toast (self, text);
}

static GApplication *
get_application (ConfabMeetingPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *application = NULL;

  if (GTK_IS_WINDOW (root))
    application = gtk_window_get_application (GTK_WINDOW (root));

  return application != NULL ? G_APPLICATION (application) : g_application_get_default ();
}

/* One notification id per participant, so that raising a hand again
 * replaces the notification and lowering it withdraws that one.
 */
static char *
dup_hand_notification_id (ConfabMeetingPage *self,
                          gint64             user_id)
{
  return g_strdup_printf ("hand-raised-%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, self->room_id, user_id);
}

/* Tells a host by a desktop notification that a participant raised a hand
 * while the window was in the background. Lowering the hand withdraws it.
 */
static void
notify_hand_raised (ConfabMeetingPage *self,
                    JsonObject        *message)
{
  GApplication *application = get_application (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  gint64 user_id = 0;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  g_autoptr(GNotification) notification = NULL;
  ConfabParticipant *participant;

  /* The room state already checked the message's fields. */
  confab_json_get_int (message, "userId", &user_id);
  participant = confab_room_state_find_participant (self->state, user_id);
  if (application == NULL || participant == NULL
      || user_id == confab_room_state_get_self_user_id (self->state))
    return;

  id = dup_hand_notification_id (self, user_id);
  if (!confab_participant_get_hand_raised (participant))
    {
      g_application_withdraw_notification (application, id);
      return;
    }

  if (!confab_room_state_get_is_host (self->state)
      || (GTK_IS_WINDOW (root) && gtk_window_is_active (GTK_WINDOW (root))))
    return;

  /* Translators: %s is the name of a participant. */
  title = g_strdup_printf (_("%s raised a hand"), confab_participant_get_name (participant));
  notification = g_notification_new (title);
  g_notification_set_body (notification, get_room_name (self));
  g_application_send_notification (application, id, notification);
}

/* Tells the user when a host lowered their hand, which they would
 * otherwise notice only by the hand button popping up.
 */
static void
notify_hand_lowered (ConfabMeetingPage *self,
                     JsonObject        *message)
{
  gint64 self_id = confab_room_state_get_self_user_id (self->state);
  gint64 user_id = 0;
  gint64 by_user_id = 0;
  gboolean raised = TRUE;
  ConfabParticipant *host;
  g_autofree char *text = NULL;

  if (!confab_json_get_int (message, "userId", &user_id) || user_id != self_id ||
      !confab_json_get_boolean (message, "raised", &raised) || raised ||
      !confab_json_get_int (message, "byUserId", &by_user_id) || by_user_id == self_id)
    return;

  host = confab_room_state_find_participant (self->state, by_user_id);
  if (host != NULL)
    /* Translators: %s is the name of the host who lowered the hand. */
    text = g_strdup_printf (_("%s lowered your hand"), confab_participant_get_name (host));
  else
    text = g_strdup (_("A host lowered your hand"));

  show_toast (self, text);
}

/* Returns whether the participant that a `userLeft` @message names has a
 * hand raised, whose notification must go once the room state dropped them.
 */
static gboolean
leaves_with_hand_raised (ConfabMeetingPage *self,
                         const char        *type,
                         JsonObject        *message)
{
  ConfabParticipant *participant;
  gint64 user_id = 0;

  if (!g_str_equal (type, CONFAB_MSG_USER_LEFT) || !confab_json_get_int (message, "userId", &user_id))
    return FALSE;

  participant = confab_room_state_find_participant (self->state, user_id);

  return participant != NULL && confab_participant_get_hand_raised (participant);
}

static void
withdraw_hand_notification (ConfabMeetingPage *self,
                            JsonObject        *message)
{
  GApplication *application = get_application (self);
  gint64 user_id = 0;
  g_autofree char *id = NULL;

  if (application == NULL || !confab_json_get_int (message, "userId", &user_id))
    return;

  id = dup_hand_notification_id (self, user_id);
  g_application_withdraw_notification (application, id);
}

/* A raised hand means nothing once the user has left the room. */
static void
withdraw_hand_notifications (ConfabMeetingPage *self)
{
  GApplication *application = get_application (self);
  GListModel *participants;

  if (application == NULL || self->state == NULL)
    return;

  participants = confab_room_state_get_participants (self->state);
  for (guint i = 0; i < g_list_model_get_n_items (participants); i++)
    {
      g_autoptr(ConfabParticipant) participant = g_list_model_get_item (participants, i);
      g_autofree char *id = NULL;

      if (!confab_participant_get_hand_raised (participant))
        continue;

      id = dup_hand_notification_id (self, confab_participant_get_user_id (participant));
      g_application_withdraw_notification (application, id);
    }
}

static void
send_removed_notification (ConfabMeetingPage *self,
                           const char        *text)
{
  GApplication *application = get_application (self);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;

  if (application == NULL)
    return;

  /* Translators: %s is the name of a room. */
  title = g_strdup_printf (_("Removed from %s"), get_room_name (self));
  notification = g_notification_new (title);
  g_notification_set_body (notification, text);
  g_application_send_notification (application, "removed-from-room", notification);
}

static void
socket_message_cb (ConfabMeetingPage *self,
                   const char        *type,
                   JsonObject        *message,
                   ConfabSocket      *socket)
{
  g_autoptr(ConfabRoomState) state = NULL;
  g_autoptr(GError) error = NULL;
  ConfabRoomStateResult result;
  gboolean hand_left;

  if (!self->in_meeting || self->state == NULL)
    return;

  if (g_str_equal (type, CONFAB_MSG_ERROR))
    {
      handle_socket_error (self, message);
      return;
    }

  if (g_str_equal (type, CONFAB_MSG_OK))
    {
      const char *request_id = confab_json_get_string (message, "requestId");

      const char *done_text = NULL;

      if (request_id != NULL &&
          g_hash_table_lookup_extended (self->host_request_ids, request_id, NULL, (gpointer *) &done_text))
        {
          if (done_text != NULL)
            show_toast (self, done_text);
          g_hash_table_remove (self->host_request_ids, request_id);
        }
      return;
    }

  /* Applying may end the meeting (kicked, room deleted), which drops the
   * page's reference to the state.
   */
  state = g_object_ref (self->state);
  hand_left = leaves_with_hand_raised (self, type, message);
  result = confab_room_state_apply (state, type, message, &error);

  if (result == CONFAB_ROOM_STATE_INVALID)
    {
      g_debug ("Dropped an invalid %s message: %s", type, error->message);
      return;
    }

  if (!self->in_meeting)
    return;

  if (result == CONFAB_ROOM_STATE_APPLIED && g_str_equal (type, CONFAB_MSG_ROOM_STATE))
    room_state_applied (self);

  if (result == CONFAB_ROOM_STATE_APPLIED && g_str_equal (type, CONFAB_MSG_HAND_RAISED))
    {
      notify_hand_raised (self, message);
      notify_hand_lowered (self, message);
    }

  if (result == CONFAB_ROOM_STATE_APPLIED && hand_left)
    withdraw_hand_notification (self, message);

  sync_hand_raised (self);
}

static void
retry_button_clicked_cb (ConfabMeetingPage *self)
{
  if (self->socket != NULL)
    confab_socket_reconnect_now (self->socket);
}

static void
socket_connected_cb (ConfabMeetingPage *self,
                     ConfabSocket      *socket)
{
  /* A new connection has no seat: take it again. */
  if (self->in_meeting)
    send_join (self);
}

static void
state_rejoin_needed_cb (ConfabMeetingPage *self,
                        ConfabRoomState   *state)
{
  send_join (self);
}

static char *
format_ban_end (gboolean banned,
                gint64   until)
{
  g_autofree char *when = NULL;

  if (!banned)
    return g_strdup ("");

  if (until == 0)
    return g_strdup (_("You are banned from this room until a host lifts the ban."));

  when = confab_time_format_date_time (until);
  /* Translators: %s is a date and time. */
  return g_strdup_printf (_("You are banned from this room until %s."), when);
}

/* Builds the removed user's message: who removed them from which room, the
 * host's reason and, for a ban, when it ends, each in its own paragraph.
 */
static char *
format_removal (ConfabMeetingPage *self,
                const char        *by_name,
                const char        *reason,
                gboolean           banned,
                gint64             until)
{
  g_autofree char *ban = format_ban_end (banned, until);
  GString *text = g_string_new (NULL);

  /* Translators: host name, room name. */
  g_string_append_printf (text, _("%s removed you from %s."), by_name, get_room_name (self));

  if (reason != NULL && *reason != '\0')
    {
      g_string_append (text, "\n\n");
      /* Translators: %s is the reason a host gave for removing the user. */
      g_string_append_printf (text, _("Reason: %s"), reason);
    }

  if (*ban != '\0')
    {
      g_string_append (text, "\n\n");
      g_string_append (text, ban);
    }

  return g_string_free (text, FALSE);
}

static void
state_kicked_cb (ConfabMeetingPage *self,
                 const char        *by_name,
                 const char        *reason,
                 gboolean           banned,
                 gint64             until,
                 ConfabRoomState   *state)
{
  g_autofree char *text = format_removal (self, by_name, reason, banned, until);
  g_autofree char *heading = NULL;

  g_message ("Removed from room %" G_GINT64_FORMAT " by a host%s", self->room_id, banned ? ", banned" : "");
  send_removed_notification (self, text);

  /* Translators: %s is the name of a room. */
  heading = g_strdup_printf (banned ? _("Banned from “%s”") : _("Removed from “%s”"), get_room_name (self));
  show_message_dialog (self, heading, text);

  /* The server already took the seat, so no leaveRoom. */
  finish_meeting (self, NULL, FALSE);
}

static void
state_mute_requested_cb (ConfabMeetingPage *self,
                         const char        *by_name,
                         gboolean           everyone,
                         ConfabRoomState   *state)
{
  g_autofree char *text = NULL;

  if (meeting_is_embedded (self))
    {
      confab_meeting_view_set_audio_muted (self->view, TRUE);
      text = everyone ? g_strdup_printf (_("%s muted everyone"), by_name)
                      : g_strdup_printf (_("%s muted your microphone"), by_name);
    }
  else
    {
      /* The meeting in the browser is out of reach. */
      text = g_strdup_printf (_("%s asks you to mute your microphone"), by_name);
    }

  show_toast (self, text);
}

static void
state_room_deleted_cb (ConfabMeetingPage *self,
                       ConfabRoomState   *state)
{
  g_autofree char *text = g_strdup_printf (_("The room “%s” was deleted."), get_room_name (self));

  finish_meeting (self, text, FALSE);
}

static void
state_role_notify_cb (ConfabMeetingPage *self)
{
  update_actions (self);

  /* A new host learns the bans that apply to the meeting. */
  if (self->state != NULL && confab_room_state_get_is_host (self->state) && self->token_requested)
    load_bans (self);
}

/* Leaving */

static gboolean
hangup_timeout_cb (gpointer user_data)
{
  ConfabMeetingPage *self = user_data;

  self->hangup_timeout_id = 0;
  g_debug ("The meeting did not confirm the hangup in time, unloading it");

  confab_meeting_view_stop (self->view);
  g_signal_emit (self, signals[LEFT], 0, self->left_message);
  return G_SOURCE_REMOVE;
}

static void
disconnect_room (ConfabMeetingPage *self)
{
  if (self->socket != NULL)
    g_signal_handlers_disconnect_by_data (self->socket, self);

  if (self->state != NULL)
    g_signal_handlers_disconnect_by_data (self->state, self);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  confab_side_panel_set_room (self->side_panel, NULL, NULL);
  g_clear_object (&self->state);
  g_clear_pointer (&self->token, confab_meeting_token_free);
  g_clear_pointer (&self->join_request_id, g_free);
  g_clear_pointer (&self->own_jitsi_id, g_free);
  g_hash_table_remove_all (self->host_request_ids);
}

/* Ends the user's part in the room and emits "left" with @message. An
 * embedded meeting is hung up first, and "left" waits until the meeting
 * confirms it (or HANGUP_TIMEOUT_MS passed), so that Jitsi records a
 * hangup instead of a lost connection.
 */
static void
finish_meeting (ConfabMeetingPage *self,
                const char        *message,
                gboolean           send_leave)
{
  g_autoptr(ConfabMeetingPage) hold = g_object_ref (self);
  gboolean hang_up;

  if (!self->in_meeting)
    return;

  g_debug ("Leaving room %" G_GINT64_FORMAT, self->room_id);
  self->in_meeting = FALSE;

  if (send_leave)
    {
      g_autoptr(JsonObject) leave = new_room_message (self, CONFAB_MSG_LEAVE_ROOM);
      confab_socket_send (self->socket, leave);
    }

  hang_up = meeting_is_embedded (self);
  withdraw_hand_notifications (self);
  disconnect_room (self);
  self->mode = MEETING_NONE;
  self->hand_raised = FALSE;
  update_connection (self);

  g_free (self->left_message);
  self->left_message = g_strdup (message);

  if (hang_up)
    {
      show_loading (self, _("Leaving the meeting…"));
      confab_meeting_view_hangup (self->view);
      self->hangup_timeout_id = g_timeout_add (HANGUP_TIMEOUT_MS, hangup_timeout_cb, self);
      return;
    }

  if (self->view != NULL)
    confab_meeting_view_stop (self->view);

  g_signal_emit (self, signals[LEFT], 0, self->left_message);
}

/* Actions */

static ConfabParticipant *
find_target (ConfabMeetingPage *self,
             GVariant          *parameter)
{
  gint64 user_id = g_variant_get_int64 (parameter);

  if (self->state == NULL || user_id <= 0)
    return NULL;

  return confab_room_state_find_participant (self->state, user_id);
}

static void
leave_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  confab_meeting_page_leave (CONFAB_MEETING_PAGE (widget));
}

static void
open_in_browser_activated (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  ConfabMeetingPage *self = CONFAB_MEETING_PAGE (widget);
  g_autofree char *uri = NULL;

  if (self->token == NULL)
    return;

  /* The JWT is part of this URL by Jitsi's design; it is never logged. */
  uri = confab_meeting_view_build_meeting_url (self->token->domain, self->token->jitsi_room, self->token->jwt);
  if (uri == NULL)
    {
      show_toast (self, _("The meeting address from the server is not valid."));
      return;
    }

  gtk_show_uri (GTK_WINDOW (self->window), uri, GDK_CURRENT_TIME);
}

static void
mute_everyone_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  ConfabMeetingPage *self = CONFAB_MEETING_PAGE (widget);
  g_autoptr(JsonObject) message = new_room_message (self, CONFAB_MSG_MUTE_EVERYONE);

  send_host_request (self, message, _("Everyone else was asked to mute their microphone"));

  if (meeting_is_embedded (self))
    confab_meeting_view_mute_everyone (self->view);
}

static void
mute_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  ConfabMeetingPage *self = CONFAB_MEETING_PAGE (widget);
  ConfabParticipant *target = find_target (self, parameter);
  g_autoptr(JsonObject) message = NULL;
  g_autofree char *done_text = NULL;

  if (target == NULL)
    return;

  message = new_room_message (self, CONFAB_MSG_MUTE);
  json_object_set_int_member (message, "userId", confab_participant_get_user_id (target));
  done_text = g_strdup_printf (_("%s was asked to mute their microphone"),
                               confab_participant_get_name (target));
  send_host_request (self, message, done_text);

  if (meeting_is_embedded (self) && confab_participant_get_jitsi_id (target) != NULL)
    confab_meeting_view_mute_participant (self->view, confab_participant_get_jitsi_id (target));
}

static void
lower_hand_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  ConfabMeetingPage *self = CONFAB_MEETING_PAGE (widget);
  ConfabParticipant *target = find_target (self, parameter);
  g_autoptr(JsonObject) message = NULL;

  if (target == NULL)
    return;

  message = new_room_message (self, CONFAB_MSG_LOWER_HAND);
  json_object_set_int_member (message, "userId", confab_participant_get_user_id (target));
  send_host_request (self, message, NULL);
}

static void
set_moderator_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  ConfabMeetingPage *self = CONFAB_MEETING_PAGE (widget);
  ConfabParticipant *target;
  g_autoptr(JsonObject) message = NULL;
  gint64 user_id;
  gboolean moderator;

  g_variant_get (parameter, "(xb)", &user_id, &moderator);
  target = self->state != NULL ? confab_room_state_find_participant (self->state, user_id) : NULL;
  if (target == NULL)
    return;

  message = new_room_message (self, CONFAB_MSG_SET_MODERATOR);
  json_object_set_int_member (message, "userId", user_id);
  json_object_set_boolean_member (message, "moderator", moderator);
  send_host_request (self, message, NULL);

  /* The IFrame API can grant moderator rights but has no command to take
   * them back; a revoked moderator loses them with their next token.
   */
  if (moderator && meeting_is_embedded (self) && confab_participant_get_jitsi_id (target) != NULL)
    confab_meeting_view_grant_moderator (self->view, confab_participant_get_jitsi_id (target));
}

/* Kick and ban */

typedef struct {
  ConfabMeetingPage *page;      /* weak */
  gint64             user_id;
  gboolean           ban;
  AdwMessageDialog  *dialog;
  AdwEntryRow       *reason_row;
  AdwComboRow       *duration_row;
  GtkLabel          *limit_label;
} RemovalRequest;

/* Ban lengths offered in the dialog, in seconds; 0 is until lifted. */
static const gint64 ban_durations[] = { 3600, 86400, 7 * 86400, 0 };

static void
removal_request_free (gpointer  data,
                      GClosure *closure)
{
  RemovalRequest *request = data;

  g_clear_weak_pointer (&request->page);
  g_free (request);
}

static void
remove_participant (ConfabMeetingPage *self,
                    gint64             user_id,
                    const char        *reason,
                    gboolean           ban,
                    gint64             duration)
{
  g_autoptr(JsonObject) message = new_room_message (self, CONFAB_MSG_KICK);
  ConfabParticipant *target = confab_room_state_find_participant (self->state, user_id);
  g_autofree char *done_text = NULL;

  json_object_set_int_member (message, "userId", user_id);

  /* The dialog does not accept a longer reason, see reason_changed_cb(). */
  g_assert (reason == NULL || g_utf8_strlen (reason, -1) <= CONFAB_KICK_REASON_MAX_CHARS);

  if (reason != NULL && *reason != '\0')
    json_object_set_string_member (message, "reason", reason);

  if (ban)
    {
      json_object_set_int_member (message, "ban", duration);
      confab_room_state_add_ban (self->state, user_id);
    }

  /* The removed user leaves the side panel, but a ban of an absent user
   * shows nowhere, so both get a confirmation.
   */
  if (target != NULL)
    done_text = g_strdup_printf (ban ? _("%s was banned from the room") : _("%s was removed from the room"),
                                 confab_participant_get_name (target));
  else
    done_text = g_strdup (ban ? _("The user was banned from the room") : _("The user was removed from the room"));

  send_host_request (self, message, done_text);

  if (meeting_is_embedded (self) && target != NULL && confab_participant_get_jitsi_id (target) != NULL)
    confab_meeting_view_kick_participant (self->view, confab_participant_get_jitsi_id (target));
}

static void
removal_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     RemovalRequest   *request)
{
  g_autofree char *reason = NULL;
  gint64 duration = 0;

  if (request->page == NULL || !request->page->in_meeting || !g_str_equal (response, "remove"))
    return;

  reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (request->reason_row))));
  if (g_utf8_strlen (reason, -1) > CONFAB_KICK_REASON_MAX_CHARS)
    return;

  if (request->ban)
    {
      guint selected = adw_combo_row_get_selected (request->duration_row);

      duration = ban_durations[MIN (selected, G_N_ELEMENTS (ban_durations) - 1)];
    }

  remove_participant (request->page, request->user_id, reason, request->ban, duration);
}

/* Over the server's limit the reason is not cut: the dialog shows the limit
 * and disables its button until the host shortens the reason.
 */
static void
reason_changed_cb (RemovalRequest *request)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (request->reason_row))));
  glong length = g_utf8_strlen (reason, -1);
  gboolean over = length > CONFAB_KICK_REASON_MAX_CHARS;
  g_autofree char *note = NULL;

  if (over)
    /* Translators: the reason's length and the maximum, in characters. */
    note = g_strdup_printf (_("%ld of %d characters. Shorten the reason to continue."),
                            length, CONFAB_KICK_REASON_MAX_CHARS);

  gtk_label_set_text (request->limit_label, note != NULL ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (request->limit_label), over);
  adw_message_dialog_set_response_enabled (request->dialog, "remove", !over);
}

static GtkWidget *
build_removal_fields (RemovalRequest *request)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *list = gtk_list_box_new ();
  g_autoptr(GtkStringList) durations = NULL;

  gtk_box_append (GTK_BOX (box), list);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");

  request->reason_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (request->reason_row), _("Reason (optional)"));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (request->reason_row));

  if (request->ban)
    {
      const char *labels[] = { _("1 hour"), _("1 day"), _("1 week"), _("Until lifted"), NULL };

      durations = gtk_string_list_new (labels);
      request->duration_row = ADW_COMBO_ROW (adw_combo_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (request->duration_row), _("Ban for"));
      adw_combo_row_set_model (request->duration_row, G_LIST_MODEL (durations));
      gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (request->duration_row));
    }

  request->limit_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (request->limit_label, TRUE);
  gtk_label_set_xalign (request->limit_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (request->limit_label), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (request->limit_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (request->limit_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (request->limit_label));

  return box;
}

/* Enter in the reason field confirms, like the dialog's own button. */
static void
reason_activated_cb (AdwMessageDialog *dialog)
{
  if (!adw_message_dialog_get_response_enabled (dialog, "remove"))
    {
      gtk_widget_error_bell (GTK_WIDGET (dialog));
      return;
    }

  adw_message_dialog_response (dialog, "remove");
  gtk_window_close (GTK_WINDOW (dialog));
}

/* Asks for a reason (and for a ban, its length) before removing someone. */
static void
ask_removal (ConfabMeetingPage *self,
             GVariant          *parameter,
             gboolean           ban)
{
  ConfabParticipant *target = find_target (self, parameter);
  RemovalRequest *request;
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  if (target == NULL)
    return;

  request = g_new0 (RemovalRequest, 1);
  g_set_weak_pointer (&request->page, self);
  request->user_id = confab_participant_get_user_id (target);
  request->ban = ban;

  heading = g_strdup_printf (ban ? _("Ban %s?") : _("Kick %s?"), confab_participant_get_name (target));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self->window), heading,
                                                       ban
                                                       ? _("They leave the room and the meeting, and cannot "
                                                           "join again or get a meeting token until the ban ends.")
                                                       : _("They leave the room and the meeting. They can join "
                                                           "again later.")));
  request->dialog = dialog;
  adw_message_dialog_set_extra_child (dialog, build_removal_fields (request));
  g_signal_connect_object (request->reason_row, "entry-activated", G_CALLBACK (reason_activated_cb),
                           dialog, G_CONNECT_SWAPPED);
  g_signal_connect_swapped (request->reason_row, "changed", G_CALLBACK (reason_changed_cb), request);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "remove", ban ? _("_Ban") : _("_Kick"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  g_signal_connect_data (dialog, "response", G_CALLBACK (removal_response_cb), request,
                         removal_request_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
kick_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  ask_removal (CONFAB_MEETING_PAGE (widget), parameter, FALSE);
}

static void
ban_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ask_removal (CONFAB_MEETING_PAGE (widget), parameter, TRUE);
}

/* Overrides */

static void
confab_meeting_page_dispose (GObject *object)
{
  ConfabMeetingPage *self = CONFAB_MEETING_PAGE (object);

  g_clear_handle_id (&self->hangup_timeout_id, g_source_remove);

  if (self->in_meeting)
    {
      self->in_meeting = FALSE;
      disconnect_room (self);
    }

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_MEETING_PAGE);

  /* The template's top box has no id, so dispose_template leaves it. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  self->view = NULL;

  g_clear_object (&self->api);
  g_clear_object (&self->socket);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->user, json_object_unref);
  g_clear_pointer (&self->host_request_ids, g_hash_table_unref);
  g_clear_pointer (&self->left_message, g_free);

  G_OBJECT_CLASS (confab_meeting_page_parent_class)->dispose (object);
}

static void
confab_meeting_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ConfabMeetingPage *self = CONFAB_MEETING_PAGE (object);

  switch (prop_id)
    {
    case PROP_HAND_RAISED:
      g_value_set_boolean (value, self->hand_raised);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_meeting_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  ConfabMeetingPage *self = CONFAB_MEETING_PAGE (object);

  switch (prop_id)
    {
    case PROP_HAND_RAISED:
      /* The request goes to the server; the property follows once the
       * room's handRaised event confirms it.
       */
      if (self->in_meeting && self->state != NULL && g_value_get_boolean (value) != self->hand_raised)
        {
          g_autoptr(JsonObject) message = new_room_message (self, CONFAB_MSG_RAISE_HAND);

          json_object_set_boolean_member (message, "raised", g_value_get_boolean (value));
          confab_socket_send (self->socket, message);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_meeting_page_class_init (ConfabMeetingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = confab_meeting_page_dispose;
  object_class->get_property = confab_meeting_page_get_property;
  object_class->set_property = confab_meeting_page_set_property;

  /* Whether the user's hand is raised, as the server last reported. */
  properties[PROP_HAND_RAISED] =
    g_param_spec_boolean ("hand-raised", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ConfabMeetingPage::left:
   * @message: (nullable): why the user left, when it was not their choice
   *
   * The user left the room, by choice or because a host removed them.
   */
  signals[LEFT] =
    g_signal_new ("left", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (CONFAB_TYPE_SIDE_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/confab/Confab/room/confab-meeting-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabMeetingPage, meeting_stack);
  gtk_widget_class_bind_template_child (widget_class, ConfabMeetingPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, ConfabMeetingPage, loading_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabMeetingPage, message_page);
  gtk_widget_class_bind_template_child (widget_class, ConfabMeetingPage, browser_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabMeetingPage, side_panel);
  gtk_widget_class_bind_template_child (widget_class, ConfabMeetingPage, connection_revealer);
  gtk_widget_class_bind_template_child (widget_class, ConfabMeetingPage, connection_spinner);
  gtk_widget_class_bind_template_child (widget_class, ConfabMeetingPage, connection_label);
  gtk_widget_class_bind_template_callback (widget_class, retry_button_clicked_cb);

  gtk_widget_class_install_action (widget_class, "room.leave", NULL, leave_activated);
  gtk_widget_class_install_action (widget_class, "room.open-in-browser", NULL, open_in_browser_activated);
  gtk_widget_class_install_action (widget_class, "room.mute-everyone", NULL, mute_everyone_activated);
  gtk_widget_class_install_property_action (widget_class, "room.raise-hand", "hand-raised");
  gtk_widget_class_install_action (widget_class, "participant.mute", "x", mute_activated);
  gtk_widget_class_install_action (widget_class, "participant.lower-hand", "x", lower_hand_activated);
  gtk_widget_class_install_action (widget_class, "participant.set-moderator", "(xb)", set_moderator_activated);
  gtk_widget_class_install_action (widget_class, "participant.kick", "x", kick_activated);
  gtk_widget_class_install_action (widget_class, "participant.ban", "x", ban_activated);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
confab_meeting_page_init (ConfabMeetingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->host_request_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  update_actions (self);
}

ConfabMeetingPage *
confab_meeting_page_new (ConfabWindow *window)
{
  ConfabMeetingPage *self;

  g_return_val_if_fail (CONFAB_IS_WINDOW (window), NULL);

  self = g_object_new (CONFAB_TYPE_MEETING_PAGE, NULL);
  self->window = window;

  return self;
}

/**
 * confab_meeting_page_join:
 * @room_id: the room to join
 *
 * Takes a seat in the room with the window's socket, then opens the meeting
 * once the server replies with the room's state.
 */
void
confab_meeting_page_join (ConfabMeetingPage *self,
                          gint64             room_id)
{
  JsonObject *user;

  g_return_if_fail (CONFAB_IS_MEETING_PAGE (self));
  g_return_if_fail (room_id > 0);
  g_return_if_fail (!self->in_meeting);
  g_return_if_fail (confab_window_get_api (self->window) != NULL);

  g_clear_handle_id (&self->hangup_timeout_id, g_source_remove);
  g_clear_object (&self->api);
  g_clear_object (&self->socket);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->user, json_object_unref);

  self->api = g_object_ref (confab_window_get_api (self->window));
  self->socket = g_object_ref (confab_window_get_socket (self->window));
  self->settings = g_object_ref (confab_window_get_settings (self->window));
  user = confab_window_get_user (self->window);
  self->user = user != NULL ? json_object_ref (user) : json_object_new ();

  self->room_id = room_id;
  self->in_meeting = TRUE;
  self->mode = MEETING_NONE;
  self->token_requested = FALSE;
  self->token_retry_used = FALSE;
  self->restarting = FALSE;
  self->state = confab_room_state_new (room_id, get_user_id (self));

  g_signal_connect_swapped (self->state, "rejoin-needed", G_CALLBACK (state_rejoin_needed_cb), self);
  g_signal_connect_swapped (self->state, "kicked", G_CALLBACK (state_kicked_cb), self);
  g_signal_connect_swapped (self->state, "mute-requested", G_CALLBACK (state_mute_requested_cb), self);
  g_signal_connect_swapped (self->state, "room-deleted", G_CALLBACK (state_room_deleted_cb), self);
  g_signal_connect_swapped (self->state, "notify::joined", G_CALLBACK (update_actions), self);
  g_signal_connect_swapped (self->state, "notify::self-role", G_CALLBACK (state_role_notify_cb), self);
  g_signal_connect_swapped (self->socket, "message", G_CALLBACK (socket_message_cb), self);
  g_signal_connect_swapped (self->socket, "connected", G_CALLBACK (socket_connected_cb), self);
  g_signal_connect_swapped (self->socket, "notify::state", G_CALLBACK (update_connection), self);
  g_signal_connect_swapped (self->socket, "notify::problem", G_CALLBACK (update_connection), self);

  confab_side_panel_set_room (self->side_panel, self->state, self->socket);
  update_connection (self);

  g_debug ("Joining room %" G_GINT64_FORMAT, room_id);
  show_loading (self, _("Joining the room…"));
  send_join (self);
}

/**
 * confab_meeting_page_leave:
 *
 * Leaves the room: sends `leaveRoom`, hangs up the meeting and emits
 * #ConfabMeetingPage::left. Does nothing when the user is not in a room.
 */
void
confab_meeting_page_leave (ConfabMeetingPage *self)
{
  g_return_if_fail (CONFAB_IS_MEETING_PAGE (self));

  finish_meeting (self, NULL, TRUE);
}

gboolean
confab_meeting_page_is_in_meeting (ConfabMeetingPage *self)
{
  g_return_val_if_fail (CONFAB_IS_MEETING_PAGE (self), FALSE);

  return self->in_meeting;
}

gint64
confab_meeting_page_get_room_id (ConfabMeetingPage *self)
{
  g_return_val_if_fail (CONFAB_IS_MEETING_PAGE (self), 0);

  return self->room_id;
}

/* Returns: (transfer none) (nullable): the room's state while in the room. */
ConfabRoomState *
confab_meeting_page_get_room_state (ConfabMeetingPage *self)
{
  g_return_val_if_fail (CONFAB_IS_MEETING_PAGE (self), NULL);

  return self->state;
}

GtkWidget *
confab_meeting_page_get_side_panel (ConfabMeetingPage *self)
{
  g_return_val_if_fail (CONFAB_IS_MEETING_PAGE (self), NULL);

  return GTK_WIDGET (self->side_panel);
}

/* Returns: (transfer none) (nullable): the meeting view, once one was needed. */
GtkWidget *
confab_meeting_page_get_meeting_view (ConfabMeetingPage *self)
{
  g_return_val_if_fail (CONFAB_IS_MEETING_PAGE (self), NULL);

  return self->view != NULL ? GTK_WIDGET (self->view) : NULL;
}

/* Returns: (nullable): the Jitsi participant id the meeting gave this user. */
const char *
confab_meeting_page_get_jitsi_id (ConfabMeetingPage *self)
{
  g_return_val_if_fail (CONFAB_IS_MEETING_PAGE (self), NULL);

  return self->own_jitsi_id;
}
