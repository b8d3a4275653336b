/* confab-meeting-view-private.h: the parts of ConfabMeetingView shared by
 * its source files.
 */
#pragma once

#include "confab-meeting-view.h"

G_BEGIN_DECLS

#define SHELL_SCHEME          "confab-meeting"
#define SHELL_URI             SHELL_SCHEME "://meeting/shell.html"
#define BLANK_URI             "about:blank"

struct _ConfabMeetingView
{
  GtkWidget      parent_instance;

  WebKitWebView *web_view;
  GCancellable  *cancellable;

  /* The current meeting; domain is NULL while no meeting is started. */
  char          *domain;
  char          *jitsi_origin;
  GVariant      *start_arguments;

  /* A random string per start that the shell page adds to every bridge
   * message, so that late messages of an earlier meeting are dropped. It is
   * not a secret from the scripts in the shell page.
   */
  char          *meeting_token;

  /* URIs of the top-frame loads the view started that have not committed
   * yet, oldest first. Only these may load in the top frame, each once.
   */
  GPtrArray     *own_top_loads;

  /* While the blank page that ends a meeting loads, a new top-frame load
   * waits for it in queued_top_uri. While both loads run, WebKit reports
   * the blank page's commit with the newer load's URI, which would pass
   * the blank page for the shell.
   */
  gboolean       blank_loading;
  char          *queued_top_uri;

  /* Subframe documents from the Jitsi origin since the shell page
   * committed. Documents from other origins are refused, so none count.
   */
  guint          jitsi_frames;
  gboolean       shell_committed;

  /* Links opened in the default browser in the current window of time. */
  gint64         external_open_window_start;
  guint          external_opens;
};

void     confab_meeting_view_connect_policy  (ConfabMeetingView *self);
gboolean confab_meeting_view_is_own_top_load (ConfabMeetingView *self,
                                              const char        *uri);

G_END_DECLS
