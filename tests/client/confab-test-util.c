/* confab-test-util.c: waiting and widget helpers for client tests
 *
 * Tests wait by iterating the main context until a condition holds, with a
 * deadline, never with fixed sleeps. The finders walk the widget tree
 * depth-first from a root, the way a user scans a window.
 */
#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <adwaita.h>

#include "confab-meeting-page.h"
#include "confab-test-notifications.h"
#include "confab-test-util.h"

/**
 * confab_test_init:
 *
 * Initializes GLib's test framework and GTK for a client test program.
 */
void
confab_test_init (int    *argc,
                  char ***argv)
{
  /* Outside a sandbox and with no owner of org.gtk.Notifications, GLib
   * 2.74 picks the freedesktop backend anyway. Naming it keeps the tests
   * independent of the bus's other services.
   */
  g_setenv ("GNOTIFICATION_BACKEND", "freedesktop", TRUE);

  gtk_test_init (argc, argv, NULL);
  adw_init ();

  /* run-client-test.sh sets CONFAB_TEST_SESSION on its private bus. */
  if (g_getenv ("CONFAB_TEST_SESSION") != NULL)
    confab_test_notifications_start ();

  /* A blinking cursor in a window that lost the X focus makes GTK 4.8 warn
   * "GtkText - did not receive a focus-out event", and warnings are fatal
   * in tests. Tests open and close windows all the time, so no blinking.
   */
  g_object_set (gtk_settings_get_default (),
                "gtk-cursor-blink", FALSE,
                "gtk-enable-animations", FALSE,
                NULL);
}

/* Wakes a blocking main-context iteration, so conditions that depend on
 * no event source are checked again.
 */
gboolean
confab_test_wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/**
 * confab_test_wait_for:
 * @condition: checked before each main-context iteration
 * @timeout_ms: the deadline
 *
 * Returns: whether @condition held before the deadline
 */
gboolean
confab_test_wait_for (ConfabTestCondition condition,
                      gpointer            user_data,
                      guint               timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint wake = g_timeout_add (20, confab_test_wake_cb, NULL);
  gboolean held;

  while (!(held = condition (user_data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (wake);

  return held;
}

static gboolean
deadline_passed_cb (gpointer user_data)
{
  gboolean *passed = user_data;

  *passed = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * confab_test_run_for:
 *
 * Runs the main context for @duration_ms, to check that something does
 * NOT happen within that time.
 */
void
confab_test_run_for (guint duration_ms)
{
  gboolean passed = FALSE;

  g_timeout_add (duration_ms, deadline_passed_cb, &passed);
  while (!passed)
    g_main_context_iteration (NULL, TRUE);
}

typedef gboolean (*WidgetMatch) (GtkWidget  *widget,
                                 gconstpointer data);

static GtkWidget *
find_widget (GtkWidget     *root,
             WidgetMatch    match,
             gconstpointer  data)
{
  g_return_val_if_fail (GTK_IS_WIDGET (root), NULL);

  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
match_id (GtkWidget     *widget,
          gconstpointer  data)
{
  return g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), data) == 0;
}

static gboolean
match_type (GtkWidget     *widget,
            gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

/* Compares a label with mnemonic underscores to plain text. */
static gboolean
equal_without_mnemonic (const char *label,
                        const char *text)
{
  g_autoptr(GString) plain = NULL;

  if (label == NULL)
    return FALSE;

  plain = g_string_new (NULL);
  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_' && p[1] == '_')
        {
          g_string_append_c (plain, '_');
          p++;
        }
      else if (*p != '_')
        {
          g_string_append_c (plain, *p);
        }
    }

  return g_str_equal (plain->str, text);
}

static gboolean
match_button (GtkWidget     *widget,
              gconstpointer  data)
{
  GtkWidget *child;

  if (!GTK_IS_BUTTON (widget))
    return FALSE;

  if (equal_without_mnemonic (gtk_button_get_label (GTK_BUTTON (widget)), data))
    return TRUE;

  child = gtk_button_get_child (GTK_BUTTON (widget));
  if (ADW_IS_BUTTON_CONTENT (child))
    return equal_without_mnemonic (adw_button_content_get_label (ADW_BUTTON_CONTENT (child)), data);

  return FALSE;
}

static gboolean
match_label (GtkWidget     *widget,
             gconstpointer  data)
{
  return GTK_IS_LABEL (widget)
         && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), data) == 0;
}

static gboolean
match_label_containing (GtkWidget     *widget,
                        gconstpointer  data)
{
  return GTK_IS_LABEL (widget)
         && strstr (gtk_label_get_text (GTK_LABEL (widget)), data) != NULL;
}

/**
 * confab_test_find_by_id:
 * @buildable_id: the id the widget has in its .ui file
 *
 * Returns: (transfer none) (nullable): the first widget under @root, @root
 *   included, with that id
 */
GtkWidget *
confab_test_find_by_id (GtkWidget  *root,
                        const char *buildable_id)
{
  return find_widget (root, match_id, buildable_id);
}

/**
 * confab_test_find_by_type:
 *
 * Returns: (transfer none) (nullable): the first widget under @root, @root
 *   included, of @type or a subtype
 */
GtkWidget *
confab_test_find_by_type (GtkWidget *root,
                          GType      type)
{
  return find_widget (root, match_type, GSIZE_TO_POINTER (type));
}

/**
 * confab_test_find_button:
 * @label: the button's text without mnemonic underscores
 *
 * Returns: (transfer none) (nullable): the first button under @root with
 *   @label, whether or not it is visible
 */
GtkWidget *
confab_test_find_button (GtkWidget  *root,
                         const char *label)
{
  return find_widget (root, match_button, label);
}

/**
 * confab_test_find_label:
 *
 * Returns: (transfer none) (nullable): the first label under @root whose
 *   text is @text
 */
GtkWidget *
confab_test_find_label (GtkWidget  *root,
                        const char *text)
{
  return find_widget (root, match_label, text);
}

/**
 * confab_test_find_label_containing:
 *
 * Returns: (transfer none) (nullable): the first label under @root whose
 *   text contains @text
 */
GtkWidget *
confab_test_find_label_containing (GtkWidget  *root,
                                   const char *text)
{
  return find_widget (root, match_label_containing, text);
}

/**
 * confab_test_is_showing:
 *
 * Returns: whether @widget and all its ancestors are visible, and it is
 *   mapped, which is what a user can see
 */
gboolean
confab_test_is_showing (GtkWidget *widget)
{
  return widget != NULL && gtk_widget_is_visible (widget) && gtk_widget_get_mapped (widget);
}

/**
 * confab_test_click:
 *
 * Clicks @button the way a user could: it must be showing and sensitive.
 */
void
confab_test_click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (confab_test_is_showing (button));
  g_assert_true (gtk_widget_is_sensitive (button));

  g_signal_emit_by_name (button, "clicked");
}

/**
 * confab_test_type:
 *
 * Replaces the text of @editable, which must be showing and sensitive.
 */
void
confab_test_type (GtkWidget  *editable,
                  const char *text)
{
  g_assert_nonnull (editable);
  g_assert_true (GTK_IS_EDITABLE (editable));
  g_assert_true (confab_test_is_showing (editable));
  g_assert_true (gtk_widget_is_sensitive (editable));

  gtk_editable_set_text (GTK_EDITABLE (editable), text);
}

/**
 * confab_test_register_application:
 *
 * Returns: (transfer full): a new application, registered on the session
 *   bus as the primary instance
 */
ConfabApplication *
confab_test_register_application (void)
{
  ConfabApplication *application = confab_application_new ();
  g_autoptr(GError) error = NULL;

  g_application_register (G_APPLICATION (application), NULL, &error);
  g_assert_no_error (error);

  return application;
}

/**
 * confab_test_init_application:
 *
 * Initializes a client test program like confab_test_init() and registers
 * its application.
 *
 * Returns: (transfer full): what confab_test_register_application() returns
 */
ConfabApplication *
confab_test_init_application (int    *argc,
                              char ***argv)
{
  confab_test_init (argc, argv);

  return confab_test_register_application ();
}

/**
 * confab_test_run:
 *
 * Runs the test cases added so far, then releases *@application and sets
 * it to NULL.
 *
 * Returns: the exit status of g_test_run()
 */
int
confab_test_run (ConfabApplication **application)
{
  int status = g_test_run ();

  g_clear_object (application);

  return status;
}

/**
 * confab_test_new_settings:
 * @server_url: the value of the `server-url` key
 *
 * Returns: (transfer full): settings of their own, in memory, so that
 *   windows and tests do not see each other's accounts
 */
GSettings *
confab_test_new_settings (const char *server_url)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  GSettings *settings = g_settings_new_with_backend (APP_ID, backend);

  g_settings_set_string (settings, "server-url", server_url);
  return settings;
}

/**
 * confab_test_new_browser_settings:
 *
 * Returns: (transfer full): settings like confab_test_new_settings() whose
 *   `meeting-mode` is "browser", so that joining a room opens no WebKit view
 */
GSettings *
confab_test_new_browser_settings (const char *server_url)
{
  GSettings *settings = confab_test_new_settings (server_url);

  g_settings_set_string (settings, "meeting-mode", "browser");
  return settings;
}

/**
 * confab_test_open_window:
 *
 * Returns: (transfer none): a new main window, presented
 */
ConfabWindow *
confab_test_open_window (ConfabApplication *application,
                         GSettings         *settings)
{
  ConfabWindow *window = confab_window_new (application, settings);

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/**
 * confab_test_open_tracked_window:
 * @window_out: receives the new window, and is set to NULL when the window
 *   is finalized
 *
 * Opens a main window like confab_test_open_window(), so that a test and
 * its tear-down can tell whether the window still exists.
 */
void
confab_test_open_tracked_window (ConfabApplication  *application,
                                 GSettings          *settings,
                                 ConfabWindow      **window_out)
{
  *window_out = confab_test_open_window (application, settings);
  g_object_add_weak_pointer (G_OBJECT (*window_out), (gpointer *) window_out);
}

/**
 * confab_test_close_window:
 *
 * Destroys @window and waits until it is finalized.
 */
void
confab_test_close_window (ConfabWindow *window)
{
  if (window == NULL)
    return;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  CONFAB_TEST_WAIT_UNTIL (window == NULL, CONFAB_TEST_TIMEOUT_MS);
}

gboolean
confab_test_window_shows_page (ConfabWindow *window,
                               const char   *page_name)
{
  return window != NULL && g_strcmp0 (confab_window_get_page_name (window), page_name) == 0;
}

/**
 * confab_test_get_open_room_id:
 *
 * Returns: the id of the room whose meeting page @window shows, or 0 when
 *   it shows another page
 */
gint64
confab_test_get_open_room_id (ConfabWindow *window)
{
  GtkWidget *page = confab_window_get_meeting_page (window);

  if (page == NULL || !confab_test_window_shows_page (window, "room"))
    return 0;

  return confab_meeting_page_get_room_id (CONFAB_MEETING_PAGE (page));
}

/**
 * confab_test_submit_sign_in:
 *
 * Fills in and submits the window's sign-in page as a user would, without
 * waiting for the result.
 */
void
confab_test_submit_sign_in (ConfabWindow *window,
                            const char   *email,
                            const char   *password)
{
  GtkWidget *page = confab_test_find_by_id (GTK_WIDGET (window), "sign_in_page");

  g_assert_nonnull (page);

  confab_test_type (confab_test_find_by_id (page, "email_row"), email);
  confab_test_type (confab_test_find_by_id (page, "password_row"), password);
  confab_test_click (confab_test_find_button (page, "Sign In"));
}

/**
 * confab_test_sign_in:
 *
 * Waits for the sign-in page, signs in on it as a user would, and waits
 * for the lobby.
 */
void
confab_test_sign_in (ConfabWindow *window,
                     const char   *email,
                     const char   *password)
{
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (window, "sign-in"), CONFAB_TEST_TIMEOUT_MS);
  confab_test_submit_sign_in (window, email, password);
  CONFAB_TEST_WAIT_UNTIL (confab_test_window_shows_page (window, "lobby"), CONFAB_TEST_TIMEOUT_MS);
}

/**
 * confab_test_find_toplevel:
 * @type_name: a type name such as "AdwMessageDialog"
 *
 * Returns: (transfer none) (nullable): the first toplevel window of that
 *   exact type
 */
GtkWidget *
confab_test_find_toplevel (const char *type_name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWidget *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && found == NULL; i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (G_OBJECT_TYPE_NAME (window), type_name) == 0)
        found = window;
    }

  return found;
}
