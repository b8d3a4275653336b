/* test-history.c: the meeting history dialog and its CSV export, in real
 * windows against the real confab-server on loopback
 */
#define G_LOG_DOMAIN "confab-test"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cfs-test-server.h"
#include "confab-application.h"
#include "confab-test-util.h"
#include "confab-window.h"

#define TIMEOUT_MS CONFAB_TEST_TIMEOUT_MS

#define CSV_HEADER "meeting_id,started_at,ended_at,peak_participants,user_id,user_name,joined_at,left_at"

static ConfabApplication *application;

typedef struct {
  CfsTestServer *server;
  GSettings     *settings;
  ConfabWindow  *window;
  char          *ada;
  gint64         ada_id;
} Fixture;

/* Helpers */

static GtkWidget *
open_history_dialog (ConfabWindow *window,
                     gint64        room_id)
{
  GtkWidget *dialog;
  GtkStack *stack;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.room-history", "x", room_id);
  CONFAB_TEST_WAIT_UNTIL ((dialog = confab_test_find_toplevel ("ConfabHistoryDialog")) != NULL, TIMEOUT_MS);
  stack = GTK_STACK (confab_test_find_by_id (dialog, "stack"));
  CONFAB_TEST_WAIT_UNTIL (g_strcmp0 (gtk_stack_get_visible_child_name (stack), "loading") != 0, TIMEOUT_MS);

  return dialog;
}

static gboolean
shows_text (GtkWidget  *root,
            const char *text)
{
  return confab_test_is_showing (confab_test_find_label_containing (root, text));
}

/* Fixtures */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = cfs_test_server_start ("[lobby]\npresence_grace_ms=200\n");
  fixture->settings = confab_test_new_browser_settings (cfs_test_server_get_url (fixture->server));
  fixture->ada = cfs_test_register (fixture->server, "Ada", "ada@example.org", &fixture->ada_id);
  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  confab_test_close_window (fixture->window);
  g_clear_object (&fixture->settings);
  g_clear_pointer (&fixture->ada, g_free);
  g_clear_pointer (&fixture->server, cfs_test_server_free);
}

/* Tests */

static void
test_empty_history (Fixture       *fixture,
                    gconstpointer  data)
{
  gint64 room_id = cfs_test_create_room (fixture->server, fixture->ada, "Quiet Room", 10);
  GtkWidget *dialog;

  confab_test_sign_in (fixture->window, "ada@example.org", "password-Ada");
  dialog = open_history_dialog (fixture->window, room_id);

  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (confab_test_find_by_id (dialog, "stack"))),
                   ==, "empty");
  g_assert_true (shows_text (dialog, "No Meetings Yet"));

  /* With nothing to export, the export button does not pretend otherwise. */
  g_assert_false (gtk_widget_is_sensitive (confab_test_find_by_id (dialog, "export_button")));
}

static void
test_export_csv (Fixture       *fixture,
                 gconstpointer  data)
{
  gint64 bob_id = 0;
  g_autofree char *bob = cfs_test_register (fixture->server, "Bob", "bob@example.org", &bob_id);
  gint64 room_id = cfs_test_create_room (fixture->server, fixture->ada, "Weekly Sync", 10);
  g_autoptr(SoupWebsocketConnection) ada_ws = cfs_test_ws_connect (fixture->server, fixture->ada);
  g_autoptr(SoupWebsocketConnection) bob_ws = cfs_test_ws_connect (fixture->server, bob);
  g_autofree char *folder_path = g_dir_make_tmp ("confab-history-XXXXXX", NULL);
  g_autofree char *csv_path = g_build_filename (folder_path, "Weekly Sync-history.csv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *ada_prefix = NULL;
  g_autofree char *bob_prefix = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *suggested = NULL;
  GtkWidget *dialog;
  GtkWidget *chooser;

  /* One finished meeting: Ada and Bob join, Bob leaves, then Ada. */
  json_object_unref (cfs_test_ws_join_room (ada_ws, room_id));
  json_object_unref (cfs_test_ws_join_room (bob_ws, room_id));
  cfs_test_ws_leave_room (bob_ws, room_id);
  cfs_test_ws_leave_room (ada_ws, room_id);

  confab_test_sign_in (fixture->window, "ada@example.org", "password-Ada");
  dialog = open_history_dialog (fixture->window, room_id);

  /* The meeting is listed with its end and peak, and its attendance. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (confab_test_find_by_id (dialog, "stack"))),
                   ==, "meetings");
  g_assert_true (shows_text (dialog, "Peak 2 participants"));
  g_assert_true (shows_text (dialog, "Ended "));
  g_assert_nonnull (confab_test_find_label (dialog, "Bob"));
  g_assert_nonnull (confab_test_find_label_containing (dialog, "left"));

  /* The file chooser suggests the room's name. */
  confab_test_click (confab_test_find_button (dialog, "Export CSV…"));
  CONFAB_TEST_WAIT_UNTIL ((chooser = confab_test_find_toplevel ("GtkFileChooserDialog")) != NULL, TIMEOUT_MS);
  suggested = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));
  g_assert_cmpstr (suggested, ==, "Weekly Sync-history.csv");
  /* The user types the folder in front of the name. Changing the folder
   * with gtk_file_chooser_set_current_folder() right after the dialog opens
   * made GTK 4.8.3 show "Operation was cancelled" and keep the dialog open.
   */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), csv_path);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);

  CONFAB_TEST_WAIT_UNTIL (shows_text (dialog, "Saved the meeting history to"), TIMEOUT_MS);
  g_assert_true (shows_text (dialog, "Weekly Sync-history.csv"));
  g_assert_true (gtk_widget_is_sensitive (confab_test_find_by_id (dialog, "export_button")));

  /* The file has the header and one row per attendance, Ada's first.
   * The server quotes every name.
   */
  g_file_get_contents (csv_path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpstr (g_strchomp (lines[0]), ==, CSV_HEADER);
  g_assert_nonnull (lines[1]);
  g_assert_nonnull (lines[2]);
  ada_prefix = g_strdup_printf (",2,%" G_GINT64_FORMAT ",\"Ada\",", fixture->ada_id);
  bob_prefix = g_strdup_printf (",2,%" G_GINT64_FORMAT ",\"Bob\",", bob_id);
  g_assert_nonnull (strstr (lines[1], ada_prefix));
  g_assert_nonnull (strstr (lines[2], bob_prefix));
  g_assert_true (lines[3] == NULL || g_strstrip (lines[3])[0] == '\0');

  g_unlink (csv_path);
  g_rmdir (folder_path);
}

static void
test_export_failure_names_file (Fixture       *fixture,
                                gconstpointer  data)
{
  gint64 room_id = cfs_test_create_room (fixture->server, fixture->ada, "Weekly Sync", 10);
  g_autoptr(SoupWebsocketConnection) ada_ws = cfs_test_ws_connect (fixture->server, fixture->ada);
  g_autofree char *folder_path = g_dir_make_tmp ("confab-history-XXXXXX", NULL);
  g_autofree char *csv_path = g_build_filename (folder_path, "sync.csv", NULL);
  GtkWidget *dialog;
  GtkWidget *chooser;

  /* A meeting to export. */
  json_object_unref (cfs_test_ws_join_room (ada_ws, room_id));
  cfs_test_ws_leave_room (ada_ws, room_id);

  confab_test_sign_in (fixture->window, "ada@example.org", "password-Ada");
  dialog = open_history_dialog (fixture->window, room_id);

  /* The server is gone when the user saves, so the download fails. */
  cfs_test_server_stop (fixture->server);
  confab_test_click (confab_test_find_button (dialog, "Export CSV…"));
  CONFAB_TEST_WAIT_UNTIL ((chooser = confab_test_find_toplevel ("GtkFileChooserDialog")) != NULL, TIMEOUT_MS);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), csv_path);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);

  CONFAB_TEST_WAIT_UNTIL (shows_text (dialog, "Could not export to"), TIMEOUT_MS);
  g_assert_true (shows_text (dialog, "sync.csv"));
  g_assert_false (g_file_test (csv_path, G_FILE_TEST_EXISTS));
  g_assert_true (gtk_widget_is_sensitive (confab_test_find_by_id (dialog, "export_button")));

  g_rmdir (folder_path);
}

int
main (int   argc,
      char *argv[])
{
  application = confab_test_init_application (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/client/history/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("empty-history", test_empty_history);
  ADD ("export-csv", test_export_csv);
  ADD ("export-failure-names-file", test_export_failure_names_file);

#undef ADD

  return confab_test_run (&application);
}
