/* test-no-keyring.c: signing in without a Secret Service
 *
 * run-client-test.sh --no-keyring runs this program on a session bus with
 * no Secret Service, which it also cannot start on demand.
 */
#define G_LOG_DOMAIN "confab-test"

#include "config.h"

#include "cfs-test-server.h"
#include "confab-application.h"
#include "confab-session-store.h"
#include "confab-sign-in-page.h"
#include "confab-test-util.h"
#include "confab-window.h"

#define TIMEOUT_MS CONFAB_TEST_TIMEOUT_MS

static ConfabApplication *application;

static const char *
sign_in_message (ConfabWindow *window)
{
  GtkWidget *page = confab_test_find_by_id (GTK_WIDGET (window), "sign_in_page");

  return confab_sign_in_page_get_message (CONFAB_SIGN_IN_PAGE (page));
}

static void
test_session_kept_in_memory (void)
{
  g_autoptr(CfsTestServer) server = cfs_test_server_start (NULL);
  g_autofree char *token = cfs_test_register (server, "Ada", "ada@example.org", NULL);
  g_autoptr(GSettings) settings = confab_test_new_settings (cfs_test_server_get_url (server));
  ConfabSessionStore *store = confab_application_get_session_store (application);
  ConfabWindow *window;

  /* Looking up the last account's session fails, and the page shows why. */
  g_settings_set_string (settings, "account-email", "ada@example.org");
  window = confab_test_open_window (application, settings);
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (window, "sign-in")
                          && strstr (sign_in_message (window), "No keyring") != NULL,
                          TIMEOUT_MS);
  g_assert_false (confab_session_store_get_available (store));

  /* Signing in works, and a toast explains that the session lasts until quitting. */
  confab_test_sign_in (window, "ada@example.org", "password-Ada");
  CONFAB_TEST_WAIT_UNTIL (confab_test_find_label_containing (GTK_WIDGET (window), "No keyring is available") != NULL,
                          TIMEOUT_MS);
  confab_test_close_window (window);

  /* A new window in the same process resumes from memory. */
  window = confab_test_open_window (application, settings);
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (window, "lobby"), TIMEOUT_MS);

  /* After signing out there is nothing to resume. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL);
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (window, "sign-in"), TIMEOUT_MS);
  confab_test_close_window (window);

  window = confab_test_open_window (application, settings);
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (window, "sign-in"), TIMEOUT_MS);
  g_assert_null (confab_window_get_api (window));
  confab_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  application = confab_test_init_application (&argc, &argv);

  g_test_add_func ("/client/no-keyring/session-kept-in-memory", test_session_kept_in_memory);

  return confab_test_run (&application);
}
