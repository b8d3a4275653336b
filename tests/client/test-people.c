/* test-people.c: the room people dialog (moderators and bans) and the
 * site admin's users dialog, in real windows against the real
 * confab-server on loopback
 */
#define G_LOG_DOMAIN "confab-test"

#include "config.h"

#include <adwaita.h>

#include "cfs-test-server.h"
#include "confab-application.h"
#include "confab-json.h"
#include "confab-protocol.h"
#include "confab-test-util.h"
#include "confab-window.h"

#define TIMEOUT_MS CONFAB_TEST_TIMEOUT_MS

#define CLOSED_REGISTRATION "[accounts]\nregistration=closed\n"

static ConfabApplication *application;

typedef struct {
  CfsTestServer *server;
  GSettings     *settings;
  ConfabWindow  *window;
} Fixture;

/* Helpers */

static JsonObject *
join_room (SoupWebsocketConnection *ws,
           gint64                   room_id,
           const char              *expected_type)
{
  g_autofree char *json = g_strdup_printf ("{\"type\": \"joinRoom\", \"roomId\": %" G_GINT64_FORMAT "}",
                                           room_id);

  return cfs_test_ws_request (ws, json, expected_type);
}

static guint
request_status (CfsTestServer *server,
                const char    *method,
                const char    *path,
                const char    *token,
                const char    *body)
{
  guint status = 0;
  g_autoptr(JsonNode) response = cfs_test_request (server, method, path, token, body, &status);

  return status;
}

/* Returns the role of @token's user in @room_id, as GET /rooms/{id} returns it. */
static char *
get_role (CfsTestServer *server,
          const char    *token,
          gint64         room_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT, room_id);
  guint status = 0;
  g_autoptr(JsonNode) room = cfs_test_request (server, "GET", path, token, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  return g_strdup (json_object_get_string_member (cfs_test_get_object (room), "role"));
}

static gboolean
role_is (CfsTestServer *server,
         const char    *token,
         gint64         room_id,
         const char    *role)
{
  g_autofree char *current = get_role (server, token, room_id);

  return g_strcmp0 (current, role) == 0;
}

static GtkWidget *
open_people_dialog (ConfabWindow *window,
                    gint64        room_id)
{
  GtkWidget *dialog;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.room-people", "x", room_id);
  CONFAB_TEST_WAIT_UNTIL ((dialog = confab_test_find_toplevel ("ConfabRoomPeopleDialog")) != NULL, TIMEOUT_MS);
  CONFAB_TEST_WAIT_UNTIL (g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (confab_test_find_by_id (dialog, "stack"))),
                                     "people") == 0,
                          TIMEOUT_MS);

  return dialog;
}

/* Returns the first button labelled @label in @group_id of @dialog. */
static GtkWidget *
find_group_button (GtkWidget  *dialog,
                   const char *group_id,
                   const char *label)
{
  GtkWidget *group = confab_test_find_by_id (dialog, group_id);

  g_assert_nonnull (group);
  return confab_test_find_button (group, label);
}

static gboolean
group_shows_label (GtkWidget  *dialog,
                   const char *group_id,
                   const char *text)
{
  GtkWidget *group = confab_test_find_by_id (dialog, group_id);
  GtkWidget *label = confab_test_find_label_containing (group, text);

  return confab_test_is_showing (label);
}

/* Creates the site admin Root from the command line, as docs/admin.md
 * describes for the first admin.
 */
static void
create_site_admin (CfsTestServer *server)
{
  const char *args[] = { "--create-user", "root@example.org", "--name", "Root", "--admin", NULL };
  g_autofree char *output = NULL;

  g_assert_cmpint (cfs_test_server_run_command (server, args, "root password 123\n", &output), ==, 0);
}

static char *
login (CfsTestServer *server,
       const char    *email,
       const char    *password,
       guint          expected_status)
{
  guint status = 0;
  char *token = cfs_test_login (server, email, password, &status);

  g_assert_cmpuint (status, ==, expected_status);
  return token;
}

static GtkWidget *
open_users_dialog (ConfabWindow *window)
{
  GtkWidget *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.manage-users", NULL));
  CONFAB_TEST_WAIT_UNTIL ((dialog = confab_test_find_toplevel ("ConfabUsersDialog")) != NULL, TIMEOUT_MS);
  CONFAB_TEST_WAIT_UNTIL (group_shows_label (dialog, "users_group", "root@example.org"), TIMEOUT_MS);

  return dialog;
}

/* Returns the row of the account named @name in the users dialog. */
static GtkWidget *
find_user_row (GtkWidget  *dialog,
               const char *name)
{
  GtkWidget *group = confab_test_find_by_id (dialog, "users_group");
  GtkWidget *label = confab_test_find_label (group, name);

  if (label == NULL)
    return NULL;

  return gtk_widget_get_ancestor (label, ADW_TYPE_ACTION_ROW);
}

static gboolean
is_closed (SoupWebsocketConnection *ws)
{
  return soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_CLOSED;
}

/* Fixtures */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = cfs_test_server_start (data);
  fixture->settings = confab_test_new_browser_settings (cfs_test_server_get_url (fixture->server));
  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
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
test_lift_ban_lets_user_join (Fixture       *fixture,
                              gconstpointer  data)
{
  gint64 bob_id = 0;
  g_autofree char *ada = cfs_test_register (fixture->server, "Ada", "ada@example.org", NULL);
  g_autofree char *bob = cfs_test_register (fixture->server, "Bob", "bob@example.org", &bob_id);
  gint64 room_id = cfs_test_create_room (fixture->server, ada, "Weekly Sync", 10);
  g_autofree char *ban_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/bans/%" G_GINT64_FORMAT,
                                               room_id, bob_id);
  g_autofree char *token_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/token", room_id);
  g_autoptr(SoupWebsocketConnection) bob_ws = cfs_test_ws_connect (fixture->server, bob);
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(JsonObject) joined = NULL;
  GtkWidget *dialog;

  g_assert_cmpuint (request_status (fixture->server, "PUT", ban_path, ada,
                                    "{\"reason\": \"spam\"}"), ==, 204);
  refused = join_room (bob_ws, room_id, CONFAB_MSG_ERROR);
  g_assert_cmpstr (json_object_get_string_member (refused, "code"), ==, CONFAB_ERR_BANNED);

  confab_test_sign_in (fixture->window, "ada@example.org", "password-Ada");
  dialog = open_people_dialog (fixture->window, room_id);

  /* The ban row shows the user, the host who banned them, the reason and the end. */
  g_assert_true (group_shows_label (dialog, "bans_group", "Bob"));
  g_assert_true (group_shows_label (dialog, "bans_group", "Banned by Ada, until lifted: spam"));

  confab_test_click (find_group_button (dialog, "bans_group", "Lift Ban"));
  CONFAB_TEST_WAIT_UNTIL (group_shows_label (dialog, "bans_group", "No one is banned"), TIMEOUT_MS);

  /* Bob takes a seat and gets a meeting token again. */
  joined = join_room (bob_ws, room_id, CONFAB_MSG_ROOM_STATE);
  g_assert_cmpint (json_object_get_int_member (joined, "roomId"), ==, room_id);
  g_assert_cmpuint (request_status (fixture->server, "POST", token_path, bob, NULL), ==, 200);
}

static void
test_grant_and_revoke_moderator (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *ada = cfs_test_register (fixture->server, "Ada", "ada@example.org", NULL);
  g_autofree char *bob = cfs_test_register (fixture->server, "Bob", "bob@example.org", NULL);
  gint64 room_id = cfs_test_create_room (fixture->server, ada, "Weekly Sync", 10);
  g_autoptr(SoupWebsocketConnection) bob_ws = cfs_test_ws_connect (fixture->server, bob);
  g_autoptr(JsonObject) joined = join_room (bob_ws, room_id, CONFAB_MSG_ROOM_STATE);
  GtkWidget *dialog;

  /* Bob attended a meeting of the room, so he is a candidate. */
  cfs_test_ws_leave_room (bob_ws, room_id);

  confab_test_sign_in (fixture->window, "ada@example.org", "password-Ada");
  dialog = open_people_dialog (fixture->window, room_id);
  g_assert_true (group_shows_label (dialog, "moderators_group", "No moderators yet"));
  g_assert_true (group_shows_label (dialog, "candidates_group", "Bob"));
  g_assert_null (confab_test_find_label_containing (confab_test_find_by_id (dialog, "candidates_group"), "Ada"));

  confab_test_click (find_group_button (dialog, "candidates_group", "Make Moderator"));
  CONFAB_TEST_WAIT_UNTIL (confab_test_is_showing (find_group_button (dialog, "moderators_group", "Revoke")),
                          TIMEOUT_MS);
  g_assert_true (role_is (fixture->server, bob, room_id, CONFAB_ROLE_MODERATOR));
  g_assert_true (group_shows_label (dialog, "candidates_group", "No one to add"));

  confab_test_click (find_group_button (dialog, "moderators_group", "Revoke"));
  CONFAB_TEST_WAIT_UNTIL (confab_test_is_showing (find_group_button (dialog, "candidates_group", "Make Moderator")),
                          TIMEOUT_MS);
  g_assert_true (role_is (fixture->server, bob, room_id, CONFAB_ROLE_MEMBER));
  g_assert_true (group_shows_label (dialog, "moderators_group", "No moderators yet"));
}

static void
test_admin_creates_account (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *carol = NULL;
  GtkWidget *dialog;

  create_site_admin (fixture->server);
  g_assert_cmpuint (request_status (fixture->server, "POST", "/api/v1/auth/register", NULL,
                                    "{\"name\": \"Carol\", \"email\": \"carol@example.org\", "
                                    "\"password\": \"carol password\"}"), ==, 403);

  confab_test_sign_in (fixture->window, "root@example.org", "root password 123");
  dialog = open_users_dialog (fixture->window);

  /* A short password is caught before anything is sent, in the form's words. */
  confab_test_type (confab_test_find_by_id (dialog, "name_row"), "Carol");
  confab_test_type (confab_test_find_by_id (dialog, "email_row"), "carol@example.org");
  confab_test_type (confab_test_find_by_id (dialog, "password_row"), "abc");
  confab_test_click (confab_test_find_button (dialog, "Create Account"));
  CONFAB_TEST_WAIT_UNTIL (confab_test_is_showing (confab_test_find_by_id (dialog, "error_label")), TIMEOUT_MS);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (confab_test_find_by_id (dialog, "error_label"))), ==,
                   "“Initial Password” is too short. Choose a password of at least 8 characters.");
  g_assert_null (login (fixture->server, "carol@example.org", "abc", 401));

  gtk_editable_set_text (GTK_EDITABLE (confab_test_find_by_id (dialog, "password_row")), "");
  confab_test_type (confab_test_find_by_id (dialog, "password_row"), "carol password");
  confab_test_click (confab_test_find_button (dialog, "Create Account"));

  CONFAB_TEST_WAIT_UNTIL (group_shows_label (dialog, "users_group", "carol@example.org"), TIMEOUT_MS);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (confab_test_find_by_id (dialog, "name_row"))), ==, "");

  /* Carol signs in with the password the admin chose. */
  carol = login (fixture->server, "carol@example.org", "carol password", 200);
  g_assert_nonnull (carol);

  /* A taken email is rejected inline and the form keeps what was typed. */
  confab_test_type (confab_test_find_by_id (dialog, "name_row"), "Carol Two");
  confab_test_type (confab_test_find_by_id (dialog, "email_row"), "carol@example.org");
  confab_test_type (confab_test_find_by_id (dialog, "password_row"), "another password");
  confab_test_click (confab_test_find_button (dialog, "Create Account"));
  CONFAB_TEST_WAIT_UNTIL (confab_test_is_showing (confab_test_find_by_id (dialog, "error_label")), TIMEOUT_MS);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (confab_test_find_by_id (dialog, "name_row"))), ==,
                   "Carol Two");
}

static void
test_admin_disables_user (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *root = NULL;
  g_autofree char *bob = NULL;
  g_autoptr(SoupWebsocketConnection) bob_ws = NULL;
  GtkWidget *dialog;
  GtkWidget *row;
  GtkWidget *confirmation;

  create_site_admin (fixture->server);
  root = login (fixture->server, "root@example.org", "root password 123", 200);
  g_assert_cmpuint (request_status (fixture->server, "POST", "/api/v1/users", root,
                                    "{\"name\": \"Bob\", \"email\": \"bob@example.org\", "
                                    "\"password\": \"bob password\"}"), ==, 201);
  bob = login (fixture->server, "bob@example.org", "bob password", 200);
  bob_ws = cfs_test_ws_connect (fixture->server, bob);

  confab_test_sign_in (fixture->window, "root@example.org", "root password 123");
  dialog = open_users_dialog (fixture->window);
  CONFAB_TEST_WAIT_UNTIL ((row = find_user_row (dialog, "Bob")) != NULL, TIMEOUT_MS);

  /* The admin's own row offers no buttons, because the server rejects them. */
  g_assert_false (confab_test_is_showing (confab_test_find_button (find_user_row (dialog, "Root"), "Disable")));

  confab_test_click (confab_test_find_button (row, "Disable"));
  CONFAB_TEST_WAIT_UNTIL ((confirmation = confab_test_find_toplevel ("AdwMessageDialog")) != NULL, TIMEOUT_MS);
  g_assert_nonnull (confab_test_find_label_containing (confirmation, "Their sessions end at once"));
  g_assert_false (is_closed (bob_ws));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirmation), "disable");

  /* Bob's WebSocket closes with 4001 and he can no longer sign in. */
  CONFAB_TEST_WAIT_UNTIL (is_closed (bob_ws), TIMEOUT_MS);
  g_assert_cmpuint (soup_websocket_connection_get_close_code (bob_ws), ==, CONFAB_CLOSE_SESSION_ENDED);
  CONFAB_TEST_WAIT_UNTIL (confab_test_find_label_containing (row, "Disabled") != NULL, TIMEOUT_MS);
  g_assert_null (login (fixture->server, "bob@example.org", "bob password", 403));

  /* Enabled again, Bob signs in. */
  confab_test_click (confab_test_find_button (row, "Enable"));
  CONFAB_TEST_WAIT_UNTIL (confab_test_find_label_containing (row, "Disabled") == NULL, TIMEOUT_MS);
  g_free (bob);
  bob = login (fixture->server, "bob@example.org", "bob password", 200);
  g_assert_nonnull (bob);
}

int
main (int   argc,
      char *argv[])
{
  application = confab_test_init_application (&argc, &argv);

#define ADD(path, config, func) \
  g_test_add ("/client/people/" path, Fixture, config, fixture_set_up, func, fixture_tear_down)

  ADD ("lift-ban-lets-user-join", NULL, test_lift_ban_lets_user_join);
  ADD ("grant-and-revoke-moderator", NULL, test_grant_and_revoke_moderator);
  ADD ("admin-creates-account", CLOSED_REGISTRATION, test_admin_creates_account);
  ADD ("admin-disables-user", CLOSED_REGISTRATION, test_admin_disables_user);

#undef ADD

  return confab_test_run (&application);
}
