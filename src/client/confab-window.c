/* confab-window.c: the main window
 *
 * The window walks the user through its pages: sign-in, the lobby, and the
 * meeting page of the room they joined. After sign-in it owns the REST
 * client and the WebSocket, which the pages borrow. A session that the
 * server ends (401 on a request, or close code 4001 on the WebSocket)
 * brings the user back to sign-in with a message that gives the reason.
 */
#define G_LOG_DOMAIN "confab"

#include "config.h"

#include <glib/gi18n.h>

#include "confab-account-dialog.h"
#include "confab-deep-link.h"
#include "confab-delete-room.h"
#include "confab-history-dialog.h"
#include "confab-invite-dialog.h"
#include "confab-json.h"
#include "confab-lobby-page.h"
#include "confab-meeting-page.h"
#include "confab-protocol.h"
#include "confab-room-settings-dialog.h"
#include "confab-room-people-dialog.h"
#include "confab-server-url.h"
#include "confab-sign-in-page.h"
#include "confab-users-dialog.h"
#include "confab-window.h"

struct _ConfabWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkMenuButton        *menu_button;
  GtkStack             *stack;
  GtkSpinner           *loading_spinner;
  ConfabSignInPage     *sign_in_page;
  ConfabLobbyPage      *lobby_page;

  /* Owned */
  GSettings            *settings;
  GCancellable         *cancellable;
  ConfabApi            *api;
  ConfabSocket         *socket;
  JsonObject           *user;
  char                 *email;
  /* A confab:// link opened while signed out, followed after sign-in. */
  ConfabDeepLink       *pending_link;
  /* Shown instead of the server's reason when the user ended the session
   * themselves and the server's close arrives first.
   */
  char                 *expected_end_message;

  /* Borrowed from the stack, which owns it while it is shown. */
  GtkWidget            *meeting_page;

  /* Monotonic time of the last GET /api/v1/me for the primary menu, 0
   * before the first in this session.
   */
  gint64                user_refreshed_at;

  gboolean              close_confirmed;
};

G_DEFINE_FINAL_TYPE (ConfabWindow, confab_window, ADW_TYPE_APPLICATION_WINDOW)

/* The primary menu refreshes the user at most this often. */
#define USER_REFRESH_INTERVAL_US (10 * G_USEC_PER_SEC)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static ConfabSessionStore *
get_session_store (ConfabWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  g_assert (CONFAB_IS_APPLICATION (application));

  return confab_application_get_session_store (CONFAB_APPLICATION (application));
}

static char *
dup_server_url (ConfabWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  const char *override = NULL;

  if (CONFAB_IS_APPLICATION (application))
    override = confab_application_get_server_override (CONFAB_APPLICATION (application));

  if (override != NULL)
    return g_strdup (override);

  return g_settings_get_string (self->settings, "server-url");
}

static void
show_page (ConfabWindow *self,
           const char   *name)
{
  gboolean loading = g_str_equal (name, "loading");

  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_spinner_set_spinning (self->loading_spinner, loading);

  if (g_str_equal (name, "sign-in"))
    adw_window_title_set_subtitle (self->window_title, NULL);
}

static gboolean
is_site_admin (ConfabWindow *self)
{
  gboolean is_admin = FALSE;

  confab_json_get_boolean (self->user, "is_admin", &is_admin);
  return is_admin;
}

static void
update_actions (ConfabWindow *self)
{
  gboolean signed_in = self->api != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", signed_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.join-room", signed_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.manage-users", signed_in && is_site_admin (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.account", signed_in);
}

static void
close_meeting_page (ConfabWindow *self)
{
  if (self->meeting_page == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->meeting_page, self);
  gtk_stack_remove (self->stack, self->meeting_page);
  self->meeting_page = NULL;
}

static void
logout_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  root = confab_api_request_finish (CONFAB_API (source), result, &error);
  if (error != NULL)
    g_message ("Could not revoke the session on the server: %s", error->message);
  else
    g_debug ("Session revoked on the server");
}

static void
clear_session_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!confab_session_store_clear_finish (CONFAB_SESSION_STORE (source), result, &error))
    g_message ("Could not remove the session from the keyring: %s", error->message);
  else
    g_debug ("Session removed from the keyring");
}

/* The dialogs of a session act for it, so they go with it. */
static void
close_dialogs (ConfabWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr(GPtrArray) dialogs = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (gtk_window_get_transient_for (window) == GTK_WINDOW (self))
        g_ptr_array_add (dialogs, g_steal_pointer (&window));
    }

  /* Destroying changes the list, so it happens after the walk. */
  for (guint i = 0; i < dialogs->len; i++)
    gtk_window_destroy (g_ptr_array_index (dialogs, i));
}

/* Returns to sign-in. With @revoke the client also requests the server to
 * end the session (sign-out). Without it the server has already ended it.
 */
static void
end_session (ConfabWindow *self,
             const char   *message,
             gboolean      revoke)
{
  g_autoptr(ConfabApi) api = g_steal_pointer (&self->api);
  g_autoptr(ConfabSocket) socket = g_steal_pointer (&self->socket);
  g_autofree char *expected_message = g_steal_pointer (&self->expected_end_message);
  gboolean is_error = message != NULL;

  if (api == NULL)
    return;

  if (expected_message != NULL)
    {
      message = expected_message;
      is_error = FALSE;
    }

  if (self->meeting_page != NULL)
    confab_meeting_page_leave (CONFAB_MEETING_PAGE (self->meeting_page));
  close_meeting_page (self);
  close_dialogs (self);

  confab_lobby_page_set_socket (self->lobby_page, NULL);
  g_signal_handlers_disconnect_by_data (socket, self);
  g_signal_handlers_disconnect_by_data (api, self);
  confab_socket_stop (socket);

  /* The logout request keeps the old client alive until it completes. */
  if (revoke)
    confab_api_request_async (api, "POST", "/api/v1/auth/logout", NULL, NULL, logout_cb, NULL);

  if (self->email != NULL)
    confab_session_store_clear_async (get_session_store (self),
                                      confab_api_get_server_url (api), self->email,
                                      NULL, clear_session_cb, NULL);

  g_clear_pointer (&self->user, json_object_unref);
  update_actions (self);

  confab_sign_in_page_set_server_url (self->sign_in_page, confab_api_get_server_url (api));
  confab_sign_in_page_set_email (self->sign_in_page, self->email);
  confab_sign_in_page_set_message (self->sign_in_page, message, is_error);
  show_page (self, "sign-in");
}

static void
api_unauthorized_cb (ConfabWindow *self,
                     const char   *message,
                     ConfabApi    *api)
{
  g_message ("The server rejected the session");
  end_session (self, _("You were signed out on this device. Sign in again."), FALSE);
}

static void
socket_session_ended_cb (ConfabWindow *self,
                         const char   *message,
                         ConfabSocket *socket)
{
  end_session (self, message, FALSE);
}

static void
link_check_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ConfabWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 room_id;

  room_id = confab_deep_link_check_finish (CONFAB_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* The session may have ended while the request ran. */
  if (self->api != CONFAB_API (source))
    return;

  if (error != NULL)
    {
      confab_window_show_message (self, _("Cannot Open the Link"), error->message);
      return;
    }

  gtk_widget_activate_action (GTK_WIDGET (self), "win.join-room", "x", room_id);
}

/* Joins the link's room when the window is signed in to the link's server. */
static void
follow_link (ConfabWindow         *self,
             const ConfabDeepLink *link)
{
  const char *server_url = confab_api_get_server_url (self->api);

  g_assert (self->api != NULL);

  if (!confab_deep_link_matches_server (link, server_url))
    {
      g_autofree char *text = NULL;

      /* Translators: the first %s is a server such as confab.example.org:8470,
       * the second the URL of the server the user is signed in to.
       */
      text = g_strdup_printf (_("This link is for %s; you are signed in to %s. Sign out to switch."),
                              link->authority, server_url);
      confab_window_show_message (self, _("Cannot Open the Link"), text);
      return;
    }

  g_debug ("Following a link to room %" G_GINT64_FORMAT, link->room_id);
  confab_deep_link_check_async (link, self->api, self->cancellable,
                                link_check_cb, g_object_ref (self));
}

/* Keeps @link for after sign-in and shows on the sign-in page where it leads.
 * A link to another server puts that server into the sign-in form.
 */
static void
keep_link_for_sign_in (ConfabWindow   *self,
                       ConfabDeepLink *link)
{
  const char *form_url = confab_sign_in_page_get_server_url (self->sign_in_page);
  g_autofree char *text = NULL;

  if (form_url != NULL && confab_deep_link_matches_server (link, form_url))
    {
      text = g_strdup_printf (_("Sign in to join room %lld on %s."),
                              (long long) link->room_id, link->authority);
    }
  else
    {
      confab_sign_in_page_set_server_url (self->sign_in_page, link->server_url);
      text = g_strdup_printf (_("The link is for room %lld on %s, so the server address is now set to that server. Sign in to join the room."),
                              (long long) link->room_id, link->authority);
    }

  confab_sign_in_page_set_message (self->sign_in_page, text, FALSE);

  g_clear_pointer (&self->pending_link, confab_deep_link_free);
  self->pending_link = link;
}

static void
start_session (ConfabWindow *self,
               ConfabApi    *api,
               JsonObject   *user)
{
  const char *name = confab_json_get_string (user, "name");
  const char *email = confab_json_get_string (user, "email");

  g_assert (self->api == NULL);

  self->api = g_object_ref (api);
  self->user = json_object_ref (user);
  self->user_refreshed_at = 0;
  if (email != NULL)
    {
      g_free (self->email);
      self->email = g_strdup (email);
    }

  g_signal_connect_object (api, "unauthorized", G_CALLBACK (api_unauthorized_cb),
                           self, G_CONNECT_SWAPPED);

  self->socket = confab_socket_new (api);
  g_signal_connect_object (self->socket, "session-ended", G_CALLBACK (socket_session_ended_cb),
                           self, G_CONNECT_SWAPPED);

  confab_lobby_page_set_socket (self->lobby_page, self->socket);
  confab_socket_start (self->socket);

  update_actions (self);
  adw_window_title_set_subtitle (self->window_title, name);
  confab_sign_in_page_set_message (self->sign_in_page, NULL, FALSE);
  show_page (self, "lobby");

  if (self->pending_link != NULL)
    {
      g_autoptr(ConfabDeepLink) link = g_steal_pointer (&self->pending_link);

      follow_link (self, link);
    }
}

static void
save_session_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ConfabWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (confab_session_store_save_finish (CONFAB_SESSION_STORE (source), result, &error))
    return;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  confab_window_show_toast (self, error->message);
}

static void
sign_in_page_signed_in_cb (ConfabWindow     *self,
                           ConfabApi        *api,
                           JsonObject       *user,
                           ConfabSignInPage *page)
{
  const char *email = confab_json_get_string (user, "email");

  if (self->api != NULL)
    return;

  g_settings_set_string (self->settings, "server-url", confab_api_get_server_url (api));
  if (email != NULL)
    {
      g_settings_set_string (self->settings, "account-email", email);
      confab_session_store_save_async (get_session_store (self),
                                       confab_api_get_server_url (api), email,
                                       confab_api_get_token (api),
                                       self->cancellable, save_session_cb,
                                       g_object_ref (self));
    }

  start_session (self, api, user);
}

static void
resume_me_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ConfabApi *api = CONFAB_API (source);
  g_autoptr(ConfabWindow) self = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  root = confab_api_request_finish (api, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      if (g_error_matches (error, CONFAB_API_ERROR, CONFAB_API_ERROR_UNAUTHORIZED))
        {
          confab_session_store_clear_async (get_session_store (self),
                                            confab_api_get_server_url (api), self->email,
                                            NULL, clear_session_cb, NULL);
          confab_sign_in_page_set_message (self->sign_in_page,
                                           _("You were signed out on this device. Sign in again."),
                                           TRUE);
        }
      else
        {
          confab_sign_in_page_set_message (self->sign_in_page, error->message, TRUE);
        }

      show_page (self, "sign-in");
      return;
    }

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      confab_sign_in_page_set_message (self->sign_in_page,
                                       _("The server sent an invalid reply. Sign in again."),
                                       TRUE);
      show_page (self, "sign-in");
      return;
    }

  start_session (self, api, json_node_get_object (root));
}

static void
resume_lookup_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ConfabWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ConfabApi) api = NULL;
  g_autofree char *token = NULL;
  g_autofree char *server_url = NULL;

  token = confab_session_store_lookup_finish (CONFAB_SESSION_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (token == NULL)
    {
      if (error != NULL)
        confab_sign_in_page_set_message (self->sign_in_page,
                                         _("No keyring is available, so Confab cannot remember your session. Sign in."),
                                         FALSE);
      show_page (self, "sign-in");
      return;
    }

  server_url = dup_server_url (self);
  api = confab_api_new (server_url);
  confab_api_set_token (api, token);
  confab_api_request_async (api, "GET", "/api/v1/me", NULL, self->cancellable,
                            resume_me_cb, g_object_ref (self));
}

/* Signs in with the session stored in the keyring for the last account,
 * or shows the sign-in page when there is none.
 */
static void
resume_session (ConfabWindow *self)
{
  g_autofree char *server_url = dup_server_url (self);
  g_autofree char *email = g_settings_get_string (self->settings, "account-email");
  g_autoptr(GError) error = NULL;
  g_autofree char *checked_url = confab_server_url_normalize (server_url, &error);

  confab_sign_in_page_set_server_url (self->sign_in_page, server_url);

  if (email[0] == '\0' || checked_url == NULL)
    {
      if (checked_url == NULL)
        confab_sign_in_page_set_message (self->sign_in_page, error->message, TRUE);
      show_page (self, "sign-in");
      return;
    }

  g_free (self->email);
  self->email = g_steal_pointer (&email);
  confab_sign_in_page_set_email (self->sign_in_page, self->email);

  show_page (self, "loading");
  confab_session_store_lookup_async (get_session_store (self), checked_url, self->email,
                                     self->cancellable, resume_lookup_cb, g_object_ref (self));
}

static void
meeting_page_left_cb (ConfabWindow      *self,
                      const char        *message,
                      ConfabMeetingPage *page)
{
  close_meeting_page (self);

  if (self->api != NULL)
    show_page (self, "lobby");

  if (message != NULL && message[0] != '\0')
    confab_window_show_toast (self, message);
}

static void
join_room_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  ConfabWindow *self = CONFAB_WINDOW (widget);
  gint64 room_id = g_variant_get_int64 (parameter);

  if (self->api == NULL || room_id <= 0)
    return;

  if (self->meeting_page != NULL)
    {
      gtk_stack_set_visible_child (self->stack, self->meeting_page);
      confab_window_show_toast (self, _("Leave the current meeting before joining another room."));
      return;
    }

  self->meeting_page = GTK_WIDGET (confab_meeting_page_new (self));
  g_signal_connect_object (self->meeting_page, "left", G_CALLBACK (meeting_page_left_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_stack_add_named (self->stack, self->meeting_page, "room");
  show_page (self, "room");
  confab_meeting_page_join (CONFAB_MEETING_PAGE (self->meeting_page), room_id);
}

static void
sign_out_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ConfabWindow *self = CONFAB_WINDOW (widget);

  g_message ("Signing out");
  end_session (self, NULL, TRUE);
}

static void
account_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ConfabWindow *self = CONFAB_WINDOW (widget);

  if (self->api == NULL)
    return;

  gtk_window_present (GTK_WINDOW (confab_account_dialog_new (self)));
}

static void
room_people_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ConfabWindow *self = CONFAB_WINDOW (widget);
  gint64 room_id = g_variant_get_int64 (parameter);

  if (self->api == NULL || room_id <= 0)
    return;

  gtk_window_present (GTK_WINDOW (confab_room_people_dialog_new (GTK_WINDOW (self), self->api,
                                                                 self->user, room_id)));
}

/* Returns the lobby's room @room_id when the user may edit and delete it:
 * as its owner or as a site admin.
 */
static ConfabRoomItem *
lookup_editable_room (ConfabWindow *self,
                      gint64        room_id)
{
  ConfabRoomList *rooms = confab_lobby_page_get_room_list (self->lobby_page);
  ConfabRoomItem *item;

  if (self->api == NULL || room_id <= 0)
    return NULL;

  item = confab_room_list_lookup (rooms, room_id);
  if (item == NULL)
    return NULL;

  if (g_strcmp0 (confab_room_item_get_role (item), CONFAB_ROLE_OWNER) != 0 && !is_site_admin (self))
    return NULL;

  return item;
}

static void
room_settings_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  ConfabWindow *self = CONFAB_WINDOW (widget);
  gint64 room_id = g_variant_get_int64 (parameter);

  if (lookup_editable_room (self, room_id) == NULL)
    return;

  gtk_window_present (GTK_WINDOW (confab_room_settings_dialog_new (GTK_WINDOW (self), self->api, room_id)));
}

static void
delete_room_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ConfabWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (confab_delete_room_finish (CONFAB_API (source), result, &error))
    {
      confab_window_show_toast (self, _("Room deleted"));
      return;
    }

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    confab_window_show_toast (self, error->message);
}

static void
delete_room_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ConfabWindow *self = CONFAB_WINDOW (widget);
  ConfabRoomItem *item = lookup_editable_room (self, g_variant_get_int64 (parameter));

  if (item == NULL)
    return;

  confab_delete_room_async (GTK_WINDOW (self), self->api, confab_room_item_get_id (item),
                            confab_room_item_get_name (item), self->cancellable,
                            delete_room_cb, g_object_ref (self));
}

static void
present_invite_dialog (ConfabWindow           *self,
                       gint64                  room_id,
                       ConfabInviteDialogMode  mode)
{
  ConfabRoomList *rooms = confab_lobby_page_get_room_list (self->lobby_page);
  ConfabRoomItem *item;

  if (self->api == NULL || room_id <= 0)
    return;

  item = confab_room_list_lookup (rooms, room_id);
  if (item == NULL)
    return;

  gtk_window_present (GTK_WINDOW (confab_invite_dialog_new (GTK_WINDOW (self), self->api, item,
                                                            is_site_admin (self), mode)));
}

static void
copy_invite_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  present_invite_dialog (CONFAB_WINDOW (widget), g_variant_get_int64 (parameter),
                         CONFAB_INVITE_DIALOG_COPY);
}

static void
email_invite_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  present_invite_dialog (CONFAB_WINDOW (widget), g_variant_get_int64 (parameter),
                         CONFAB_INVITE_DIALOG_EMAIL);
}

static void
room_history_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ConfabWindow *self = CONFAB_WINDOW (widget);
  gint64 room_id = g_variant_get_int64 (parameter);

  if (self->api == NULL || room_id <= 0)
    return;

  gtk_window_present (GTK_WINDOW (confab_history_dialog_new (GTK_WINDOW (self), self->api, room_id)));
}

static void
manage_users_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ConfabWindow *self = CONFAB_WINDOW (widget);

  if (self->api == NULL)
    return;

  gtk_window_present (GTK_WINDOW (confab_users_dialog_new (GTK_WINDOW (self), self->api, self->user)));
}

static gboolean
is_in_meeting (ConfabWindow *self)
{
  return self->meeting_page != NULL
         && confab_meeting_page_is_in_meeting (CONFAB_MEETING_PAGE (self->meeting_page));
}

static gboolean
close_confirmed_cb (gpointer user_data)
{
  ConfabWindow *self = CONFAB_WINDOW (user_data);

  gtk_window_close (GTK_WINDOW (self));

  return G_SOURCE_REMOVE;
}

static void
close_dialog_response_cb (ConfabWindow     *self,
                          const char       *response,
                          AdwMessageDialog *dialog)
{
  if (!g_str_equal (response, "leave"))
    return;

  if (self->meeting_page != NULL)
    confab_meeting_page_leave (CONFAB_MEETING_PAGE (self->meeting_page));

  /* Close once the dialog is gone: it is transient for this window and
   * would touch it after the response otherwise.
   */
  self->close_confirmed = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_confirmed_cb, g_object_ref (self), g_object_unref);
}

static void
ask_to_close (ConfabWindow *self)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                        _("Leave the Meeting?"),
                                                        _("Closing Confab ends your part in the meeting.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Stay"),
                                    "leave", _("_Leave and Close"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "leave", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  gtk_widget_set_name (GTK_WIDGET (dialog), "close-confirmation");

  g_signal_connect_object (dialog, "response", G_CALLBACK (close_dialog_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
save_window_state (ConfabWindow *self)
{
  int width;
  int height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

static gboolean
confab_window_close_request (GtkWindow *window)
{
  ConfabWindow *self = CONFAB_WINDOW (window);

  if (!self->close_confirmed && is_in_meeting (self))
    {
      ask_to_close (self);
      return TRUE;
    }

  save_window_state (self);

  return GTK_WINDOW_CLASS (confab_window_parent_class)->close_request (window);
}

static void
refresh_user_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ConfabWindow) self = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  root = confab_api_request_finish (CONFAB_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* A 401 ends the session through the client's "unauthorized" signal. */
  if (error != NULL)
    {
      g_debug ("Refreshing the signed-in user failed: %s", error->message);
      return;
    }

  /* The reply belongs to a session that has ended since. */
  if (self->api != CONFAB_API (source))
    return;

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    confab_window_set_user (self, json_node_get_object (root));
}

/* A site admin role can be granted while the user is signed in, for
 * example by `confab-server --grant-admin`. "Manage Users…" is enabled
 * only for site admins, so opening the menu fetches the user again, at
 * most once per USER_REFRESH_INTERVAL_US.
 */
static void
primary_menu_show_cb (ConfabWindow *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->api == NULL)
    return;

  if (self->user_refreshed_at != 0 && now - self->user_refreshed_at < USER_REFRESH_INTERVAL_US)
    return;

  self->user_refreshed_at = now;
  confab_api_request_async (self->api, "GET", "/api/v1/me", NULL, self->cancellable,
                            refresh_user_cb, g_object_ref (self));
}

static void
confab_window_constructed (GObject *object)
{
  ConfabWindow *self = (ConfabWindow *)object;

  G_OBJECT_CLASS (confab_window_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  update_actions (self);
}

static void
confab_window_dispose (GObject *object)
{
  ConfabWindow *self = (ConfabWindow *)object;

  g_cancellable_cancel (self->cancellable);

  if (self->socket != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->socket, self);
      confab_socket_stop (self->socket);
    }

  if (self->lobby_page != NULL)
    confab_lobby_page_set_socket (self->lobby_page, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_WINDOW);
  self->meeting_page = NULL;

  G_OBJECT_CLASS (confab_window_parent_class)->dispose (object);
}

static void
confab_window_finalize (GObject *object)
{
  ConfabWindow *self = (ConfabWindow *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->socket);
  g_clear_object (&self->api);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->user, json_object_unref);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->expected_end_message, g_free);
  g_clear_pointer (&self->pending_link, confab_deep_link_free);

  G_OBJECT_CLASS (confab_window_parent_class)->finalize (object);
}

static void
confab_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ConfabWindow *self = CONFAB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  ConfabWindow *self = CONFAB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_window_class_init (ConfabWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = confab_window_constructed;
  object_class->dispose = confab_window_dispose;
  object_class->finalize = confab_window_finalize;
  object_class->get_property = confab_window_get_property;
  object_class->set_property = confab_window_set_property;

  window_class->close_request = confab_window_close_request;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CONFAB_TYPE_SIGN_IN_PAGE);
  g_type_ensure (CONFAB_TYPE_LOBBY_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/confab/Confab/ui/confab-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, sign_in_page);
  gtk_widget_class_bind_template_child (widget_class, ConfabWindow, lobby_page);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_page_signed_in_cb);

  gtk_widget_class_install_action (widget_class, "win.join-room", "x", join_room_activated);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_activated);
  gtk_widget_class_install_action (widget_class, "win.room-settings", "x", room_settings_activated);
  gtk_widget_class_install_action (widget_class, "win.delete-room", "x", delete_room_activated);
  gtk_widget_class_install_action (widget_class, "win.copy-invite", "x", copy_invite_activated);
  gtk_widget_class_install_action (widget_class, "win.email-invite", "x", email_invite_activated);
  gtk_widget_class_install_action (widget_class, "win.room-people", "x", room_people_activated);
  gtk_widget_class_install_action (widget_class, "win.room-history", "x", room_history_activated);
  gtk_widget_class_install_action (widget_class, "win.manage-users", NULL, manage_users_activated);
  gtk_widget_class_install_action (widget_class, "win.account", NULL, account_activated);
}

static void
confab_window_init (ConfabWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  g_signal_connect_object (gtk_menu_button_get_popover (self->menu_button), "show",
                           G_CALLBACK (primary_menu_show_cb), self, G_CONNECT_SWAPPED);
}

/**
 * confab_window_new:
 * @settings: the settings of this window's account; tests pass their own
 *
 * Creates the main window, which signs in with the session stored in the
 * keyring for the last account, or shows the sign-in page.
 *
 * Returns: (transfer none): the window, owned by @application
 */
ConfabWindow *
confab_window_new (ConfabApplication *application,
                   GSettings         *settings)
{
  ConfabWindow *self;

  g_return_val_if_fail (CONFAB_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (CONFAB_TYPE_WINDOW,
                       "application", application,
                       "settings", settings,
                       NULL);

  /* Not in constructed(): GtkWindow sets "application" after it. */
  resume_session (self);

  return self;
}

/**
 * confab_window_get_api:
 *
 * Returns: (transfer none) (nullable): the REST client, or %NULL while
 *   signed out
 */
ConfabApi *
confab_window_get_api (ConfabWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_WINDOW (self), NULL);

  return self->api;
}

/**
 * confab_window_get_socket:
 *
 * Returns: (transfer none) (nullable): the WebSocket, or %NULL while
 *   signed out
 */
ConfabSocket *
confab_window_get_socket (ConfabWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_WINDOW (self), NULL);

  return self->socket;
}

/**
 * confab_window_get_user:
 *
 * Returns: (transfer none) (nullable): the signed-in user as `GET
 *   /api/v1/me` returns it
 */
JsonObject *
confab_window_get_user (ConfabWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_WINDOW (self), NULL);

  return self->user;
}

/**
 * confab_window_set_user:
 * @user: the signed-in user as `GET` or `PATCH /api/v1/me` returned it
 *
 * Replaces the signed-in user after a profile change or a refresh, shows
 * the new name in the header bar and enables the actions of the user's
 * site admin role. A meeting already open keeps the old name.
 */
void
confab_window_set_user (ConfabWindow *self,
                        JsonObject   *user)
{
  g_return_if_fail (CONFAB_IS_WINDOW (self));
  g_return_if_fail (user != NULL);

  if (self->api == NULL)
    return;

  g_clear_pointer (&self->user, json_object_unref);
  self->user = json_object_ref (user);
  adw_window_title_set_subtitle (self->window_title, confab_json_get_string (user, "name"));
  update_actions (self);
}

/**
 * confab_window_end_session:
 * @message: why, for the user
 *
 * Returns to sign-in after the user had the server end this window's
 * session, for example by signing out everywhere, and removes the session
 * from the keyring. @message is shown as information, not as an error.
 * When the window has already returned to sign-in, only the message changes.
 */
/**
 * confab_window_expect_session_end:
 * @message: (nullable): what to tell the user, or %NULL when the request
 *   that would end the session failed
 *
 * Tells the window that the user asked the server to end this session, so
 * that when the server's close comes before the reply, sign-in shows
 * @message rather than the server's reason.
 */
void
confab_window_expect_session_end (ConfabWindow *self,
                                  const char   *message)
{
  g_return_if_fail (CONFAB_IS_WINDOW (self));

  g_free (self->expected_end_message);
  self->expected_end_message = g_strdup (message);
}

void
confab_window_end_session (ConfabWindow *self,
                           const char   *message)
{
  g_return_if_fail (CONFAB_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  if (self->api != NULL)
    end_session (self, message, FALSE);

  confab_sign_in_page_set_message (self->sign_in_page, message, FALSE);
}

/**
 * confab_window_get_settings:
 *
 * Returns: (transfer none): the window's settings
 */
GSettings *
confab_window_get_settings (ConfabWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_WINDOW (self), NULL);

  return self->settings;
}

void
confab_window_show_toast (ConfabWindow *self,
                          const char   *text)
{
  AdwToast *toast;

  g_return_if_fail (CONFAB_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * confab_window_show_message:
 * @heading: a short title
 * @body: the full message, which wraps
 *
 * Shows a message dialog over the window, for messages that tell the user
 * what happened and what to do, which a one-line toast would cut off.
 */
void
confab_window_show_message (ConfabWindow *self,
                            const char   *heading,
                            const char   *body)
{
  AdwMessageDialog *dialog;

  g_return_if_fail (CONFAB_IS_WINDOW (self));
  g_return_if_fail (heading != NULL);
  g_return_if_fail (body != NULL);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  adw_message_dialog_set_default_response (dialog, "close");
  adw_message_dialog_set_close_response (dialog, "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * confab_window_use_server:
 * @server_url: a URL checked by confab_server_url_normalize()
 *
 * Puts @server_url into the sign-in page, for a second `confab --server`
 * while signed out. A signed-in window keeps its server.
 */
void
confab_window_use_server (ConfabWindow *self,
                          const char   *server_url)
{
  g_return_if_fail (CONFAB_IS_WINDOW (self));
  g_return_if_fail (server_url != NULL);

  if (self->api != NULL)
    return;

  confab_sign_in_page_set_server_url (self->sign_in_page, server_url);
}

/**
 * confab_window_get_page_name:
 *
 * Returns: the visible page: "loading", "sign-in", "lobby" or "room"
 */
const char *
confab_window_get_page_name (ConfabWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * confab_window_get_meeting_page:
 *
 * Returns: (transfer none) (nullable): the meeting page while a room is open
 */
GtkWidget *
confab_window_get_meeting_page (ConfabWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_WINDOW (self), NULL);

  return self->meeting_page;
}

/**
 * confab_window_open_link:
 * @uri: a confab://join/ link
 *
 * Takes the user to the link's room: at once when signed in to its server,
 * or right after sign-in. A malformed link, a link to another server and an
 * unknown room each get a message that names the problem.
 */
void
confab_window_open_link (ConfabWindow *self,
                         const char   *uri)
{
  g_autoptr(ConfabDeepLink) link = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CONFAB_IS_WINDOW (self));
  g_return_if_fail (uri != NULL);

  link = confab_deep_link_parse (uri, &error);
  if (link == NULL)
    {
      g_message ("Ignoring a malformed confab:// link");
      confab_window_show_message (self, _("Cannot Open the Link"), error->message);
      return;
    }

  if (self->api != NULL)
    {
      follow_link (self, link);
      return;
    }

  /* NOTE: while a stored session resumes, the hint goes to the hidden
   * sign-in page. A resume that fails replaces it with its own message,
   * and the link is still followed after sign-in.
   */
  keep_link_for_sign_in (self, g_steal_pointer (&link));
}
