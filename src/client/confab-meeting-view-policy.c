/* confab-meeting-view-policy.c: what the meeting view loads and allows.
 *
 * The top frame shows only the shell page or a blank page, and only when
 * the view itself loads it. Subframes show only the meeting's Jitsi origin. Any other
 * navigation or new window opens in the default browser instead. Media
 * permission requests are allowed only while the view shows nothing but
 * the meeting, and every other permission request is denied.
 */
#define G_LOG_DOMAIN "confab-meeting-view"

#include "config.h"

#include <string.h>

#include "confab-meeting-view-private.h"

/* A page could navigate away in a loop: open at most this many links in
 * the default browser per window of time.
 */
#define EXTERNAL_OPEN_MAX           5
#define EXTERNAL_OPEN_WINDOW_USEC   (10 * G_USEC_PER_SEC)

/* Checks that @uri is an https URI on the meeting's Jitsi origin. */
static gboolean
is_jitsi_uri (ConfabMeetingView *self,
              const char        *uri)
{
  gsize origin_length;

  if (self->jitsi_origin == NULL || uri == NULL)
    return FALSE;

  origin_length = strlen (self->jitsi_origin);

  return g_ascii_strncasecmp (uri, self->jitsi_origin, origin_length) == 0 &&
         (uri[origin_length] == '/' || uri[origin_length] == '?' ||
          uri[origin_length] == '#' || uri[origin_length] == '\0');
}

/* Blank frames inherit their parent's origin, so they add no new origin. */
static gboolean
is_blank_uri (const char *uri)
{
  return g_str_equal (uri, BLANK_URI) || g_str_equal (uri, "about:srcdoc");
}

static gboolean
shows_only_meeting (ConfabMeetingView *self)
{
  return self->domain != NULL &&
         self->shell_committed &&
         self->jitsi_frames > 0 &&
         g_strcmp0 (webkit_web_view_get_uri (self->web_view), SHELL_URI) == 0;
}

static void
show_uri_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error))
    g_message ("Could not open a link in the default browser: %s", error->message);
}

/* Opens @uri in the default browser, for navigations the view refuses. */
static void
open_externally (ConfabMeetingView *self,
                 const char        *uri)
{
  g_autofree char *scheme = g_uri_parse_scheme (uri);
  GtkRoot *root;
  gint64 now;

  if (scheme == NULL ||
      (g_ascii_strcasecmp (scheme, "https") != 0 &&
       g_ascii_strcasecmp (scheme, "http") != 0 &&
       g_ascii_strcasecmp (scheme, "mailto") != 0))
    {
      g_debug ("Ignored a navigation to a %s URI", scheme != NULL ? scheme : "relative");
      return;
    }

  now = g_get_monotonic_time ();
  if (now - self->external_open_window_start > EXTERNAL_OPEN_WINDOW_USEC)
    {
      self->external_open_window_start = now;
      self->external_opens = 0;
    }

  if (self->external_opens >= EXTERNAL_OPEN_MAX)
    {
      g_debug ("Ignored a navigation to another origin: too many in a row");
      return;
    }
  self->external_opens++;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  g_debug ("Opening a navigation to another origin in the default browser");
  gtk_show_uri_full (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri,
                     GDK_CURRENT_TIME, NULL, show_uri_cb, NULL);
}

static void
decide_navigation (ConfabMeetingView        *self,
                   WebKitPolicyDecision     *decision,
                   WebKitNavigationAction   *action)
{
  WebKitURIRequest *request = webkit_navigation_action_get_request (action);
  const char *uri = webkit_uri_request_get_uri (request);

  /* A WebKitGTK 2.50 navigation action does not name the navigating frame,
   * so this decision checks only the target and the response decision
   * below checks the top frame.
   */
  if (confab_meeting_view_is_own_top_load (self, uri) || is_blank_uri (uri) || is_jitsi_uri (self, uri))
    {
      webkit_policy_decision_use (decision);
      return;
    }

  webkit_policy_decision_ignore (decision);
  open_externally (self, uri);
}

static void
decide_response (ConfabMeetingView            *self,
                 WebKitResponsePolicyDecision *decision)
{
  WebKitURIRequest *request = webkit_response_policy_decision_get_request (decision);
  const char *uri = webkit_uri_request_get_uri (request);
  WebKitPolicyDecision *policy = WEBKIT_POLICY_DECISION (decision);

  if (webkit_response_policy_decision_is_main_frame_main_resource (decision))
    {
      if (confab_meeting_view_is_own_top_load (self, uri))
        webkit_policy_decision_use (policy);
      else
        webkit_policy_decision_ignore (policy);
      return;
    }

  /* Subframe documents: only the Jitsi origin, and nothing to download. */
  if (is_jitsi_uri (self, uri) && webkit_response_policy_decision_is_mime_type_supported (decision))
    {
      self->jitsi_frames++;
      webkit_policy_decision_use (policy);
      return;
    }

  if (!is_blank_uri (uri))
    g_debug ("Refused a subframe document from another origin");
  webkit_policy_decision_ignore (policy);
}

static gboolean
decide_policy_cb (WebKitWebView            *web_view,
                  WebKitPolicyDecision     *decision,
                  WebKitPolicyDecisionType  type,
                  gpointer                  user_data)
{
  ConfabMeetingView *self = CONFAB_MEETING_VIEW (user_data);
  WebKitNavigationAction *action;

  switch (type)
    {
    case WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION:
      action = webkit_navigation_policy_decision_get_navigation_action (WEBKIT_NAVIGATION_POLICY_DECISION (decision));
      decide_navigation (self, decision, action);
      return TRUE;

    case WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION:
      action = webkit_navigation_policy_decision_get_navigation_action (WEBKIT_NAVIGATION_POLICY_DECISION (decision));
      webkit_policy_decision_ignore (decision);
      open_externally (self, webkit_uri_request_get_uri (webkit_navigation_action_get_request (action)));
      return TRUE;

    case WEBKIT_POLICY_DECISION_TYPE_RESPONSE:
      decide_response (self, WEBKIT_RESPONSE_POLICY_DECISION (decision));
      return TRUE;

    default:
      webkit_policy_decision_ignore (decision);
      return TRUE;
    }
}

static gboolean
permission_request_cb (WebKitWebView           *web_view,
                       WebKitPermissionRequest *request,
                       gpointer                 user_data)
{
  ConfabMeetingView *self = CONFAB_MEETING_VIEW (user_data);
  gboolean is_media = WEBKIT_IS_USER_MEDIA_PERMISSION_REQUEST (request) ||
                      WEBKIT_IS_DEVICE_INFO_PERMISSION_REQUEST (request);

  if (is_media && shows_only_meeting (self))
    {
      g_debug ("Allowed a media permission request for the meeting on %s", self->domain);
      webkit_permission_request_allow (request);
      return TRUE;
    }

  g_debug ("Denied a %s permission request", G_OBJECT_TYPE_NAME (request));
  webkit_permission_request_deny (request);
  return TRUE;
}

/* window.open () asks for a new web view without a new-window policy
 * decision first, so refuse it here the same way.
 */
static GtkWidget *
create_cb (WebKitWebView          *web_view,
           WebKitNavigationAction *action,
           gpointer                user_data)
{
  ConfabMeetingView *self = CONFAB_MEETING_VIEW (user_data);
  WebKitURIRequest *request = webkit_navigation_action_get_request (action);

  open_externally (self, webkit_uri_request_get_uri (request));

  return NULL;
}

/* Connects the policy to the view's web view. */
void
confab_meeting_view_connect_policy (ConfabMeetingView *self)
{
  g_signal_connect_object (self->web_view, "decide-policy", G_CALLBACK (decide_policy_cb), self, 0);
  g_signal_connect_object (self->web_view, "permission-request", G_CALLBACK (permission_request_cb), self, 0);
  g_signal_connect_object (self->web_view, "create", G_CALLBACK (create_cb), self, 0);
}
