/* test-account.c: the account dialog and sessions that end, in real
 * windows against the real confab-server on loopback
 */
#define G_LOG_DOMAIN "confab-test"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <libsecret/secret.h>

#include "cfs-test-server.h"

#include "confab-application.h"
#include "confab-json.h"
#include "confab-session-store.h"
#include "confab-sign-in-page.h"
#include "confab-test-util.h"
#include "confab-window.h"

#define TIMEOUT_MS CONFAB_TEST_TIMEOUT_MS

#define OWN_SIGN_OUT_MESSAGE "You signed out everywhere. Every device, this one included, must sign in again."
#define SIGNED_OUT_EVERYWHERE "Your account was signed out on every device. Sign in again."
#define ACCOUNT_DISABLED "Your account was disabled by a site admin. Ask a site admin to enable it again."
#define REST_SIGNED_OUT "You were signed out on this device. Sign in again."

static ConfabApplication *application;

typedef struct {
  CfsTestServer *server;
  GSettings     *settings;
  ConfabWindow  *window;
  gint64         ada_id;
} Fixture;

/* Helpers */

static GtkWidget *
find_in (GtkWidget  *root,
         const char *buildable_id)
{
  GtkWidget *widget = confab_test_find_by_id (root, buildable_id);

  g_assert_nonnull (widget);
  return widget;
}

static const char *
sign_in_message (ConfabWindow *window)
{
  ConfabSignInPage *page = CONFAB_SIGN_IN_PAGE (find_in (GTK_WIDGET (window), "sign_in_page"));

  return confab_sign_in_page_get_message (page);
}

static const char *
window_subtitle (ConfabWindow *window)
{
  return adw_window_title_get_subtitle (ADW_WINDOW_TITLE (find_in (GTK_WIDGET (window), "window_title")));
}

static gboolean
socket_is_connected (ConfabWindow *window)
{
  ConfabSocket *socket = confab_window_get_socket (window);

  return socket != NULL && confab_socket_get_state (socket) == CONFAB_SOCKET_CONNECTED;
}

/* Signs in and waits for the WebSocket, so that the server ends the
 * session with a 4001 close rather than with a 401 on the upgrade.
 */
static void
sign_in_as_ada (ConfabWindow *window)
{
  confab_test_sign_in (window, "ada@example.org", "password-Ada");
  CONFAB_TEST_WAIT_UNTIL (socket_is_connected (window), TIMEOUT_MS);
}

static GtkWidget *
get_account_dialog (void)
{
  return confab_test_find_toplevel ("ConfabAccountDialog");
}

static GtkWidget *
open_account_dialog (ConfabWindow *window)
{
  GtkWidget *dialog;

  g_assert_null (get_account_dialog ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.account", NULL));

  CONFAB_TEST_WAIT_UNTIL (confab_test_is_showing (get_account_dialog ()), TIMEOUT_MS);
  dialog = get_account_dialog ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));

  return dialog;
}

/* Returns the text of a status label, or NULL while it is hidden. */
static const char *
status_text (GtkWidget  *dialog,
             const char *label_id)
{
  GtkWidget *label = find_in (dialog, label_id);

  if (!confab_test_is_showing (label))
    return NULL;

  return gtk_label_get_text (GTK_LABEL (label));
}

static gboolean
status_is (GtkWidget  *dialog,
           const char *label_id,
           const char *text)
{
  return g_strcmp0 (status_text (dialog, label_id), text) == 0;
}

static const char *
entry_text (GtkWidget  *dialog,
            const char *row_id)
{
  return gtk_editable_get_text (GTK_EDITABLE (find_in (dialog, row_id)));
}

static void
type_into (GtkWidget  *dialog,
           const char *row_id,
           const char *text)
{
  confab_test_type (find_in (dialog, row_id), text);
}

/* Returns GET /api/v1/me as @token's user, asserting 200. */
static JsonNode *
get_me (CfsTestServer *server,
        const char    *token)
{
  guint status = 0;
  JsonNode *me = cfs_test_request (server, "GET", "/api/v1/me", token, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  return me;
}

static guint
get_me_status (CfsTestServer *server,
               const char    *token)
{
  g_autoptr(JsonNode) me = NULL;
  guint status = 0;

  me = cfs_test_request (server, "GET", "/api/v1/me", token, NULL, &status);
  return status;
}

static gboolean
keyring_has_item (const char *server_url,
                  const char *email)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = secret_password_lookup_sync (confab_session_store_get_schema (), NULL, &error,
                                       "server", server_url,
                                       "email", email,
                                       NULL);
  g_assert_no_error (error);

  return token != NULL;
}

static gboolean
websocket_is_closed (SoupWebsocketConnection *ws)
{
  return soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_CLOSED;
}

/* Fixtures */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *token = NULL;

  fixture->server = cfs_test_server_start (NULL);
  fixture->settings = confab_test_new_settings (cfs_test_server_get_url (fixture->server));
  token = cfs_test_register (fixture->server, "Ada", "ada@example.org", &fixture->ada_id);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  confab_test_close_window (fixture->window);
  g_clear_object (&fixture->settings);
  g_clear_pointer (&fixture->server, cfs_test_server_free);
}

/* Tests */

static void
test_profile_saves_name_and_avatar (Fixture       *fixture,
                                    gconstpointer  data)
{
  CfsTestServer *server = fixture->server;
  g_autofree char *token = NULL;
  g_autoptr(JsonNode) renamed = NULL;
  g_autoptr(JsonNode) rejected = NULL;
  g_autoptr(JsonNode) cleared = NULL;
  GtkWidget *dialog;
  JsonObject *me;
  guint status = 0;

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  sign_in_as_ada (fixture->window);
  g_assert_cmpstr (window_subtitle (fixture->window), ==, "Ada");
  token = cfs_test_login (server, "ada@example.org", "password-Ada", &status);
  g_assert_cmpuint (status, ==, 200);

  dialog = open_account_dialog (fixture->window);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find_in (dialog, "email_row"))), ==,
                   "ada@example.org");
  g_assert_cmpstr (entry_text (dialog, "name_row"), ==, "Ada");
  g_assert_cmpstr (entry_text (dialog, "avatar_row"), ==, "");
  g_assert_false (gtk_widget_get_sensitive (find_in (dialog, "save_button")));

  /* Name and avatar reach the server, the header bar and the window's user. */
  type_into (dialog, "name_row", "Ada King");
  type_into (dialog, "avatar_row", "https://example.org/ada.png");
  confab_test_click (confab_test_find_button (dialog, "Save Profile"));
  CONFAB_TEST_WAIT_UNTIL (status_is (dialog, "profile_status_label", "Profile saved."), TIMEOUT_MS);

  renamed = get_me (server, token);
  me = cfs_test_get_object (renamed);
  g_assert_cmpstr (confab_json_get_string (me, "name"), ==, "Ada King");
  g_assert_cmpstr (confab_json_get_string (me, "avatar_url"), ==, "https://example.org/ada.png");
  g_assert_cmpstr (window_subtitle (fixture->window), ==, "Ada King");
  g_assert_cmpstr (confab_json_get_string (confab_window_get_user (fixture->window), "name"), ==, "Ada King");
  g_assert_false (gtk_widget_get_sensitive (find_in (dialog, "save_button")));

  /* A URL that is not http or https is rejected before sending. */
  type_into (dialog, "avatar_row", "ftp://example.org/ada.png");
  confab_test_click (confab_test_find_button (dialog, "Save Profile"));
  g_assert_nonnull (status_text (dialog, "profile_status_label"));
  g_assert_nonnull (strstr (status_text (dialog, "profile_status_label"), "“ftp://example.org/ada.png”"));
  g_assert_true (gtk_widget_has_css_class (find_in (dialog, "profile_status_label"), "error"));
  g_assert_cmpstr (entry_text (dialog, "avatar_row"), ==, "ftp://example.org/ada.png");
  rejected = get_me (server, token);
  g_assert_cmpstr (confab_json_get_string (cfs_test_get_object (rejected), "avatar_url"), ==,
                   "https://example.org/ada.png");

  /* An empty field removes the avatar. */
  type_into (dialog, "avatar_row", "");
  confab_test_click (confab_test_find_button (dialog, "Save Profile"));
  CONFAB_TEST_WAIT_UNTIL (status_is (dialog, "profile_status_label", "Profile saved."), TIMEOUT_MS);
  cleared = get_me (server, token);
  me = cfs_test_get_object (cleared);
  g_assert_true (json_object_has_member (me, "avatar_url"));
  g_assert_true (json_object_get_null_member (me, "avatar_url"));
  g_assert_cmpstr (confab_json_get_string (me, "name"), ==, "Ada King");
}

static void
test_password_change_ends_other_sessions (Fixture       *fixture,
                                          gconstpointer  data)
{
  CfsTestServer *server = fixture->server;
  g_autofree char *window_token = NULL;
  g_autofree char *other_token = NULL;
  g_autofree char *check_token = NULL;
  g_autofree char *new_token = NULL;
  g_autofree char *old_token = NULL;
  g_autoptr(SoupWebsocketConnection) other_ws = NULL;
  GtkWidget *dialog;
  guint status = 0;

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  sign_in_as_ada (fixture->window);
  window_token = g_strdup (confab_api_get_token (confab_window_get_api (fixture->window)));

  /* A second session of Ada's, with its WebSocket, as another device. */
  other_token = cfs_test_login (server, "ada@example.org", "password-Ada", &status);
  g_assert_cmpuint (status, ==, 200);
  other_ws = cfs_test_ws_connect (server, other_token);

  dialog = open_account_dialog (fixture->window);

  /* A confirmation that differs is caught before sending. */
  type_into (dialog, "current_password_row", "password-Ada");
  type_into (dialog, "new_password_row", "new password 1");
  type_into (dialog, "confirm_password_row", "new password 2");
  confab_test_click (confab_test_find_button (dialog, "Change Password"));
  g_assert_cmpstr (status_text (dialog, "password_status_label"), ==,
                   "The new password and its confirmation differ. Type the same password twice.");

  /* So is a short new password. */
  type_into (dialog, "new_password_row", "short");
  type_into (dialog, "confirm_password_row", "short");
  confab_test_click (confab_test_find_button (dialog, "Change Password"));
  g_assert_cmpstr (status_text (dialog, "password_status_label"), ==,
                   "Choose a new password of at least 8 characters.");

  check_token = cfs_test_login (server, "ada@example.org", "password-Ada", &status);
  g_assert_cmpuint (status, ==, 200);

  /* A wrong current password shows the server's message and keeps the form. */
  type_into (dialog, "current_password_row", "wrong password");
  type_into (dialog, "new_password_row", "new password 1");
  type_into (dialog, "confirm_password_row", "new password 1");
  confab_test_click (confab_test_find_button (dialog, "Change Password"));
  CONFAB_TEST_WAIT_UNTIL (status_is (dialog, "password_status_label",
                                     "The current password is wrong: type the password the account has now."),
                          TIMEOUT_MS);
  g_assert_true (gtk_widget_has_css_class (find_in (dialog, "password_status_label"), "error"));
  g_assert_cmpstr (entry_text (dialog, "current_password_row"), ==, "wrong password");
  g_assert_cmpstr (entry_text (dialog, "new_password_row"), ==, "new password 1");
  g_assert_cmpstr (entry_text (dialog, "confirm_password_row"), ==, "new password 1");
  g_assert_true (gtk_widget_is_sensitive (find_in (dialog, "change_password_button")));
  g_assert_false (websocket_is_closed (other_ws));

  /* The right one changes it and ends the other sessions only. */
  type_into (dialog, "current_password_row", "password-Ada");
  confab_test_click (confab_test_find_button (dialog, "Change Password"));
  CONFAB_TEST_WAIT_UNTIL (status_is (dialog, "password_status_label",
                                     "Password changed. Your other devices were signed out."),
                          TIMEOUT_MS);
  g_assert_cmpstr (entry_text (dialog, "current_password_row"), ==, "");
  g_assert_cmpstr (entry_text (dialog, "new_password_row"), ==, "");
  g_assert_cmpstr (entry_text (dialog, "confirm_password_row"), ==, "");

  CONFAB_TEST_WAIT_UNTIL (websocket_is_closed (other_ws), TIMEOUT_MS);
  g_assert_cmpint (soup_websocket_connection_get_close_code (other_ws), ==, 4001);
  g_assert_cmpuint (get_me_status (server, other_token), ==, 401);
  g_assert_cmpuint (get_me_status (server, check_token), ==, 401);

  g_assert_cmpuint (get_me_status (server, window_token), ==, 200);
  g_assert_true (confab_test_window_shows_page (fixture->window, "lobby"));
  g_assert_nonnull (confab_window_get_api (fixture->window));
  g_assert_true (get_account_dialog () == dialog);

  new_token = cfs_test_login (server, "ada@example.org", "new password 1", &status);
  g_assert_cmpuint (status, ==, 200);
  old_token = cfs_test_login (server, "ada@example.org", "password-Ada", &status);
  g_assert_cmpuint (status, ==, 401);
}

static void
test_sign_out_everywhere_ends_both_windows (Fixture       *fixture,
                                            gconstpointer  data)
{
  CfsTestServer *server = fixture->server;
  const char *url = cfs_test_server_get_url (server);
  g_autoptr(GSettings) other_settings = confab_test_new_settings (url);
  g_autofree char *token_a = NULL;
  g_autofree char *token_b = NULL;
  ConfabWindow *other = NULL;
  GtkWidget *dialog;
  GtkWidget *confirmation;

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  sign_in_as_ada (fixture->window);
  token_a = g_strdup (confab_api_get_token (confab_window_get_api (fixture->window)));

  confab_test_open_tracked_window (application, other_settings, &other);
  sign_in_as_ada (other);
  token_b = g_strdup (confab_api_get_token (confab_window_get_api (other)));
  g_assert_cmpstr (token_a, !=, token_b);
  CONFAB_TEST_WAIT_UNTIL (keyring_has_item (url, "ada@example.org"), TIMEOUT_MS);

  dialog = open_account_dialog (fixture->window);

  /* Cancelling the confirmation keeps every session. */
  confab_test_click (confab_test_find_button (dialog, "Sign Out Everywhere…"));
  CONFAB_TEST_WAIT_UNTIL (confab_test_is_showing (confab_test_find_toplevel ("AdwMessageDialog")), TIMEOUT_MS);
  confirmation = confab_test_find_toplevel ("AdwMessageDialog");
  g_assert_nonnull (confab_test_find_label_containing (confirmation, "this one included"));
  confab_test_click (confab_test_find_button (confirmation, "Cancel"));
  CONFAB_TEST_WAIT_UNTIL (confab_test_find_toplevel ("AdwMessageDialog") == NULL, TIMEOUT_MS);
  g_assert_cmpuint (get_me_status (server, token_a), ==, 200);

  confab_test_click (confab_test_find_button (dialog, "Sign Out Everywhere…"));
  CONFAB_TEST_WAIT_UNTIL (confab_test_is_showing (confab_test_find_toplevel ("AdwMessageDialog")), TIMEOUT_MS);
  confirmation = confab_test_find_toplevel ("AdwMessageDialog");
  confab_test_click (confab_test_find_button (confirmation, "Sign Out Everywhere"));

  /* Both windows return to sign-in, each with its message. */
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "sign-in"), TIMEOUT_MS);
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (other, "sign-in"), TIMEOUT_MS);
  CONFAB_TEST_WAIT_UNTIL (get_account_dialog () == NULL, TIMEOUT_MS);
  g_assert_cmpstr (sign_in_message (fixture->window), ==, OWN_SIGN_OUT_MESSAGE);
  g_assert_cmpstr (sign_in_message (other), ==, SIGNED_OUT_EVERYWHERE);
  g_assert_null (confab_window_get_api (fixture->window));
  g_assert_null (confab_window_get_api (other));

  g_assert_cmpuint (get_me_status (server, token_a), ==, 401);
  g_assert_cmpuint (get_me_status (server, token_b), ==, 401);
  CONFAB_TEST_WAIT_UNTIL (!keyring_has_item (url, "ada@example.org"), TIMEOUT_MS);

  confab_test_close_window (other);
}

/* An admin disables the account: the window returns to sign-in with the
 * reason and the account dialog closes.
 */
static void
test_disabled_account_returns_to_sign_in (Fixture       *fixture,
                                          gconstpointer  data)
{
  CfsTestServer *server = fixture->server;
  const char *create_admin[] = { "--create-user", "root@example.org", "--name", "Root", "--admin", NULL };
  g_autofree char *output = NULL;
  g_autofree char *root_token = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  g_assert_cmpint (cfs_test_server_run_command (server, create_admin, "root password 123\n", &output), ==, 0);
  root_token = cfs_test_login (server, "root@example.org", "root password 123", &status);
  g_assert_cmpuint (status, ==, 200);

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  sign_in_as_ada (fixture->window);
  open_account_dialog (fixture->window);

  path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, fixture->ada_id);
  reply = cfs_test_request (server, "PATCH", path, root_token, "{\"disabled\": true}", &status);
  g_assert_cmpuint (status, ==, 200);

  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "sign-in"), TIMEOUT_MS);
  CONFAB_TEST_WAIT_UNTIL (get_account_dialog () == NULL, TIMEOUT_MS);
  g_assert_cmpstr (sign_in_message (fixture->window), ==, ACCOUNT_DISABLED);
  CONFAB_TEST_WAIT_UNTIL (!keyring_has_item (cfs_test_server_get_url (server), "ada@example.org"),
                          TIMEOUT_MS);
}

/* A REST reply of 401 while the WebSocket is down, so that no 4001 close
 * came first, also returns to sign-in with a message for the user.
 */
static void
test_rest_401_returns_to_sign_in (Fixture       *fixture,
                                  gconstpointer  data)
{
  CfsTestServer *server = fixture->server;
  g_autofree char *window_token = NULL;
  g_autoptr(JsonNode) reply = NULL;
  GtkWidget *dialog;
  guint status = 0;

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  sign_in_as_ada (fixture->window);
  window_token = g_strdup (confab_api_get_token (confab_window_get_api (fixture->window)));
  dialog = open_account_dialog (fixture->window);

  confab_socket_stop (confab_window_get_socket (fixture->window));
  reply = cfs_test_request (server, "POST", "/api/v1/auth/logout", window_token, NULL, &status);
  g_assert_cmpuint (status, ==, 204);

  type_into (dialog, "name_row", "Ada King");
  confab_test_click (confab_test_find_button (dialog, "Save Profile"));

  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "sign-in"), TIMEOUT_MS);
  CONFAB_TEST_WAIT_UNTIL (get_account_dialog () == NULL, TIMEOUT_MS);
  g_assert_cmpstr (sign_in_message (fixture->window), ==, REST_SIGNED_OUT);
  CONFAB_TEST_WAIT_UNTIL (!keyring_has_item (cfs_test_server_get_url (server), "ada@example.org"),
                          TIMEOUT_MS);
}

/* A site admin role granted while signed in shows in the primary menu
 * once it opens, without signing in again.
 */
static void
test_menu_refreshes_admin_role (Fixture       *fixture,
                                gconstpointer  data)
{
  const char *grant_admin[] = { "--grant-admin", "ada@example.org", NULL };
  g_autofree char *output = NULL;
  GtkWidget *menu_button;
  GtkWidget *probe = gtk_button_new ();
  gboolean is_admin = FALSE;

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  sign_in_as_ada (fixture->window);

  /* A button's sensitivity follows whether its action is enabled. */
  gtk_actionable_set_action_name (GTK_ACTIONABLE (probe), "win.manage-users");
  adw_header_bar_pack_start (ADW_HEADER_BAR (find_in (GTK_WIDGET (fixture->window), "header_bar")), probe);
  g_assert_false (gtk_widget_get_sensitive (probe));

  g_assert_cmpint (cfs_test_server_run_command (fixture->server, grant_admin, NULL, &output), ==, 0);

  menu_button = find_in (GTK_WIDGET (fixture->window), "menu_button");
  gtk_menu_button_popup (GTK_MENU_BUTTON (menu_button));
  CONFAB_TEST_WAIT_UNTIL (gtk_widget_get_sensitive (probe), TIMEOUT_MS);
  g_assert_true (confab_json_get_boolean (confab_window_get_user (fixture->window), "is_admin", &is_admin));
  g_assert_true (is_admin);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (menu_button));
}

/* Returns whether @widget lies inside the visible part of @dialog's page. */
static gboolean
is_scrolled_into_view (GtkWidget *dialog,
                       GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  g_assert_nonnull (scrolled);
  if (!gtk_widget_compute_bounds (widget, scrolled, &bounds))
    return FALSE;

  return bounds.origin.y >= 0 && bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scrolled);
}

/* A section's status shows next to its button, scrolled into view, and
 * goes away when the section's fields change.
 */
static void
test_status_visible_and_cleared (Fixture       *fixture,
                                 gconstpointer  data)
{
  GtkWidget *dialog;
  GtkWidget *label;

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
  sign_in_as_ada (fixture->window);
  dialog = open_account_dialog (fixture->window);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 480, 400);
  CONFAB_TEST_WAIT_UNTIL (gtk_widget_get_height (dialog) <= 400, TIMEOUT_MS);

  /* Return in the last field with a mismatch, while the section's end is
   * below the visible part of the page.
   */
  type_into (dialog, "current_password_row", "password-Ada");
  type_into (dialog, "new_password_row", "new password 1");
  type_into (dialog, "confirm_password_row", "new password 2");
  g_signal_emit_by_name (find_in (dialog, "confirm_password_row"), "entry-activated");
  label = find_in (dialog, "password_status_label");
  g_assert_cmpstr (status_text (dialog, "password_status_label"), ==,
                   "The new password and its confirmation differ. Type the same password twice.");
  CONFAB_TEST_WAIT_UNTIL (is_scrolled_into_view (dialog, label), TIMEOUT_MS);

  type_into (dialog, "confirm_password_row", "new password 1");
  g_assert_null (status_text (dialog, "password_status_label"));

  /* "Profile saved." goes when the name changes again. */
  type_into (dialog, "name_row", "Ada King");
  confab_test_click (confab_test_find_button (dialog, "Save Profile"));
  CONFAB_TEST_WAIT_UNTIL (status_is (dialog, "profile_status_label", "Profile saved."), TIMEOUT_MS);
  type_into (dialog, "name_row", "Ada Lovelace");
  g_assert_null (status_text (dialog, "profile_status_label"));

  /* An avatar URL error goes when the field is emptied. */
  type_into (dialog, "avatar_row", "ftp://example.org/ada.png");
  confab_test_click (confab_test_find_button (dialog, "Save Profile"));
  g_assert_nonnull (status_text (dialog, "profile_status_label"));
  type_into (dialog, "avatar_row", "");
  g_assert_null (status_text (dialog, "profile_status_label"));
}

int
main (int   argc,
      char *argv[])
{
  application = confab_test_init_application (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/client/account/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("profile-saves-name-and-avatar", test_profile_saves_name_and_avatar);
  ADD ("password-change-ends-other-sessions", test_password_change_ends_other_sessions);
  ADD ("sign-out-everywhere-ends-both-windows", test_sign_out_everywhere_ends_both_windows);
  ADD ("disabled-account-returns-to-sign-in", test_disabled_account_returns_to_sign_in);
  ADD ("rest-401-returns-to-sign-in", test_rest_401_returns_to_sign_in);
  ADD ("menu-refreshes-admin-role", test_menu_refreshes_admin_role);
  ADD ("status-visible-and-cleared", test_status_visible_and_cleared);

#undef ADD

  return confab_test_run (&application);
}
