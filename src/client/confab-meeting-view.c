/* confab-meeting-view.c: the embedded Jitsi meeting and its JavaScript bridge.
 *
 * The view loads a local shell page (confab-meeting://meeting/shell.html,
 * served from GResource) that loads https://<domain>/external_api.js and
 * creates the meeting with the Jitsi IFrame API. Parameters and commands go
 * to the shell as arguments of webkit_web_view_call_async_javascript_function().
 *
 * Events come back through a script message handler that exists only in the
 * isolated script world "confab-bridge". The bridge script runs in that world
 * in the top frame only, so neither the page's own scripts nor the
 * cross-origin meeting iframe can post to the handler directly. The shell
 * hands events to the bridge as DOM events on its document. Jitsi's
 * external_api.js runs in the shell page too, so every message is still
 * untrusted and validated here before a signal is emitted.
 *
 * The view owns the navigation and permission policy: the top frame shows
 * only the shell page, subframes only the meeting's Jitsi origin, and
 * anything else opens in the default browser. Camera and microphone requests
 * are allowed only while the view shows nothing but that meeting, because a
 * WebKitGTK permission request does not name the requesting frame. That
 * policy is in confab-meeting-view-policy.c and the WebRTC check in
 * confab-meeting-view-webrtc.c.
 */
#define G_LOG_DOMAIN "confab-meeting-view"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "confab-meeting-view-private.h"
#include "confab-protocol.h"

#define RESOURCE_PATH         "/io/github/confab/Confab/meeting/"
#define BRIDGE_WORLD          "confab-bridge"
#define BRIDGE_HANDLER        "confab"

/* Bridge messages are small JSON objects, so anything larger is dropped. */
#define BRIDGE_MESSAGE_MAX    (8 * 1024)
#define ERROR_NAME_MAX        128
#define DISPLAY_NAME_MAX_CHARS 256


G_DEFINE_FINAL_TYPE (ConfabMeetingView, confab_meeting_view, GTK_TYPE_WIDGET)

enum {
  SIGNAL_CONFERENCE_JOINED,
  SIGNAL_PARTICIPANT_JOINED,
  SIGNAL_PARTICIPANT_LEFT,
  SIGNAL_READY_TO_CLOSE,
  SIGNAL_AUDIO_MUTE_CHANGED,
  SIGNAL_MEETING_ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Helpers */

/**
 * confab_meeting_view_is_valid_domain:
 * @domain: (nullable): a Jitsi domain as the server sent it
 *
 * Checks that @domain is a host name or IPv4 address made of
 * `[A-Za-z0-9.-]`, optionally followed by `:port` (1–65535), and nothing
 * else, so that `https://` + @domain + `/` names exactly that origin.
 */
gboolean
confab_meeting_view_is_valid_domain (const char *domain)
{
  const char *colon;
  gsize host_length;

  if (domain == NULL || domain[0] == '\0' || strlen (domain) > 253 + 6)
    return FALSE;

  colon = strchr (domain, ':');
  host_length = colon != NULL ? (gsize) (colon - domain) : strlen (domain);
  if (host_length == 0 || host_length > 253 || domain[0] == '.' || domain[0] == '-')
    return FALSE;

  for (gsize i = 0; i < host_length; i++)
    {
      if (!g_ascii_isalnum (domain[i]) && domain[i] != '.' && domain[i] != '-')
        return FALSE;
    }

  if (colon != NULL)
    {
      guint64 port;

      if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL))
        return FALSE;
    }

  return TRUE;
}

/* Returns https://@domain as WebKit writes it in URIs: without the default port. */
static char *
build_origin (const char *domain)
{
  if (g_str_has_suffix (domain, ":443"))
    return g_strdup_printf ("https://%.*s", (int) (strlen (domain) - strlen (":443")), domain);

  return g_strconcat ("https://", domain, NULL);
}

static void
reset_frame_state (ConfabMeetingView *self)
{
  self->shell_committed = FALSE;
  self->jitsi_frames = 0;
}

/* Checks whether @uri is a top-frame load that the view started and that
 * has not committed yet.
 */
gboolean
confab_meeting_view_is_own_top_load (ConfabMeetingView *self,
                                     const char        *uri)
{
  for (guint i = 0; i < self->own_top_loads->len; i++)
    {
      if (g_strcmp0 (g_ptr_array_index (self->own_top_loads, i), uri) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Removes @uri from the loads the view started, with every older one
 * because a newer load replaced those. Returns whether @uri was there.
 */
static gboolean
consume_own_top_load (ConfabMeetingView *self,
                      const char        *uri)
{
  for (guint i = 0; i < self->own_top_loads->len; i++)
    {
      if (g_strcmp0 (g_ptr_array_index (self->own_top_loads, i), uri) == 0)
        {
          g_ptr_array_remove_range (self->own_top_loads, 0, i + 1);
          return TRUE;
        }
    }

  return FALSE;
}

/* Forgets the current meeting, so that its commands, pending start and
 * late bridge messages cannot reach the next one.
 */
static void
clear_meeting (ConfabMeetingView *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_clear_pointer (&self->domain, g_free);
  g_clear_pointer (&self->jitsi_origin, g_free);
  g_clear_pointer (&self->start_arguments, g_variant_unref);
  g_clear_pointer (&self->meeting_token, g_free);
}

static void
load_top_uri (ConfabMeetingView *self,
              const char        *uri)
{
  gboolean is_blank = g_str_equal (uri, BLANK_URI);

  if (self->blank_loading)
    {
      g_free (self->queued_top_uri);
      self->queued_top_uri = is_blank ? NULL : g_strdup (uri);
      return;
    }

  g_ptr_array_add (self->own_top_loads, g_strdup (uri));
  reset_frame_state (self);
  self->blank_loading = is_blank;

  webkit_web_view_load_uri (self->web_view, uri);
}

/* Starts the load that waited for the blank page, if any. */
static void
load_queued_top_uri (ConfabMeetingView *self)
{
  g_autofree char *uri = g_steal_pointer (&self->queued_top_uri);

  self->blank_loading = FALSE;
  if (uri != NULL)
    load_top_uri (self, uri);
}

static void
emit_meeting_error (ConfabMeetingView *self,
                    const char        *kind,
                    const char        *message)
{
  g_debug ("Meeting error (%s): %s", kind, message);
  g_signal_emit (self, signals[SIGNAL_MEETING_ERROR], 0, kind, message);
}

/* Jitsi error names look like "connection.passwordRequired". */
static gboolean
is_error_name (const char *name)
{
  gsize length;

  if (name == NULL)
    return FALSE;

  length = strlen (name);
  if (length == 0 || length > ERROR_NAME_MAX)
    return FALSE;

  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isalnum (name[i]) && name[i] != '.' && name[i] != '-' && name[i] != '_')
        return FALSE;
    }

  return TRUE;
}

/* Sorts a Jitsi error into the kinds the meeting page acts on. The names
 * are Jitsi's JitsiConnectionErrors and JitsiConferenceErrors values.
 */
static const char *
classify_error (const char *type,
                const char *name)
{
  static const char * const authentication_names[] = {
    "passwordRequired",
    "authenticationRequired",
    "notAllowed",
    "membersOnly",
    "tokenAuthFailed",
    "tokenExpired",
  };

  for (guint i = 0; i < G_N_ELEMENTS (authentication_names); i++)
    {
      if (strstr (name, authentication_names[i]) != NULL)
        return "authentication";
    }

  if (g_strcmp0 (type, "CONNECTION") == 0 || g_str_has_prefix (name, "connection."))
    return "connection";

  return "other";
}

/* Returns the member @name when it is a string, NULL when it is absent or
 * null, and sets @valid to FALSE for any other type.
 */
static const char *
get_optional_string (JsonObject *object,
                     const char *name,
                     gboolean   *valid)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *valid = FALSE;
      return NULL;
    }

  return json_node_get_string (node);
}

/* Checks that @name is absent, or valid UTF-8 of at most
 * DISPLAY_NAME_MAX_CHARS characters.
 */
static gboolean
is_display_name (const char *name)
{
  return name == NULL ||
         (g_utf8_validate (name, -1, NULL) &&
          g_utf8_strlen (name, DISPLAY_NAME_MAX_CHARS + 1) <= DISPLAY_NAME_MAX_CHARS);
}

static void
handle_participant_event (ConfabMeetingView *self,
                          JsonObject        *message,
                          guint              signal_id)
{
  gboolean valid = TRUE;
  const char *id = get_optional_string (message, "id", &valid);
  const char *display_name = get_optional_string (message, "displayName", &valid);

  if (!valid || !confab_protocol_is_jitsi_id (id) || !is_display_name (display_name))
    {
      g_debug ("Dropped a bridge message with an invalid participant id or name");
      return;
    }

  g_signal_emit (self, signals[signal_id], 0, id, display_name != NULL ? display_name : "");
}

static void
handle_participant_left (ConfabMeetingView *self,
                         JsonObject        *message)
{
  gboolean valid = TRUE;
  const char *id = get_optional_string (message, "id", &valid);

  if (!valid || !confab_protocol_is_jitsi_id (id))
    {
      g_debug ("Dropped a participantLeft message with an invalid id");
      return;
    }

  g_signal_emit (self, signals[SIGNAL_PARTICIPANT_LEFT], 0, id);
}

static void
handle_audio_mute_changed (ConfabMeetingView *self,
                           JsonObject        *message)
{
  JsonNode *node = json_object_get_member (message, "muted");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_debug ("Dropped an audioMuteChanged message without a boolean \"muted\"");
      return;
    }

  g_signal_emit (self, signals[SIGNAL_AUDIO_MUTE_CHANGED], 0, json_node_get_boolean (node));
}

static void
handle_error (ConfabMeetingView *self,
              JsonObject        *message)
{
  gboolean valid = TRUE;
  const char *name = get_optional_string (message, "name", &valid);
  const char *type = get_optional_string (message, "type", &valid);
  JsonNode *fatal = json_object_get_member (message, "isFatal");
  g_autofree char *text = NULL;
  const char *kind;

  if (!valid || !is_error_name (name) || (type != NULL && !is_error_name (type)))
    {
      g_debug ("Dropped an error message with an invalid name or type");
      return;
    }

  /* Jitsi recovers from non-fatal errors by itself. */
  if (fatal != NULL && JSON_NODE_HOLDS_VALUE (fatal) &&
      json_node_get_value_type (fatal) == G_TYPE_BOOLEAN && !json_node_get_boolean (fatal))
    {
      g_debug ("Jitsi reported a non-fatal error: %s", name);
      return;
    }

  kind = classify_error (type, name);
  if (g_str_equal (kind, "authentication"))
    /* Translators: the first %s is a server name, the second Jitsi's error name. */
    text = g_strdup_printf (_("The meeting server %s did not accept the meeting token (%s)."),
                            self->domain, name);
  else if (g_str_equal (kind, "connection"))
    /* Translators: the first %s is a server name, the second Jitsi's error name. */
    text = g_strdup_printf (_("The connection to the meeting server %s failed (%s)."),
                            self->domain, name);
  else
    /* Translators: %s is Jitsi's error name, such as "conference.destroyed". */
    text = g_strdup_printf (_("The meeting reported an error (%s)."), name);

  emit_meeting_error (self, kind, text);
}

static void
dispatch_bridge_message (ConfabMeetingView *self,
                         JsonObject        *message)
{
  gboolean valid = TRUE;
  const char *event = get_optional_string (message, "event", &valid);
  const char *token = get_optional_string (message, "token", &valid);
  g_autofree char *text = NULL;

  if (g_strcmp0 (token, self->meeting_token) != 0)
    {
      g_debug ("Dropped a bridge message from an earlier meeting");
      return;
    }

  if (event == NULL)
    {
      g_debug ("Dropped a bridge message without a string \"event\"");
      return;
    }

  if (g_str_equal (event, "conferenceJoined"))
    handle_participant_event (self, message, SIGNAL_CONFERENCE_JOINED);
  else if (g_str_equal (event, "participantJoined"))
    handle_participant_event (self, message, SIGNAL_PARTICIPANT_JOINED);
  else if (g_str_equal (event, "participantLeft"))
    handle_participant_left (self, message);
  else if (g_str_equal (event, "readyToClose"))
    g_signal_emit (self, signals[SIGNAL_READY_TO_CLOSE], 0);
  else if (g_str_equal (event, "audioMuteChanged"))
    handle_audio_mute_changed (self, message);
  else if (g_str_equal (event, "error"))
    handle_error (self, message);
  else if (g_str_equal (event, "loadFailed"))
    {
      /* Translators: %s is a server name such as meet.example.org. */
      text = g_strdup_printf (_("Could not load the meeting from %s. Check that the server is reachable and that its certificate is valid."),
                              self->domain);
      emit_meeting_error (self, "connection", text);
    }
  else if (g_str_equal (event, "apiMissing"))
    {
      /* Translators: %s is a server name such as meet.example.org. */
      text = g_strdup_printf (_("%s does not serve the Jitsi Meet IFrame API."), self->domain);
      emit_meeting_error (self, "other", text);
    }
  else
    g_debug ("Dropped a bridge message with an unknown event");
}

static void
start_meeting_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = NULL;
  ConfabMeetingView *self;

  value = webkit_web_view_call_async_javascript_function_finish (WEBKIT_WEB_VIEW (source), result, &error);
  if (value == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CONFAB_MEETING_VIEW (user_data);
  if (value == NULL)
    {
      g_warning ("Could not start the meeting in the shell page: %s", error->message);
      emit_meeting_error (self, "other", _("Could not start the meeting view."));
    }
}

/* Runs the shell's start() once the shell page has loaded for a meeting. */
static void
run_start (ConfabMeetingView *self)
{
  g_autoptr(GVariant) arguments = g_steal_pointer (&self->start_arguments);
  const char *body =
    "confabShell.start ({ domain, roomName, jwt, displayName, email, subject, token });\n"
    "return true;";

  webkit_web_view_call_async_javascript_function (self->web_view, body, -1, arguments,
                                                  NULL, SHELL_URI, self->cancellable,
                                                  start_meeting_cb, self);
}

static void
run_command_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = NULL;

  value = webkit_web_view_call_async_javascript_function_finish (WEBKIT_WEB_VIEW (source), result, &error);
  if (value == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("A meeting command failed in the shell page: %s", error->message);
  else if (value != NULL && !jsc_value_to_boolean (value))
    g_debug ("The shell page ignored a meeting command: no meeting yet");
}

/* Calls confabShell.command(name, argument) in the shell page. */
static void
run_command (ConfabMeetingView *self,
             const char        *name,
             GVariant          *argument)
{
  g_autoptr(GVariant) floating_argument = argument != NULL ? g_variant_ref_sink (argument) : NULL;
  GVariantBuilder builder;

  if (self->domain == NULL || !self->shell_committed)
    {
      g_debug ("Ignored the meeting command %s: no meeting", name);
      return;
    }

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "name", g_variant_new_string (name));
  if (floating_argument != NULL)
    g_variant_builder_add (&builder, "{sv}", "argument", floating_argument);
  else
    g_variant_builder_add (&builder, "{sv}", "argument", g_variant_new_string (""));

  webkit_web_view_call_async_javascript_function (self->web_view,
                                                  "return confabShell.command (name, argument);", -1,
                                                  g_variant_builder_end (&builder),
                                                  NULL, SHELL_URI, self->cancellable,
                                                  run_command_cb, NULL);
}

static void
run_participant_command (ConfabMeetingView *self,
                         const char        *name,
                         const char        *jitsi_id)
{
  if (!confab_protocol_is_jitsi_id (jitsi_id))
    {
      g_warning ("Ignored the meeting command %s: “%s” is not a Jitsi participant id",
                 name, jitsi_id != NULL ? jitsi_id : "(null)");
      return;
    }

  run_command (self, name, g_variant_new_string (jitsi_id));
}

/* Returns a message for the user when @params cannot start a meeting, or NULL. */
static char *
describe_invalid_params (const ConfabMeetingParams *params)
{
  g_autofree char *shown = NULL;

  if (params->jitsi_room == NULL || params->jitsi_room[0] == '\0')
    return g_strdup (_("The meeting has no Jitsi room name."));

  if (confab_meeting_view_is_valid_domain (params->domain))
    return NULL;

  /* The name goes into a label: keep it valid UTF-8 and short. */
  if (params->domain != NULL && g_utf8_validate (params->domain, -1, NULL))
    shown = g_utf8_substring (params->domain, 0, MIN (g_utf8_strlen (params->domain, -1), 80));
  else
    shown = g_strdup ("");

  /* Translators: %s is the meeting server name the Confab server sent. */
  return g_strdup_printf (_("“%s” is not a valid meeting server name. Ask the server's administrator to check the Jitsi domain setting."),
                          shown);
}

static GVariant *
build_start_arguments (const ConfabMeetingParams *params,
                       const char                *token)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "token", g_variant_new_string (token));
  g_variant_builder_add (&builder, "{sv}", "domain", g_variant_new_string (params->domain));
  g_variant_builder_add (&builder, "{sv}", "roomName", g_variant_new_string (params->jitsi_room));
  g_variant_builder_add (&builder, "{sv}", "jwt",
                         g_variant_new_string (params->jwt != NULL ? params->jwt : ""));
  g_variant_builder_add (&builder, "{sv}", "displayName",
                         g_variant_new_string (params->display_name != NULL ? params->display_name : ""));
  g_variant_builder_add (&builder, "{sv}", "email",
                         g_variant_new_string (params->email != NULL ? params->email : ""));
  g_variant_builder_add (&builder, "{sv}", "subject",
                         g_variant_new_string (params->subject != NULL ? params->subject : ""));

  return g_variant_builder_end (&builder);
}

static void
serve_shell_resource (WebKitURISchemeRequest *request)
{
  static const char * const files[][2] = {
    { "/shell.html", "text/html" },
    { "/shell.js", "text/javascript" },
  };
  const char *path = webkit_uri_scheme_request_get_path (request);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *resource = NULL;
      g_autoptr(GInputStream) stream = NULL;
      g_autoptr(GError) error = NULL;
      gsize size;

      if (g_strcmp0 (path, files[i][0]) != 0)
        continue;

      resource = g_strconcat (RESOURCE_PATH, path + 1, NULL);
      if (!g_resources_get_info (resource, G_RESOURCE_LOOKUP_FLAGS_NONE, &size, NULL, &error) ||
          (stream = g_resources_open_stream (resource, G_RESOURCE_LOOKUP_FLAGS_NONE, &error)) == NULL)
        {
          webkit_uri_scheme_request_finish_error (request, error);
          return;
        }

      webkit_uri_scheme_request_finish (request, stream, size, files[i][1]);
      return;
    }

  {
    g_autoptr(GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                           "%s is not part of the meeting shell",
                                           webkit_uri_scheme_request_get_uri (request));
    webkit_uri_scheme_request_finish_error (request, error);
  }
}

/* Callbacks */

static void
shell_scheme_request_cb (WebKitURISchemeRequest *request,
                         gpointer                user_data)
{
  serve_shell_resource (request);
}

static void
script_message_received_cb (WebKitUserContentManager *manager,
                            JSCValue                 *value,
                            gpointer                  user_data)
{
  ConfabMeetingView *self = CONFAB_MEETING_VIEW (user_data);
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *text = NULL;
  JsonNode *root;

  if (self->domain == NULL ||
      g_strcmp0 (webkit_web_view_get_uri (self->web_view), SHELL_URI) != 0)
    {
      g_debug ("Dropped a bridge message: no meeting in the view");
      return;
    }

  if (!jsc_value_is_string (value))
    {
      g_debug ("Dropped a bridge message that is not a string");
      return;
    }

  text = jsc_value_to_string (value);
  if (text == NULL || strlen (text) > BRIDGE_MESSAGE_MAX)
    {
      g_debug ("Dropped a bridge message larger than %d bytes", BRIDGE_MESSAGE_MAX);
      return;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, -1, NULL))
    {
      g_debug ("Dropped a bridge message that is not JSON");
      return;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_debug ("Dropped a bridge message that is not a JSON object");
      return;
    }

  dispatch_bridge_message (self, json_node_get_object (root));
}

static void
load_changed_cb (WebKitWebView   *web_view,
                 WebKitLoadEvent  load_event,
                 gpointer         user_data)
{
  ConfabMeetingView *self = CONFAB_MEETING_VIEW (user_data);
  const char *uri = webkit_web_view_get_uri (web_view);

  /* Each load the view starts is allowed once, so a script in the page
   * cannot reload the shell without its meeting.
   */
  if (load_event == WEBKIT_LOAD_COMMITTED)
    {
      gboolean expected = consume_own_top_load (self, uri);

      reset_frame_state (self);
      self->shell_committed = expected && g_strcmp0 (uri, SHELL_URI) == 0;

      /* The policy lets a page blank the top frame, which ends the meeting. */
      if (!expected && self->domain != NULL)
        {
          g_message ("The meeting page on %s was replaced by a page the view did not load", self->domain);
          emit_meeting_error (self, "other", _("The meeting page closed unexpectedly."));
        }
      return;
    }

  /* A failed load finishes too, so this also runs after a failure. */
  if (load_event == WEBKIT_LOAD_FINISHED && self->blank_loading && g_strcmp0 (uri, BLANK_URI) == 0)
    {
      load_queued_top_uri (self);
      return;
    }

  if (load_event == WEBKIT_LOAD_FINISHED && self->shell_committed &&
      self->start_arguments != NULL && g_strcmp0 (uri, SHELL_URI) == 0)
    run_start (self);
}

static gboolean
load_failed_cb (WebKitWebView   *web_view,
                WebKitLoadEvent  load_event,
                const char      *failing_uri,
                GError          *error,
                gpointer         user_data)
{
  ConfabMeetingView *self = CONFAB_MEETING_VIEW (user_data);

  /* A refused navigation ends as "frame load interrupted by policy change". */
  if (g_error_matches (error, WEBKIT_POLICY_ERROR, WEBKIT_POLICY_ERROR_FRAME_LOAD_INTERRUPTED_BY_POLICY_CHANGE) ||
      g_error_matches (error, WEBKIT_NETWORK_ERROR, WEBKIT_NETWORK_ERROR_CANCELLED))
    return FALSE;

  if (self->start_arguments != NULL)
    {
      g_clear_pointer (&self->start_arguments, g_variant_unref);
      g_warning ("Could not load the meeting shell page: %s", error->message);
      emit_meeting_error (self, "other", _("Could not load the meeting view."));
    }

  return FALSE;
}

static void
web_process_terminated_cb (WebKitWebView                     *web_view,
                           WebKitWebProcessTerminationReason  reason,
                           gpointer                           user_data)
{
  ConfabMeetingView *self = CONFAB_MEETING_VIEW (user_data);

  if (reason == WEBKIT_WEB_PROCESS_TERMINATED_BY_API || self->domain == NULL)
    return;

  g_warning ("The meeting's web process ended (reason %d)", reason);
  reset_frame_state (self);
  emit_meeting_error (self, "other", _("The meeting view stopped unexpectedly."));
}

/* Class */

static void
register_shell_scheme (WebKitWebContext *context)
{
  WebKitSecurityManager *security = webkit_web_context_get_security_manager (context);

  /* Register once per web context, because WebKit rejects a second registration. */
  if (g_object_get_data (G_OBJECT (context), "confab-meeting-scheme") != NULL)
    return;

  webkit_web_context_register_uri_scheme (context, SHELL_SCHEME, shell_scheme_request_cb, NULL, NULL);

  /* The shell must be a secure context for the meeting iframe to use the
   * camera and microphone.
   */
  webkit_security_manager_register_uri_scheme_as_secure (security, SHELL_SCHEME);
  g_object_set_data (G_OBJECT (context), "confab-meeting-scheme", GINT_TO_POINTER (TRUE));
}

static WebKitUserContentManager *
create_content_manager (ConfabMeetingView *self)
{
  g_autoptr(WebKitUserContentManager) manager = webkit_user_content_manager_new ();
  g_autoptr(GBytes) bridge = NULL;
  g_autoptr(WebKitUserScript) script = NULL;

  bridge = g_resources_lookup_data (RESOURCE_PATH "bridge.js", G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert (bridge != NULL);

  g_signal_connect_object (manager, "script-message-received::" BRIDGE_HANDLER,
                           G_CALLBACK (script_message_received_cb), self, 0);
  webkit_user_content_manager_register_script_message_handler (manager, BRIDGE_HANDLER, BRIDGE_WORLD);

  script = webkit_user_script_new_for_world (g_bytes_get_data (bridge, NULL),
                                             WEBKIT_USER_CONTENT_INJECT_TOP_FRAME,
                                             WEBKIT_USER_SCRIPT_INJECT_AT_DOCUMENT_START,
                                             BRIDGE_WORLD, NULL, NULL);
  webkit_user_content_manager_add_script (manager, script);

  return g_steal_pointer (&manager);
}

static WebKitSettings *
create_settings (void)
{
  WebKitSettings *settings = webkit_settings_new ();

  webkit_settings_set_enable_webrtc (settings, TRUE);
  webkit_settings_set_enable_media_stream (settings, TRUE);
  webkit_settings_set_media_playback_requires_user_gesture (settings, FALSE);
  webkit_settings_set_javascript_can_open_windows_automatically (settings, FALSE);
  webkit_settings_set_enable_back_forward_navigation_gestures (settings, FALSE);
  webkit_settings_set_enable_developer_extras (settings, g_getenv ("CONFAB_DEBUG") != NULL);

  return settings;
}

static void
create_web_view (ConfabMeetingView    *self,
                 WebKitNetworkSession *session)
{
  g_autoptr(WebKitUserContentManager) manager = create_content_manager (self);
  g_autoptr(WebKitSettings) settings = create_settings ();

  self->web_view = g_object_new (WEBKIT_TYPE_WEB_VIEW,
                                 "network-session", session,
                                 "user-content-manager", manager,
                                 "settings", settings,
                                 "hexpand", TRUE,
                                 "vexpand", TRUE,
                                 NULL);
  gtk_widget_set_parent (GTK_WIDGET (self->web_view), GTK_WIDGET (self));
  register_shell_scheme (webkit_web_view_get_context (self->web_view));

  confab_meeting_view_connect_policy (self);
  g_signal_connect_object (self->web_view, "load-changed", G_CALLBACK (load_changed_cb), self, 0);
  g_signal_connect_object (self->web_view, "load-failed", G_CALLBACK (load_failed_cb), self, 0);
  g_signal_connect_object (self->web_view, "web-process-terminated",
                           G_CALLBACK (web_process_terminated_cb), self, 0);
}

static void
confab_meeting_view_dispose (GObject *object)
{
  ConfabMeetingView *self = CONFAB_MEETING_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->web_view != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->web_view));
      self->web_view = NULL;
    }

  G_OBJECT_CLASS (confab_meeting_view_parent_class)->dispose (object);
}

static void
confab_meeting_view_finalize (GObject *object)
{
  ConfabMeetingView *self = CONFAB_MEETING_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->domain, g_free);
  g_clear_pointer (&self->jitsi_origin, g_free);
  g_clear_pointer (&self->start_arguments, g_variant_unref);
  g_clear_pointer (&self->own_top_loads, g_ptr_array_unref);
  g_clear_pointer (&self->queued_top_uri, g_free);
  g_clear_pointer (&self->meeting_token, g_free);

  G_OBJECT_CLASS (confab_meeting_view_parent_class)->finalize (object);
}

static void
confab_meeting_view_class_init (ConfabMeetingViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = confab_meeting_view_dispose;
  object_class->finalize = confab_meeting_view_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  /**
   * ConfabMeetingView::conference-joined:
   * @participant_id: the local participant's Jitsi id
   * @display_name: the name Jitsi shows, possibly empty
   *
   * Emitted when the local user has joined the Jitsi conference.
   */
  signals[SIGNAL_CONFERENCE_JOINED] =
    g_signal_new ("conference-joined", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * ConfabMeetingView::participant-joined:
   * @participant_id: the other participant's Jitsi id
   * @display_name: the name Jitsi shows, possibly empty
   */
  signals[SIGNAL_PARTICIPANT_JOINED] =
    g_signal_new ("participant-joined", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * ConfabMeetingView::participant-left:
   * @participant_id: the Jitsi id of the participant who left
   */
  signals[SIGNAL_PARTICIPANT_LEFT] =
    g_signal_new ("participant-left", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * ConfabMeetingView::ready-to-close:
   *
   * Emitted when Jitsi is done with the meeting, after a hangup for example.
   */
  signals[SIGNAL_READY_TO_CLOSE] =
    g_signal_new ("ready-to-close", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * ConfabMeetingView::audio-mute-changed:
   * @muted: whether the local microphone is now muted
   */
  signals[SIGNAL_AUDIO_MUTE_CHANGED] =
    g_signal_new ("audio-mute-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  /**
   * ConfabMeetingView::meeting-error:
   * @kind: "connection", "authentication" or "other"
   * @message: a translated sentence for the user
   *
   * Emitted when the meeting cannot go on: external_api.js did not load,
   * Jitsi reported a fatal error, or the web process ended.
   */
  signals[SIGNAL_MEETING_ERROR] =
    g_signal_new ("meeting-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
confab_meeting_view_init (ConfabMeetingView *self)
{
  self->cancellable = g_cancellable_new ();
  self->own_top_loads = g_ptr_array_new_with_free_func (g_free);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Video meeting"),
                                  -1);
}

/* Public API */

/**
 * confab_meeting_view_new:
 * @session: the network session for the meeting's cookies and cache
 *
 * Creates a meeting view that shows nothing until
 * confab_meeting_view_start() is called.
 */
ConfabMeetingView *
confab_meeting_view_new (WebKitNetworkSession *session)
{
  ConfabMeetingView *self;

  g_return_val_if_fail (WEBKIT_IS_NETWORK_SESSION (session), NULL);

  self = g_object_new (CONFAB_TYPE_MEETING_VIEW, NULL);
  create_web_view (self, session);

  return self;
}

/**
 * confab_meeting_view_start:
 * @params: the meeting to join
 *
 * Loads the shell page and joins the Jitsi meeting described by @params,
 * replacing any meeting the view showed. An invalid domain or an empty room
 * name is reported with #ConfabMeetingView::meeting-error.
 */
void
confab_meeting_view_start (ConfabMeetingView         *self,
                           const ConfabMeetingParams *params)
{
  g_autofree char *invalid = NULL;

  g_return_if_fail (CONFAB_IS_MEETING_VIEW (self));
  g_return_if_fail (params != NULL);

  invalid = describe_invalid_params (params);
  if (invalid != NULL)
    {
      confab_meeting_view_stop (self);
      emit_meeting_error (self, "other", invalid);
      return;
    }

  /* Loading the shell page below replaces any earlier meeting's page. */
  if (self->domain != NULL)
    {
      g_debug ("Replacing the meeting on %s", self->domain);
      clear_meeting (self);
    }

  self->domain = g_strdup (params->domain);
  self->jitsi_origin = build_origin (params->domain);
  self->meeting_token = g_uuid_string_random ();
  self->start_arguments = g_variant_ref_sink (build_start_arguments (params, self->meeting_token));

  /* NOTE: when the meeting page loads but never joins, the view reports
   * nothing until Jitsi itself raises errorOccurred; there is no join timeout.
   */
  g_debug ("Starting the meeting %s on %s", params->jitsi_room, params->domain);
  load_top_uri (self, SHELL_URI);
}

/**
 * confab_meeting_view_stop:
 *
 * Ends the meeting in the view, if any, and shows a blank page. Media
 * permission requests are denied from now on.
 */
void
confab_meeting_view_stop (ConfabMeetingView *self)
{
  g_return_if_fail (CONFAB_IS_MEETING_VIEW (self));

  if (self->domain == NULL)
    return;

  g_debug ("Stopping the meeting on %s", self->domain);
  clear_meeting (self);

  /* Leaving the page unloads the iframe, which ends the Jitsi session. */
  load_top_uri (self, BLANK_URI);
}

/**
 * confab_meeting_view_is_started:
 *
 * Returns: %TRUE between confab_meeting_view_start() and confab_meeting_view_stop()
 */
gboolean
confab_meeting_view_is_started (ConfabMeetingView *self)
{
  g_return_val_if_fail (CONFAB_IS_MEETING_VIEW (self), FALSE);

  return self->domain != NULL;
}

/**
 * confab_meeting_view_get_web_view:
 *
 * Returns the web view inside, for tests and for settings such as zoom.
 * Loading anything into it directly goes against the view's navigation
 * policy and is refused.
 *
 * Returns: (transfer none): the web view
 */
WebKitWebView *
confab_meeting_view_get_web_view (ConfabMeetingView *self)
{
  g_return_val_if_fail (CONFAB_IS_MEETING_VIEW (self), NULL);

  return self->web_view;
}

/**
 * confab_meeting_view_build_meeting_url:
 * @domain: the Jitsi domain, host with an optional ":port"
 * @jitsi_room: the Jitsi room name
 * @jwt: (nullable): the meeting token
 *
 * Builds the meeting's address for a web browser. The JWT goes in the query,
 * which is how Jitsi reads it; keep the result out of logs.
 *
 * Returns: (transfer full) (nullable): the URL, or %NULL when @domain is not
 *   a valid host name or @jitsi_room is empty
 */
char *
confab_meeting_view_build_meeting_url (const char *domain,
                                       const char *jitsi_room,
                                       const char *jwt)
{
  g_autofree char *escaped_room = NULL;
  g_autofree char *escaped_jwt = NULL;

  if (!confab_meeting_view_is_valid_domain (domain) || jitsi_room == NULL || jitsi_room[0] == '\0')
    return NULL;

  escaped_room = g_uri_escape_string (jitsi_room, NULL, FALSE);
  if (jwt == NULL || jwt[0] == '\0')
    return g_strdup_printf ("https://%s/%s", domain, escaped_room);

  escaped_jwt = g_uri_escape_string (jwt, NULL, FALSE);
  return g_strdup_printf ("https://%s/%s?jwt=%s", domain, escaped_room, escaped_jwt);
}

/**
 * confab_meeting_view_hangup:
 *
 * Asks Jitsi to leave the meeting; #ConfabMeetingView::ready-to-close follows.
 */
void
confab_meeting_view_hangup (ConfabMeetingView *self)
{
  g_return_if_fail (CONFAB_IS_MEETING_VIEW (self));

  run_command (self, "hangup", NULL);
}

/**
 * confab_meeting_view_set_audio_muted:
 * @muted: whether the local microphone should be muted
 */
void
confab_meeting_view_set_audio_muted (ConfabMeetingView *self,
                                     gboolean           muted)
{
  g_return_if_fail (CONFAB_IS_MEETING_VIEW (self));

  /* Arguments cannot be booleans, so the state is in the command name. */
  run_command (self, muted ? "muteAudio" : "unmuteAudio", NULL);
}

/**
 * confab_meeting_view_mute_participant:
 * @jitsi_id: the participant's Jitsi id
 *
 * Mutes another participant's microphone; Jitsi accepts this from moderators only.
 */
void
confab_meeting_view_mute_participant (ConfabMeetingView *self,
                                      const char        *jitsi_id)
{
  g_return_if_fail (CONFAB_IS_MEETING_VIEW (self));

  run_participant_command (self, "muteParticipant", jitsi_id);
}

/**
 * confab_meeting_view_mute_everyone:
 *
 * Mutes every other participant's microphone; Jitsi accepts this from moderators only.
 */
void
confab_meeting_view_mute_everyone (ConfabMeetingView *self)
{
  g_return_if_fail (CONFAB_IS_MEETING_VIEW (self));

  run_command (self, "muteEveryone", NULL);
}

/**
 * confab_meeting_view_kick_participant:
 * @jitsi_id: the participant's Jitsi id
 *
 * Removes a participant from the Jitsi conference. This is only an XMPP
 * kick: the server's ban is what keeps them out.
 */
void
confab_meeting_view_kick_participant (ConfabMeetingView *self,
                                      const char        *jitsi_id)
{
  g_return_if_fail (CONFAB_IS_MEETING_VIEW (self));

  run_participant_command (self, "kickParticipant", jitsi_id);
}

/**
 * confab_meeting_view_grant_moderator:
 * @jitsi_id: the participant's Jitsi id
 */
void
confab_meeting_view_grant_moderator (ConfabMeetingView *self,
                                     const char        *jitsi_id)
{
  g_return_if_fail (CONFAB_IS_MEETING_VIEW (self));

  run_participant_command (self, "grantModerator", jitsi_id);
}
