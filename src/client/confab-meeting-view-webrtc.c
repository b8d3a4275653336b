/* confab-meeting-view-webrtc.c: whether this WebKitGTK build can run a Jitsi meeting.
 *
 * Jitsi needs RTCPeerConnection. Some distribution builds of WebKitGTK,
 * Debian 12's 2.50 among them, have getUserMedia but no RTCPeerConnection,
 * even with enable-webrtc set.
 */
#define G_LOG_DOMAIN "confab-meeting-view"

#include "config.h"

#include "confab-meeting-view-private.h"

#define WEBRTC_CHECK_TIMEOUT_SECONDS 20

/* The WebRTC check runs in a hidden web view of its own, so that it needs
 * no meeting and leaves the visible one alone. The task holds one extra
 * reference while the check runs, dropped by complete_webrtc_check().
 */
typedef struct
{
  WebKitWebView *web_view;
  guint          timeout_id;
  gboolean       completed;
} WebrtcCheck;

static void
webrtc_check_free (WebrtcCheck *check)
{
  g_clear_handle_id (&check->timeout_id, g_source_remove);
  g_clear_object (&check->web_view);
  g_free (check);
}

/* Returns the result once (@error or @available) and ends the check. */
static void
complete_webrtc_check (GTask    *task,
                       GError   *error,
                       gboolean  available)
{
  WebrtcCheck *check = g_task_get_task_data (task);

  if (check->completed)
    {
      g_clear_error (&error);
      return;
    }

  check->completed = TRUE;
  g_clear_handle_id (&check->timeout_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (check->web_view, task);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, available);

  g_object_unref (task);
}

static void
evaluate_webrtc_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  GError *error = NULL;
  g_autoptr(JSCValue) value = NULL;

  value = webkit_web_view_call_async_javascript_function_finish (WEBKIT_WEB_VIEW (source), result, &error);
  if (value == NULL)
    complete_webrtc_check (task, error, FALSE);
  else
    complete_webrtc_check (task, NULL, jsc_value_to_boolean (value));
}

static void
webrtc_check_load_changed_cb (WebKitWebView   *web_view,
                              WebKitLoadEvent  load_event,
                              gpointer         user_data)
{
  GTask *task = G_TASK (user_data);

  if (load_event != WEBKIT_LOAD_FINISHED)
    return;

  /* An isolated world has the engine's own globals, whatever a page defines. */
  webkit_web_view_call_async_javascript_function (web_view,
                                                  "return typeof RTCPeerConnection === 'function';", -1,
                                                  NULL, "confab-webrtc-check", SHELL_URI,
                                                  g_task_get_cancellable (task),
                                                  evaluate_webrtc_cb, g_object_ref (task));
}

static gboolean
webrtc_check_load_failed_cb (WebKitWebView   *web_view,
                             WebKitLoadEvent  load_event,
                             const char      *failing_uri,
                             GError          *error,
                             gpointer         user_data)
{
  complete_webrtc_check (G_TASK (user_data),
                         g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                      "Could not load a page for the WebRTC check: %s", error->message),
                         FALSE);

  return TRUE;
}

static gboolean
webrtc_check_timeout_cb (gpointer user_data)
{
  GTask *task = G_TASK (user_data);
  WebrtcCheck *check = g_task_get_task_data (task);

  check->timeout_id = 0;
  complete_webrtc_check (task,
                         g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                      "The WebRTC check did not finish within %d seconds",
                                      WEBRTC_CHECK_TIMEOUT_SECONDS),
                         FALSE);

  return G_SOURCE_REMOVE;
}

/**
 * confab_meeting_view_check_webrtc_async:
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Checks whether this WebKitGTK build offers WebRTC (`RTCPeerConnection`),
 * which Jitsi needs: some distribution builds have getUserMedia but no
 * peer connections. The check loads the shell page, a secure context, in a
 * hidden web view with the same settings as the meeting's.
 */
void
confab_meeting_view_check_webrtc_async (ConfabMeetingView   *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GTask *task;
  WebrtcCheck *check;

  g_return_if_fail (CONFAB_IS_MEETING_VIEW (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  /* This reference is the running check's; complete_webrtc_check() drops it. */
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, confab_meeting_view_check_webrtc_async);

  check = g_new0 (WebrtcCheck, 1);
  check->web_view = g_object_ref_sink (g_object_new (WEBKIT_TYPE_WEB_VIEW,
                                                     "network-session", webkit_web_view_get_network_session (self->web_view),
                                                     "settings", webkit_web_view_get_settings (self->web_view),
                                                     NULL));
  g_task_set_task_data (task, check, (GDestroyNotify) webrtc_check_free);

  g_signal_connect (check->web_view, "load-changed", G_CALLBACK (webrtc_check_load_changed_cb), task);
  g_signal_connect (check->web_view, "load-failed", G_CALLBACK (webrtc_check_load_failed_cb), task);
  check->timeout_id = g_timeout_add_seconds (WEBRTC_CHECK_TIMEOUT_SECONDS, webrtc_check_timeout_cb, task);

  webkit_web_view_load_uri (check->web_view, SHELL_URI);
}

/**
 * confab_meeting_view_check_webrtc_finish:
 *
 * Returns: %TRUE when `RTCPeerConnection` exists in this WebKitGTK build,
 *   %FALSE when it does not or with @error set when the check failed
 */
gboolean
confab_meeting_view_check_webrtc_finish (ConfabMeetingView  *self,
                                         GAsyncResult       *result,
                                         GError            **error)
{
  g_return_val_if_fail (CONFAB_IS_MEETING_VIEW (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
