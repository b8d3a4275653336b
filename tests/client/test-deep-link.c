/* test-deep-link.c: opening confab://join/ links in the application, in
 * real windows against the real confab-server on loopback
 */
#define G_LOG_DOMAIN "confab-test"

#include "config.h"

#include <string.h>

#include "cfs-test-server.h"
#include "confab-application.h"
#include "confab-json.h"
#include "confab-meeting-page.h"
#include "confab-sign-in-page.h"
#include "confab-test-util.h"
#include "confab-window.h"

#define TIMEOUT_MS CONFAB_TEST_TIMEOUT_MS

static ConfabApplication *application;

typedef struct {
  CfsTestServer *server;
  GSettings     *settings;
  ConfabWindow  *window;
  char          *ada_token;
} Fixture;

/* Helpers */

/* Returns "127.0.0.1:PORT" of the server. */
static const char *
get_authority (CfsTestServer *server)
{
  return strstr (cfs_test_server_get_url (server), "://") + 3;
}

static void
open_link (const char *uri)
{
  g_autoptr(GFile) file = g_file_new_for_uri (uri);

  g_application_open (G_APPLICATION (application), &file, 1, "");
}

static char *
build_link (CfsTestServer *server,
            gint64         room_id)
{
  return g_strdup_printf ("confab://join/%s/%" G_GINT64_FORMAT, get_authority (server), room_id);
}

static ConfabSignInPage *
get_sign_in_page (ConfabWindow *window)
{
  GtkWidget *page = confab_test_find_by_id (GTK_WIDGET (window), "sign_in_page");

  g_assert_nonnull (page);
  return CONFAB_SIGN_IN_PAGE (page);
}

/* Returns the visible message dialog over @parent whose body contains
 * @text, or %NULL.
 */
static AdwMessageDialog *
find_message_with_body (GtkWindow  *parent,
                        const char *text)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      const char *body;

      if (!ADW_IS_MESSAGE_DIALOG (l->data) || !gtk_widget_get_visible (l->data) ||
          gtk_window_get_transient_for (l->data) != parent)
        continue;

      body = adw_message_dialog_get_body (l->data);
      if (body != NULL && strstr (body, text) != NULL)
        return l->data;
    }

  return NULL;
}

/* Link errors show in a message dialog over the window. */
static gboolean
shows_text (ConfabWindow *window,
            const char   *text)
{
  return find_message_with_body (GTK_WINDOW (window), text) != NULL;
}

static void
subprocess_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

/* Runs `confab @uri`, which hands the link to this process, the primary
 * instance on the test's session bus; returns its exit status.
 */
static int
run_second_instance (const char *uri)
{
  g_autofree char *binary = g_build_filename (g_getenv ("CONFAB_BUILD_DIR"), "src", "client", "confab", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, binary, uri, NULL);
  g_assert_no_error (error);

  g_subprocess_wait_async (process, NULL, subprocess_done_cb, &done);
  CONFAB_TEST_WAIT_UNTIL (done, TIMEOUT_MS);

  return g_subprocess_get_exit_status (process);
}

/* Fixtures */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = cfs_test_server_start (NULL);
  fixture->settings = confab_test_new_browser_settings (cfs_test_server_get_url (fixture->server));
  fixture->ada_token = cfs_test_register (fixture->server, "Ada", "ada@example.org", NULL);

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  confab_test_close_window (fixture->window);
  g_clear_object (&fixture->settings);
  g_clear_pointer (&fixture->ada_token, g_free);
  g_clear_pointer (&fixture->server, cfs_test_server_free);
}

/* Tests */

static void
test_signed_in_opens_room (Fixture       *fixture,
                           gconstpointer  data)
{
  gint64 room_id = cfs_test_create_room (fixture->server, fixture->ada_token, "Weekly Sync", 10);
  g_autofree char *uri = build_link (fixture->server, room_id);

  confab_test_sign_in (fixture->window, "ada@example.org", "password-Ada");

  open_link (uri);
  CONFAB_TEST_WAIT_UNTIL (confab_test_get_open_room_id (fixture->window) == room_id, TIMEOUT_MS);
}

static void
test_command_line_link_opens_room (Fixture       *fixture,
                                   gconstpointer  data)
{
  gint64 room_id = cfs_test_create_room (fixture->server, fixture->ada_token, "Weekly Sync", 10);
  g_autofree char *uri = build_link (fixture->server, room_id);

  confab_test_sign_in (fixture->window, "ada@example.org", "password-Ada");

  g_assert_cmpint (run_second_instance (uri), ==, 0);
  CONFAB_TEST_WAIT_UNTIL (confab_test_get_open_room_id (fixture->window) == room_id, TIMEOUT_MS);
}

static void
test_signed_out_opens_after_sign_in (Fixture       *fixture,
                                     gconstpointer  data)
{
  gint64 room_id = cfs_test_create_room (fixture->server, fixture->ada_token, "Weekly Sync", 10);
  g_autofree char *uri = build_link (fixture->server, room_id);
  g_autofree char *hint = NULL;
  ConfabSignInPage *page;

  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "sign-in"), TIMEOUT_MS);
  page = get_sign_in_page (fixture->window);

  /* The sign-in page names the room's server and keeps its URL. */
  open_link (uri);
  hint = g_strdup_printf ("on %s", get_authority (fixture->server));
  g_assert_nonnull (strstr (confab_sign_in_page_get_message (page), hint));
  g_assert_cmpstr (confab_sign_in_page_get_server_url (page), ==, cfs_test_server_get_url (fixture->server));
  g_assert_null (confab_window_get_meeting_page (fixture->window));

  confab_test_submit_sign_in (fixture->window, "ada@example.org", "password-Ada");
  CONFAB_TEST_WAIT_UNTIL (confab_test_get_open_room_id (fixture->window) == room_id, TIMEOUT_MS);
}

static void
test_signed_out_other_server_filled_in (Fixture       *fixture,
                                        gconstpointer  data)
{
  ConfabSignInPage *page;

  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (fixture->window, "sign-in"), TIMEOUT_MS);
  page = get_sign_in_page (fixture->window);

  /* A loopback host gets http://. Nothing listens on port 1. */
  open_link ("confab://join/127.0.0.1:1/5");
  g_assert_cmpstr (confab_sign_in_page_get_server_url (page), ==, "http://127.0.0.1:1");
  g_assert_nonnull (strstr (confab_sign_in_page_get_message (page), "room 5 on 127.0.0.1:1"));
  g_assert_nonnull (strstr (confab_sign_in_page_get_message (page), "now set to that server"));
}

static void
test_invite_opens_private_room (Fixture       *fixture,
                                gconstpointer  data)
{
  CfsTestServer *server = fixture->server;
  g_autofree char *bob_token = cfs_test_register (server, "Bob", "bob@example.org", NULL);
  gint64 room_id = cfs_test_create_room (server, fixture->ada_token, "Secret", 10);
  g_autofree char *room_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT, room_id);
  g_autofree char *invites_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/invites", room_id);
  g_autoptr(JsonNode) patched = NULL;
  g_autoptr(JsonNode) invite = NULL;
  g_autofree char *uri = NULL;
  guint status = 0;

  patched = cfs_test_request (server, "PATCH", room_path, fixture->ada_token, "{\"private\": true}", &status);
  g_assert_cmpuint (status, ==, 200);
  invite = cfs_test_request (server, "POST", invites_path, fixture->ada_token, NULL, &status);
  g_assert_cmpuint (status, ==, 201);
  uri = g_strdup (confab_json_get_string (json_node_get_object (invite), "url"));
  g_assert_nonnull (uri);

  /* Without the invite the room does not exist for Bob. */
  confab_test_sign_in (fixture->window, "bob@example.org", "password-Bob");
  {
    g_autofree char *bare = build_link (server, room_id);

    open_link (bare);
    CONFAB_TEST_WAIT_UNTIL (shows_text (fixture->window, "was not found"), TIMEOUT_MS);
    g_assert_null (confab_window_get_meeting_page (fixture->window));
  }

  open_link (uri);
  CONFAB_TEST_WAIT_UNTIL (confab_test_get_open_room_id (fixture->window) == room_id, TIMEOUT_MS);
}

static void
test_unknown_room_message (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *uri = build_link (fixture->server, 999);

  confab_test_sign_in (fixture->window, "ada@example.org", "password-Ada");

  open_link (uri);
  CONFAB_TEST_WAIT_UNTIL (shows_text (fixture->window, "Room 999 was not found"), TIMEOUT_MS);
  g_assert_true (confab_test_window_shows_page (fixture->window, "lobby"));
}

static void
test_malformed_link_message (Fixture       *fixture,
                             gconstpointer  data)
{
  confab_test_sign_in (fixture->window, "ada@example.org", "password-Ada");

  open_link ("confab://join/127.0.0.1/seven");
  CONFAB_TEST_WAIT_UNTIL (shows_text (fixture->window, "“confab://join/127.0.0.1/seven” is not a valid Confab link"),
                          TIMEOUT_MS);
  g_assert_true (shows_text (fixture->window, "confab://join/confab.example.org/7"));
  g_assert_true (confab_test_window_shows_page (fixture->window, "lobby"));
}

static void
test_other_server_message (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *expected = NULL;

  confab_test_sign_in (fixture->window, "ada@example.org", "password-Ada");

  open_link ("confab://join/127.0.0.1:1/5");
  expected = g_strdup_printf ("This link is for 127.0.0.1:1; you are signed in to %s. Sign out to switch.",
                              cfs_test_server_get_url (fixture->server));
  CONFAB_TEST_WAIT_UNTIL (shows_text (fixture->window, expected), TIMEOUT_MS);
  g_assert_true (confab_test_window_shows_page (fixture->window, "lobby"));
}

int
main (int   argc,
      char *argv[])
{
  application = confab_test_init_application (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/client/deep-link/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("signed-in-opens-room", test_signed_in_opens_room);
  ADD ("command-line-link-opens-room", test_command_line_link_opens_room);
  ADD ("signed-out-opens-after-sign-in", test_signed_out_opens_after_sign_in);
  ADD ("signed-out-other-server-filled-in", test_signed_out_other_server_filled_in);
  ADD ("invite-opens-private-room", test_invite_opens_private_room);
  ADD ("unknown-room-message", test_unknown_room_message);
  ADD ("malformed-link-message", test_malformed_link_message);
  ADD ("other-server-message", test_other_server_message);

#undef ADD

  return confab_test_run (&application);
}
