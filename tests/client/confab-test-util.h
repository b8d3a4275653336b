/* confab-test-util.h: waiting and widget helpers for client tests */
#pragma once

#include <gtk/gtk.h>

#include "confab-application.h"
#include "confab-window.h"

G_BEGIN_DECLS

/* The deadline of the waits in the helpers below. */
#define CONFAB_TEST_TIMEOUT_MS 20000

typedef gboolean (*ConfabTestCondition) (gpointer user_data);

void       confab_test_init                  (int                 *argc,
                                              char              ***argv);

gboolean   confab_test_wait_for              (ConfabTestCondition  condition,
                                              gpointer             user_data,
                                              guint                timeout_ms);
void       confab_test_run_for               (guint                duration_ms);

GtkWidget *confab_test_find_by_id            (GtkWidget           *root,
                                              const char          *buildable_id);
GtkWidget *confab_test_find_by_type          (GtkWidget           *root,
                                              GType                type);
GtkWidget *confab_test_find_button           (GtkWidget           *root,
                                              const char          *label);
GtkWidget *confab_test_find_label            (GtkWidget           *root,
                                              const char          *text);
GtkWidget *confab_test_find_label_containing (GtkWidget           *root,
                                              const char          *text);

void       confab_test_click                 (GtkWidget           *button);
void       confab_test_type                  (GtkWidget           *editable,
                                              const char          *text);
gboolean   confab_test_is_showing            (GtkWidget           *widget);

/* Iterates the default main context until @expression is true, and fails
 * the test naming @expression when @timeout_ms pass first.
 */
#define CONFAB_TEST_WAIT_UNTIL(expression, timeout_ms)                           \
  G_STMT_START {                                                                 \
    gint64 confab_test_deadline_ = g_get_monotonic_time ()                       \
                                   + (gint64) (timeout_ms) * 1000;               \
    guint confab_test_wake_ = g_timeout_add (20, confab_test_wake_cb, NULL);     \
    while (!(expression))                                                        \
      {                                                                          \
        if (g_get_monotonic_time () > confab_test_deadline_)                     \
          {                                                                      \
            g_source_remove (confab_test_wake_);                                 \
            g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC,    \
                                 "timed out after " #timeout_ms " ms waiting for: " \
                                 #expression);                                   \
          }                                                                      \
        g_main_context_iteration (NULL, TRUE);                                   \
      }                                                                          \
    g_source_remove (confab_test_wake_);                                         \
  } G_STMT_END

gboolean   confab_test_wake_cb               (gpointer             user_data);

ConfabApplication *confab_test_register_application (void);
ConfabApplication *confab_test_init_application     (int                 *argc,
                                                     char              ***argv);
int                confab_test_run                  (ConfabApplication  **application);

GSettings    *confab_test_new_settings       (const char        *server_url);
GSettings    *confab_test_new_browser_settings (const char      *server_url);
ConfabWindow *confab_test_open_window        (ConfabApplication *application,
                                              GSettings         *settings);
void          confab_test_open_tracked_window (ConfabApplication *application,
                                               GSettings         *settings,
                                               ConfabWindow     **window_out);
void          confab_test_close_window       (ConfabWindow      *window);
gboolean      confab_test_window_shows_page  (ConfabWindow      *window,
                                              const char        *page_name);
gint64        confab_test_get_open_room_id   (ConfabWindow      *window);
void          confab_test_submit_sign_in     (ConfabWindow      *window,
                                              const char        *email,
                                              const char        *password);
void          confab_test_sign_in            (ConfabWindow      *window,
                                              const char        *email,
                                              const char        *password);
GtkWidget    *confab_test_find_toplevel      (const char        *type_name);

G_END_DECLS
