/* test-meeting-view.c: ConfabMeetingView in a real window against the fake Jitsi server.
 *
 * Every test runs a real WebKitWebView under Xvfb that loads the fake
 * deployment's external_api.js and meeting page over HTTPS on loopback. The
 * test trusts the fake server's self-signed certificate for 127.0.0.1 and
 * localhost on its own network session. Links that the view refuses go to a
 * fake default browser: a script registered for https URIs in a temporary
 * XDG data directory, which appends each URI to a file.
 */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>

#include "confab-fake-jitsi-client.h"
#include "confab-meeting-view.h"

#define SHELL_URI        "confab-meeting://meeting/shell.html"
#define WAIT_SECONDS     30

static ConfabFakeJitsi *fake_jitsi;
static char *browser_log_path;
static guint room_counter;

typedef struct
{
  GtkWindow            *window;
  ConfabMeetingView    *view;
  WebKitNetworkSession *session;

  char                 *jwt;
  char                 *self_id;
  char                 *self_name;
  GPtrArray            *joined;
  GPtrArray            *left;
  GPtrArray            *errors;
  GArray               *mute_changes;
  guint                 ready_to_close;
} TestView;

/* Iterates the main context until @condition holds, failing the test after
 * WAIT_SECONDS. A 50 ms tick keeps conditions that poll the fake server moving.
 */
#define WAIT_FOR(condition) \
  G_STMT_START { \
    gint64 deadline_ = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC; \
    guint tick_ = g_timeout_add (50, tick_cb, NULL); \
    while (!(condition)) \
      { \
        if (g_get_monotonic_time () > deadline_) \
          g_error ("Timed out after %d s waiting for: %s", WAIT_SECONDS, #condition); \
        g_main_context_iteration (NULL, TRUE); \
      } \
    g_source_remove (tick_); \
  } G_STMT_END

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Signal recorders */

static void
conference_joined_cb (ConfabMeetingView *view,
                      const char        *participant_id,
                      const char        *display_name,
                      TestView          *tv)
{
  g_free (tv->self_id);
  g_free (tv->self_name);
  tv->self_id = g_strdup (participant_id);
  tv->self_name = g_strdup (display_name);
}

static void
participant_joined_cb (ConfabMeetingView *view,
                       const char        *participant_id,
                       const char        *display_name,
                       TestView          *tv)
{
  g_ptr_array_add (tv->joined, g_strdup_printf ("%s|%s", participant_id, display_name));
}

static void
participant_left_cb (ConfabMeetingView *view,
                     const char        *participant_id,
                     TestView          *tv)
{
  g_ptr_array_add (tv->left, g_strdup (participant_id));
}

static void
meeting_error_cb (ConfabMeetingView *view,
                  const char        *kind,
                  const char        *message,
                  TestView          *tv)
{
  g_test_message ("meeting-error %s: %s", kind, message);
  g_assert_true (g_utf8_validate (message, -1, NULL));
  g_assert_cmpstr (message, !=, "");
  g_ptr_array_add (tv->errors, g_strdup (kind));
}

static void
audio_mute_changed_cb (ConfabMeetingView *view,
                       gboolean           muted,
                       TestView          *tv)
{
  g_array_append_val (tv->mute_changes, muted);
}

static void
ready_to_close_cb (ConfabMeetingView *view,
                   TestView          *tv)
{
  tv->ready_to_close++;
}

/* Test view */

static TestView *
test_view_new (gboolean trust_fake_jitsi)
{
  TestView *tv = g_new0 (TestView, 1);
  WebKitSettings *settings;

  tv->session = webkit_network_session_new_ephemeral ();
  if (trust_fake_jitsi)
    {
      GTlsCertificate *certificate = confab_fake_jitsi_get_certificate (fake_jitsi);

      webkit_network_session_allow_tls_certificate_for_host (tv->session, certificate, "127.0.0.1");
      webkit_network_session_allow_tls_certificate_for_host (tv->session, certificate, "localhost");
    }

  tv->view = g_object_ref_sink (confab_meeting_view_new (tv->session));
  tv->joined = g_ptr_array_new_with_free_func (g_free);
  tv->left = g_ptr_array_new_with_free_func (g_free);
  tv->errors = g_ptr_array_new_with_free_func (g_free);
  tv->mute_changes = g_array_new (FALSE, FALSE, sizeof (gboolean));

  /* Xvfb has no camera or microphone, so WebKit's mock devices replace them. */
  settings = webkit_web_view_get_settings (confab_meeting_view_get_web_view (tv->view));
  webkit_settings_set_enable_mock_capture_devices (settings, TRUE);

  g_signal_connect (tv->view, "conference-joined", G_CALLBACK (conference_joined_cb), tv);
  g_signal_connect (tv->view, "participant-joined", G_CALLBACK (participant_joined_cb), tv);
  g_signal_connect (tv->view, "participant-left", G_CALLBACK (participant_left_cb), tv);
  g_signal_connect (tv->view, "meeting-error", G_CALLBACK (meeting_error_cb), tv);
  g_signal_connect (tv->view, "audio-mute-changed", G_CALLBACK (audio_mute_changed_cb), tv);
  g_signal_connect (tv->view, "ready-to-close", G_CALLBACK (ready_to_close_cb), tv);

  tv->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (tv->window, 800, 600);
  gtk_window_set_child (tv->window, GTK_WIDGET (tv->view));
  gtk_window_present (tv->window);

  return tv;
}

static void
test_view_free (TestView *tv)
{
  WebKitWebView *web_view = confab_meeting_view_get_web_view (tv->view);

  /* Let the meeting page go before its network session does. */
  confab_meeting_view_stop (tv->view);
  WAIT_FOR (webkit_web_view_get_uri (web_view) == NULL ||
            (g_strcmp0 (webkit_web_view_get_uri (web_view), "about:blank") == 0 &&
             !webkit_web_view_is_loading (web_view)));

  g_signal_handlers_disconnect_by_data (tv->view, tv);
  gtk_window_destroy (tv->window);
  g_object_unref (tv->view);
  g_object_unref (tv->session);
  g_ptr_array_unref (tv->joined);
  g_ptr_array_unref (tv->left);
  g_ptr_array_unref (tv->errors);
  g_array_unref (tv->mute_changes);
  g_free (tv->jwt);
  g_free (tv->self_id);
  g_free (tv->self_name);
  g_free (tv);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestView, test_view_free)

static char *
fake_jitsi_domain (void)
{
  return g_strdup_printf ("127.0.0.1:%u", confab_fake_jitsi_get_port (fake_jitsi));
}

static char *
other_origin_uri (const char *path)
{
  return g_strdup_printf ("https://localhost:%u%s", confab_fake_jitsi_get_port (fake_jitsi), path);
}

/* Starts a meeting in a fresh room on the fake server. */
static char *
test_view_start (TestView   *tv,
                 const char *domain)
{
  g_autofree char *room = g_strdup_printf ("test-room-%u", ++room_counter);
  ConfabMeetingParams params = {
    .domain = domain,
    .jitsi_room = room,
    .display_name = "Ada Lovelace",
    .email = "ada@example.org",
    .subject = "Café Été",
  };

  g_free (tv->jwt);
  tv->jwt = g_strdup_printf ("eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoidGVzdCJ9.signature-%u", room_counter);
  params.jwt = tv->jwt;

  g_clear_pointer (&tv->self_id, g_free);
  confab_meeting_view_start (tv->view, &params);

  return g_steal_pointer (&room);
}

/* Starts a meeting on the fake server and waits until the view joined it. */
static char *
test_view_join (TestView *tv)
{
  g_autofree char *domain = fake_jitsi_domain ();
  g_autofree char *room = test_view_start (tv, domain);

  WAIT_FOR (tv->self_id != NULL || tv->errors->len > 0);
  g_assert_cmpuint (tv->errors->len, ==, 0);

  return g_steal_pointer (&room);
}

static void
javascript_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  JSCValue **value = user_data;
  g_autoptr(GError) error = NULL;

  *value = webkit_web_view_call_async_javascript_function_finish (WEBKIT_WEB_VIEW (source), result, &error);
  g_assert_no_error (error);
}

/* Runs @body in the shell page, in the page's own world when @world is NULL. */
static JSCValue *
run_javascript (TestView   *tv,
                const char *body,
                GVariant   *arguments,
                const char *world)
{
  JSCValue *value = NULL;

  webkit_web_view_call_async_javascript_function (confab_meeting_view_get_web_view (tv->view),
                                                  body, -1, arguments, world, NULL, NULL,
                                                  javascript_done_cb, &value);
  WAIT_FOR (value != NULL);

  return value;
}

/* Fake server helpers */

static void
queue_action (const char *participant_id,
              const char *action_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (action_json, &error);

  g_assert_no_error (error);
  confab_fake_jitsi_queue_action (fake_jitsi, participant_id, json_node_get_object (node), &error);
  g_assert_no_error (error);
}

static void
queue_event (const char *participant_id,
             const char *data_json)
{
  g_autofree char *action = g_strdup_printf ("{\"kind\": \"event\", \"data\": %s}", data_json);

  queue_action (participant_id, action);
}

/* Returns the first record of @kind with the given "name", or NULL. */
static JsonObject *
find_record (const char *kind,
             const char *participant_id,
             const char *name)
{
  g_autoptr(JsonArray) records = confab_fake_jitsi_get_records_for (fake_jitsi, kind, participant_id);

  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *record = json_array_get_object_element (records, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (record, "name", NULL), name) == 0)
        return json_object_ref (record);
    }

  return NULL;
}

static guint
count_records (const char *kind,
               const char *participant_id,
               const char *name)
{
  g_autoptr(JsonArray) records = confab_fake_jitsi_get_records_for (fake_jitsi, kind, participant_id);
  guint count = 0;

  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *record = json_array_get_object_element (records, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (record, "name", NULL), name) == 0)
        count++;
    }

  return count;
}

static gboolean
fake_jitsi_got_path (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) requests = confab_fake_jitsi_get_records (fake_jitsi, "requests", &error);

  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);

      if (g_strcmp0 (json_object_get_string_member (request, "path"), path) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
has_echo (const char *participant_id,
          const char *token)
{
  g_autoptr(JsonArray) reports = confab_fake_jitsi_get_records_for (fake_jitsi, "reports", participant_id);

  for (guint i = 0; i < json_array_get_length (reports); i++)
    {
      JsonObject *report = json_array_get_object_element (reports, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (report, "name", NULL), "echo") == 0 &&
          g_strcmp0 (json_object_get_string_member_with_default (report, "result", NULL), token) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Sends an echo through the meeting page and waits for it, which proves
 * that the page is still loaded and has run every earlier action.
 */
static void
echo_through_meeting (const char *participant_id,
                      const char *token)
{
  g_autofree char *action = g_strdup_printf ("{\"kind\": \"echo\", \"token\": \"%s\"}", token);

  queue_action (participant_id, action);
  WAIT_FOR (has_echo (participant_id, token));
}

static gboolean
string_array_contains (GPtrArray  *array,
                       const char *prefix)
{
  for (guint i = 0; i < array->len; i++)
    {
      if (g_str_has_prefix (g_ptr_array_index (array, i), prefix))
        return TRUE;
    }

  return FALSE;
}

static gboolean
browser_opened (const char *uri)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (browser_log_path, &contents, NULL, NULL))
    return FALSE;

  lines = g_strsplit (contents, "\n", -1);
  return g_strv_contains ((const char * const *) lines, uri);
}

/* Tests */

static void
test_joins_fake_meeting (void)
{
  g_autoptr(TestView) tv = test_view_new (TRUE);
  g_autofree char *room = test_view_join (tv);
  g_autoptr(JsonArray) meetings = NULL;
  g_autoptr(JsonObject) subject = NULL;
  JsonObject *meeting;
  JsonObject *config;

  /* The fake meeting makes 8-hex ids like Jitsi's own. */
  g_assert_cmpuint (strlen (tv->self_id), ==, 8);
  g_assert_cmpstr (tv->self_name, ==, "Ada Lovelace");

  meetings = confab_fake_jitsi_get_records_for (fake_jitsi, "meetings", tv->self_id);
  g_assert_cmpuint (json_array_get_length (meetings), ==, 1);
  meeting = json_array_get_object_element (meetings, 0);

  g_assert_cmpstr (json_object_get_string_member (meeting, "room"), ==, room);
  g_assert_cmpstr (json_object_get_string_member (meeting, "jwt"), ==, tv->jwt);
  g_assert_cmpstr (json_object_get_string_member (meeting, "displayName"), ==, "Ada Lovelace");
  g_assert_cmpstr (json_object_get_string_member (meeting, "email"), ==, "ada@example.org");
  g_assert_true (json_object_get_boolean_member (meeting, "secureContext"));
  config = json_object_get_object_member (meeting, "config");
  g_assert_true (json_object_get_boolean_member (config, "disableDeepLinking"));

  /* The subject is set once the conference is joined. */
  WAIT_FOR ((subject = find_record ("commands", tv->self_id, "subject")) != NULL);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (subject, "data"), 0),
                   ==, "Café Été");

  g_assert_cmpstr (webkit_web_view_get_uri (confab_meeting_view_get_web_view (tv->view)), ==, SHELL_URI);
  g_assert_true (confab_meeting_view_is_started (tv->view));
}

static void
assert_command (const char *participant_id,
                const char *name,
                const char *first_argument,
                const char *second_argument)
{
  g_autoptr(JsonObject) command = NULL;
  JsonArray *data;

  WAIT_FOR ((command = find_record ("commands", participant_id, name)) != NULL);
  data = json_object_get_array_member (command, "data");

  if (first_argument == NULL)
    {
      g_assert_cmpuint (json_array_get_length (data), ==, 0);
      return;
    }

  g_assert_cmpstr (json_array_get_string_element (data, 0), ==, first_argument);
  if (second_argument != NULL)
    g_assert_cmpstr (json_array_get_string_element (data, 1), ==, second_argument);
}

static void
test_commands_reach_meeting (void)
{
  g_autoptr(TestView) tv = test_view_new (TRUE);
  g_autofree char *room = test_view_join (tv);

  confab_meeting_view_mute_participant (tv->view, "beef0001");
  assert_command (tv->self_id, "mute-remote-participant", "beef0001", "audio");

  confab_meeting_view_kick_participant (tv->view, "beef0002");
  assert_command (tv->self_id, "kick-participant", "beef0002", NULL);

  confab_meeting_view_grant_moderator (tv->view, "beef0003");
  assert_command (tv->self_id, "grant-moderator", "beef0003", NULL);

  confab_meeting_view_mute_everyone (tv->view);
  assert_command (tv->self_id, "mute-everyone", "audio", NULL);

  /* Jitsi only toggles the microphone; muting twice must toggle once. */
  confab_meeting_view_set_audio_muted (tv->view, TRUE);
  WAIT_FOR (tv->mute_changes->len == 1);
  g_assert_true (g_array_index (tv->mute_changes, gboolean, 0));
  confab_meeting_view_set_audio_muted (tv->view, TRUE);
  confab_meeting_view_set_audio_muted (tv->view, FALSE);
  WAIT_FOR (tv->mute_changes->len == 2);
  g_assert_false (g_array_index (tv->mute_changes, gboolean, 1));
  /* The fake meeting records a command while it runs it, so wait for the record. */
  WAIT_FOR (count_records ("commands", tv->self_id, "toggle-audio") >= 2);
  g_assert_cmpuint (count_records ("commands", tv->self_id, "toggle-audio"), ==, 2);

  confab_meeting_view_hangup (tv->view);
  assert_command (tv->self_id, "video-hangup", NULL, NULL);
  WAIT_FOR (tv->ready_to_close == 1);
}

static void
test_rejects_invalid_participant_ids (void)
{
  g_autoptr(TestView) tv = test_view_new (TRUE);
  g_autofree char *room = test_view_join (tv);

  g_test_expect_message ("confab-meeting-view", G_LOG_LEVEL_WARNING, "*not a Jitsi participant id*");
  confab_meeting_view_kick_participant (tv->view, "a'); evil('");
  g_test_assert_expected_messages ();

  confab_meeting_view_kick_participant (tv->view, "beef0009");
  assert_command (tv->self_id, "kick-participant", "beef0009", NULL);
  g_assert_cmpuint (count_records ("commands", tv->self_id, "kick-participant"), ==, 1);
}

static void
test_drops_malformed_events (void)
{
  g_autoptr(TestView) tv = test_view_new (TRUE);
  g_autofree char *room = test_view_join (tv);
  g_autofree char *long_id = g_strnfill (65, 'a');
  g_autofree char *long_name = g_strnfill (300, 'n');
  g_autofree char *event = NULL;

  queue_event (tv->self_id, "{\"name\": \"participant-joined\", \"id\": \"cafe0001\", \"displayName\": \"Bob\"}");
  queue_event (tv->self_id, "{\"name\": \"participant-joined\", \"id\": \"../etc\", \"displayName\": \"X\"}");
  event = g_strdup_printf ("{\"name\": \"participant-joined\", \"id\": \"%s\"}", long_id);
  queue_event (tv->self_id, event);
  g_clear_pointer (&event, g_free);
  queue_event (tv->self_id, "{\"name\": \"participant-joined\", \"id\": 12345678}");
  queue_event (tv->self_id, "{\"name\": \"participant-joined\", \"id\": \"cafe0003\", \"displayName\": 42}");
  event = g_strdup_printf ("{\"name\": \"participant-joined\", \"id\": \"cafe0004\", \"displayName\": \"%s\"}", long_name);
  queue_event (tv->self_id, event);
  queue_event (tv->self_id, "{\"name\": \"participant-joined\"}");
  queue_event (tv->self_id, "{\"name\": \"participant-left\", \"id\": \"cafe0001\"}");
  queue_event (tv->self_id, "{\"name\": \"participant-left\", \"id\": null}");
  queue_event (tv->self_id, "{\"name\": \"audio-mute-status-changed\", \"muted\": \"yes\"}");
  queue_action (tv->self_id, "{\"kind\": \"send\", \"message\": \"not an object\"}");
  queue_action (tv->self_id, "{\"kind\": \"send\", \"message\": {\"type\": \"event\", \"data\": 7}}");

  /* Events arrive in order, so the last one proves the others were handled. */
  queue_event (tv->self_id, "{\"name\": \"participant-joined\", \"id\": \"cafe00ff\"}");
  WAIT_FOR (string_array_contains (tv->joined, "cafe00ff|"));

  g_assert_cmpuint (tv->joined->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (tv->joined, 0), ==, "cafe0001|Bob");
  g_assert_cmpstr (g_ptr_array_index (tv->joined, 1), ==, "cafe00ff|");
  g_assert_cmpuint (tv->left->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (tv->left, 0), ==, "cafe0001");
  g_assert_cmpuint (tv->mute_changes->len, ==, 0);
  g_assert_cmpuint (tv->errors->len, ==, 0);
}

static void
test_drops_malformed_bridge_messages (void)
{
  g_autoptr(TestView) tv = test_view_new (TRUE);
  g_autofree char *room = test_view_join (tv);
  g_autoptr(JSCValue) value = NULL;

  /* The meeting token in bridge messages only filters out stale ones:
   * any script in the shell page can read it from a message.
   */
  value = run_javascript (tv,
                          "document.addEventListener ('confab-bridge-message', event => {"
                          "  window.testBridgeToken = JSON.parse (event.detail).token;"
                          "});\n"
                          "return true;",
                          NULL, NULL);
  g_clear_object (&value);
  queue_event (tv->self_id, "{\"name\": \"participant-joined\", \"id\": \"cafe000f\"}");
  WAIT_FOR (tv->joined->len == 1);
  g_ptr_array_set_size (tv->joined, 0);

  /* Scripts in the shell page (Jitsi's external_api.js among them) can
   * send anything to the bridge; only valid messages may come through.
   */
  value = run_javascript (tv,
                          "const token = window.testBridgeToken;\n"
                          "const send = detail => document.dispatchEvent ("
                          "  new CustomEvent ('confab-bridge-message', { detail }));\n"
                          "const sendObject = object => send (JSON.stringify (Object.assign ({ token }, object)));\n"
                          "if (typeof token !== 'string' || token.length === 0)\n"
                          "  return false;\n"
                          "send ('not json');\n"
                          "send ('[1, 2]');\n"
                          "send ('\"participantJoined\"');\n"
                          "sendObject ({ event: 'participantJoined', id: 'cafe0010', padding: 'x'.repeat (9000) });\n"
                          "sendObject ({ event: 'participantJoined', id: 'cafe0019', padding: '\u20ac'.repeat (8000) });\n"
                          "send ({ token, event: 'participantJoined', id: 'cafe0011' });\n"
                          "sendObject ({ event: 'noSuchEvent', id: 'cafe0012' });\n"
                          "sendObject ({ id: 'cafe0013' });\n"
                          "sendObject ({ event: 42, id: 'cafe0014' });\n"
                          "sendObject ({ event: 'participantJoined', id: ['cafe0015'] });\n"
                          "sendObject ({ event: 'error', name: 'connection.otherError', type: { x: 1 } });\n"
                          "sendObject ({ event: 'participantJoined', id: 'cafe0017', token: 'an-earlier-meeting' });\n"
                          "send (JSON.stringify ({ event: 'participantJoined', id: 'cafe0018' }));\n"
                          "sendObject ({ event: 'participantJoined', id: 'cafe0016', displayName: 'Eve' });\n"
                          "return true;",
                          NULL, NULL);
  g_assert_true (jsc_value_to_boolean (value));

  WAIT_FOR (tv->joined->len > 0);
  echo_through_meeting (tv->self_id, "after-malformed");

  g_assert_cmpuint (tv->joined->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (tv->joined, 0), ==, "cafe0016|Eve");
  g_assert_cmpuint (tv->errors->len, ==, 0);
}

static void
test_bridge_unreachable_from_pages (void)
{
  g_autoptr(TestView) tv = test_view_new (TRUE);
  g_autofree char *room = test_view_join (tv);
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(JSCValue) value = NULL;
  JsonObject *result;

  /* The meeting iframe has no handler and cannot reach the shell's document. */
  queue_action (tv->self_id,
                "{\"kind\": \"forge\", \"message\": {\"event\": \"participantJoined\", \"id\": \"f0f0f0f0\"}}");
  WAIT_FOR ((report = find_record ("reports", tv->self_id, "forge")) != NULL);
  result = json_object_get_object_member (report, "result");
  g_assert_false (json_object_get_boolean_member (result, "handlerVisible"));
  g_assert_false (json_object_get_boolean_member (result, "posted"));
  g_assert_false (json_object_get_boolean_member (result, "dispatched"));

  /* The shell page's own world has no handler either. */
  value = run_javascript (tv,
                          "return typeof (window.webkit && window.webkit.messageHandlers &&"
                          "               window.webkit.messageHandlers.confab);",
                          NULL, NULL);
  g_assert_cmpstr (jsc_value_to_string (value), ==, "undefined");
  g_clear_object (&value);

  /* The bridge's world has it, so the check above is not vacuous. */
  value = run_javascript (tv, "return typeof window.webkit.messageHandlers.confab;", NULL, "confab-bridge");
  g_assert_cmpstr (jsc_value_to_string (value), ==, "object");

  queue_event (tv->self_id, "{\"name\": \"participant-joined\", \"id\": \"cafe00ff\"}");
  WAIT_FOR (tv->joined->len > 0);
  g_assert_cmpuint (tv->joined->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (tv->joined, 0), ==, "cafe00ff|");
}

static void
test_reports_meeting_errors (void)
{
  g_autoptr(TestView) tv = test_view_new (TRUE);
  g_autofree char *room = test_view_join (tv);

  queue_event (tv->self_id, "{\"name\": \"error-occurred\", \"error\": {\"name\": \"conference.iceFailed\","
                            " \"type\": \"CONFERENCE\", \"isFatal\": false}}");
  queue_event (tv->self_id, "{\"name\": \"error-occurred\", \"error\": {\"name\": \"connection.passwordRequired\","
                            " \"type\": \"CONNECTION\", \"isFatal\": true, \"message\": \"Token invalid\"}}");
  queue_event (tv->self_id, "{\"name\": \"error-occurred\", \"error\": {\"name\": \"connection.droppedError\","
                            " \"type\": \"CONNECTION\", \"isFatal\": true}}");
  queue_event (tv->self_id, "{\"name\": \"error-occurred\", \"error\": {\"name\": \"<b>bad name</b>\","
                            " \"type\": \"CONNECTION\", \"isFatal\": true}}");
  queue_event (tv->self_id, "{\"name\": \"error-occurred\", \"error\": {\"name\": \"conference.destroyed\","
                            " \"type\": \"CONFERENCE\", \"isFatal\": true}}");
  queue_event (tv->self_id, "{\"name\": \"participant-joined\", \"id\": \"cafe00ff\"}");
  WAIT_FOR (tv->joined->len > 0);

  g_assert_cmpuint (tv->errors->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (tv->errors, 0), ==, "authentication");
  g_assert_cmpstr (g_ptr_array_index (tv->errors, 1), ==, "connection");
  g_assert_cmpstr (g_ptr_array_index (tv->errors, 2), ==, "other");
}

static guint
find_closed_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);

  /* Closing the socket leaves a port that nothing listens on. */
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
test_reports_load_failures (void)
{
  g_autoptr(TestView) unreachable = test_view_new (TRUE);
  g_autoptr(TestView) untrusted = test_view_new (FALSE);
  g_autoptr(TestView) invalid = test_view_new (TRUE);
  g_autofree char *closed_domain = g_strdup_printf ("127.0.0.1:%u", find_closed_port ());
  g_autofree char *domain = fake_jitsi_domain ();
  g_autofree char *room1 = NULL;
  g_autofree char *room2 = NULL;
  g_autofree char *room3 = NULL;

  room1 = test_view_start (unreachable, closed_domain);
  WAIT_FOR (unreachable->errors->len > 0);
  g_assert_cmpstr (g_ptr_array_index (unreachable->errors, 0), ==, "connection");

  /* Without the test's trust, the fake server's certificate is refused. */
  room2 = test_view_start (untrusted, domain);
  WAIT_FOR (untrusted->errors->len > 0);
  g_assert_cmpstr (g_ptr_array_index (untrusted->errors, 0), ==, "connection");
  g_assert_null (untrusted->self_id);

  room3 = test_view_start (invalid, "evil.example/path?x=");
  g_assert_cmpuint (invalid->errors->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (invalid->errors, 0), ==, "other");
  g_assert_false (confab_meeting_view_is_started (invalid->view));
}

static char *
get_user_media_from_shell (TestView *tv)
{
  g_autoptr(JSCValue) value = NULL;

  value = run_javascript (tv,
                          "try {\n"
                          "  const stream = await navigator.mediaDevices.getUserMedia ({ audio: true });\n"
                          "  stream.getTracks ().forEach (track => track.stop ());\n"
                          "  return 'allowed';\n"
                          "} catch (e) {\n"
                          "  return `failed: ${e.name}`;\n"
                          "}",
                          NULL, NULL);

  return jsc_value_to_string (value);
}

static void
test_allows_media_for_meeting (void)
{
  g_autoptr(TestView) tv = test_view_new (TRUE);
  g_autofree char *room = test_view_join (tv);
  g_autoptr(JsonObject) report = NULL;

  queue_action (tv->self_id, "{\"kind\": \"getUserMedia\", \"video\": true}");
  WAIT_FOR ((report = find_record ("reports", tv->self_id, "getUserMedia")) != NULL);
  g_assert_cmpstr (json_object_get_string_member (report, "result"), ==, "allowed");
}

static void
test_denies_media_without_meeting (void)
{
  g_autoptr(TestView) tv = test_view_new (TRUE);
  g_autofree char *closed_domain = g_strdup_printf ("127.0.0.1:%u", find_closed_port ());
  g_autofree char *room = NULL;
  g_autofree char *result = NULL;

  /* The shell page is loaded but contains no meeting, because external_api.js failed to load. */
  room = test_view_start (tv, closed_domain);
  WAIT_FOR (tv->errors->len > 0);
  g_assert_cmpstr (webkit_web_view_get_uri (confab_meeting_view_get_web_view (tv->view)), ==, SHELL_URI);

  result = get_user_media_from_shell (tv);
  g_assert_cmpstr (result, ==, "failed: NotAllowedError");
}

static void
test_allows_media_only_while_meeting_shown (void)
{
  g_autoptr(TestView) tv = test_view_new (TRUE);
  g_autofree char *room = test_view_join (tv);
  g_autofree char *result = NULL;

  /* A WebKitGTK permission request does not name the requesting frame, so
   * while only the meeting is shown, a request from the shell page is allowed too.
   */
  result = get_user_media_from_shell (tv);
  g_assert_cmpstr (result, ==, "allowed");
}

static void
test_denies_other_permissions (void)
{
  g_autoptr(TestView) tv = test_view_new (TRUE);
  g_autofree char *room = test_view_join (tv);
  g_autoptr(JSCValue) value = NULL;

  /* Even while the meeting is shown, only media requests are allowed. */
  value = run_javascript (tv, "return await Notification.requestPermission ();", NULL, NULL);
  g_assert_cmpstr (jsc_value_to_string (value), ==, "denied");
  g_clear_object (&value);

  value = run_javascript (tv,
                          "return await new Promise (resolve => navigator.geolocation.getCurrentPosition ("
                          "  () => resolve ('allowed'), error => resolve (`failed: ${error.code}`)));",
                          NULL, NULL);
  g_assert_cmpstr (jsc_value_to_string (value), ==, "failed: 1");
}

static void
test_configures_web_settings (void)
{
  g_autoptr(TestView) tv = test_view_new (TRUE);
  WebKitSettings *settings = webkit_web_view_get_settings (confab_meeting_view_get_web_view (tv->view));

  g_assert_true (webkit_settings_get_enable_webrtc (settings));
  g_assert_true (webkit_settings_get_enable_media_stream (settings));
  g_assert_false (webkit_settings_get_javascript_can_open_windows_automatically (settings));
  g_assert_cmpint (webkit_settings_get_enable_developer_extras (settings), ==, g_getenv ("CONFAB_DEBUG") != NULL);
}

static void
test_refuses_other_origins (void)
{
  g_autoptr(TestView) tv = test_view_new (TRUE);
  g_autofree char *room = NULL;
  g_autofree char *frame_uri = other_origin_uri ("/elsewhere-frame");
  g_autofree char *subframe_uri = other_origin_uri ("/elsewhere-subframe");
  g_autofree char *top_uri = other_origin_uri ("/elsewhere-top");
  g_autofree char *window_uri = other_origin_uri ("/elsewhere-window");
  g_autoptr(JsonObject) report = NULL;
  g_autofree char *action = NULL;
  g_autoptr(JSCValue) value = NULL;
  WebKitWebView *web_view = confab_meeting_view_get_web_view (tv->view);

  /* WebKit blocks window.open () without a user gesture before it asks the
   * view, so allow it in this test to reach the view's new-window policy.
   */
  webkit_settings_set_javascript_can_open_windows_automatically (webkit_web_view_get_settings (web_view), TRUE);
  room = test_view_join (tv);

  /* The meeting iframe navigates itself to another origin. */
  action = g_strdup_printf ("{\"kind\": \"navigate\", \"url\": \"%s\"}", frame_uri);
  queue_action (tv->self_id, action);
  WAIT_FOR (browser_opened (frame_uri));
  echo_through_meeting (tv->self_id, "after-navigate");
  g_clear_pointer (&action, g_free);

  /* The meeting iframe adds a frame from another origin. */
  action = g_strdup_printf ("{\"kind\": \"subframe\", \"url\": \"%s\"}", subframe_uri);
  queue_action (tv->self_id, action);
  WAIT_FOR (browser_opened (subframe_uri));

  /* The meeting iframe opens a new window. */
  g_clear_pointer (&action, g_free);
  action = g_strdup_printf ("{\"kind\": \"open\", \"url\": \"%s\"}", window_uri);
  queue_action (tv->self_id, action);
  WAIT_FOR ((report = find_record ("reports", tv->self_id, "open")) != NULL);
  g_test_message ("window.open () in the meeting: %s", json_object_get_string_member (report, "result"));
  WAIT_FOR (browser_opened (window_uri));

  /* A script in the shell page navigates the top frame. */
  value = run_javascript (tv, "location.href = uri; return true;",
                          g_variant_new_parsed ("{'uri': <%s>}", top_uri), NULL);
  WAIT_FOR (browser_opened (top_uri));
  echo_through_meeting (tv->self_id, "after-top-navigation");

  /* Reloading would drop the meeting: only loads the view starts may run. */
  g_clear_object (&value);
  value = run_javascript (tv, "location.reload (); return true;", NULL, NULL);
  echo_through_meeting (tv->self_id, "after-reload");
  queue_event (tv->self_id, "{\"name\": \"participant-joined\", \"id\": \"cafe00aa\"}");
  WAIT_FOR (string_array_contains (tv->joined, "cafe00aa|"));

  g_assert_cmpstr (webkit_web_view_get_uri (web_view), ==, SHELL_URI);
  g_assert_false (fake_jitsi_got_path ("/elsewhere-frame"));
  g_assert_false (fake_jitsi_got_path ("/elsewhere-subframe"));
  g_assert_false (fake_jitsi_got_path ("/elsewhere-top"));
  g_assert_false (fake_jitsi_got_path ("/elsewhere-window"));

  /* Still only the meeting, so media stays allowed. */
  g_autofree char *result = get_user_media_from_shell (tv);
  g_assert_cmpstr (result, ==, "allowed");
}

static void
test_reports_unexpected_blank_page (void)
{
  g_autoptr(TestView) tv = test_view_new (TRUE);
  g_autofree char *room = test_view_join (tv);
  g_autoptr(JSCValue) value = NULL;

  /* Blank frames are allowed, so a script can blank the top frame too. */
  value = run_javascript (tv, "location.href = 'about:blank'; return true;", NULL, NULL);
  WAIT_FOR (tv->errors->len > 0);
  g_assert_cmpstr (g_ptr_array_index (tv->errors, 0), ==, "other");
}

static void
test_restarts_without_stop (void)
{
  g_autoptr(TestView) tv = test_view_new (TRUE);
  g_autofree char *room = test_view_join (tv);
  g_autofree char *first_id = g_strdup (tv->self_id);
  g_autofree char *second_room = NULL;

  /* Rejoining with a fresh token replaces the meeting in one step. */
  second_room = test_view_join (tv);
  g_assert_cmpstr (tv->self_id, !=, first_id);
  echo_through_meeting (tv->self_id, "after-restart");
  g_assert_cmpuint (tv->errors->len, ==, 0);

  /* Stopping and starting at once: the blank page of the stop may commit
   * after the new start and must not count as a foreign page, nor pass
   * for the shell page. The timing differs per run, so it runs a few times.
   */
  for (guint i = 0; i < 4; i++)
    {
      g_clear_pointer (&first_id, g_free);
      first_id = g_strdup (tv->self_id);
      confab_meeting_view_stop (tv->view);
      g_free (second_room);
      second_room = test_view_join (tv);
      g_assert_cmpstr (tv->self_id, !=, first_id);
      echo_through_meeting (tv->self_id, "after-stop-and-start");
      g_assert_cmpuint (tv->errors->len, ==, 0);
    }

  /* Invalid parameters end the running meeting too. */
  g_free (test_view_start (tv, "not a domain"));
  g_assert_cmpuint (tv->errors->len, ==, 1);
  g_assert_false (confab_meeting_view_is_started (tv->view));
  WAIT_FOR (g_strcmp0 (webkit_web_view_get_uri (confab_meeting_view_get_web_view (tv->view)), "about:blank") == 0);
}

static void
test_stop_shows_blank_page (void)
{
  g_autoptr(TestView) tv = test_view_new (TRUE);
  g_autofree char *room = test_view_join (tv);
  g_autofree char *first_id = g_strdup (tv->self_id);
  g_autofree char *second_room = NULL;
  WebKitWebView *web_view = confab_meeting_view_get_web_view (tv->view);

  confab_meeting_view_stop (tv->view);
  g_assert_false (confab_meeting_view_is_started (tv->view));
  WAIT_FOR (g_strcmp0 (webkit_web_view_get_uri (web_view), "about:blank") == 0 &&
            !webkit_web_view_is_loading (web_view));

  /* Commands without a meeting are dropped quietly. */
  confab_meeting_view_kick_participant (tv->view, "beef0004");
  confab_meeting_view_hangup (tv->view);

  /* The view can start again and joins as a new participant. */
  second_room = test_view_join (tv);
  g_assert_cmpstr (tv->self_id, !=, first_id);
  g_assert_cmpuint (count_records ("commands", first_id, "kick-participant"), ==, 0);
  g_assert_cmpuint (count_records ("commands", first_id, "video-hangup"), ==, 0);
}

static void
load_changed_cb (WebKitWebView   *web_view,
                 WebKitLoadEvent  load_event,
                 gboolean        *finished)
{
  if (load_event == WEBKIT_LOAD_FINISHED)
    *finished = TRUE;
}

static void
webrtc_check_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  int *available = user_data;
  g_autoptr(GError) error = NULL;

  *available = confab_meeting_view_check_webrtc_finish (CONFAB_MEETING_VIEW (source), result, &error);
  g_assert_no_error (error);
}

static void
evaluate_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  JSCValue **value = user_data;
  g_autoptr(GError) error = NULL;

  *value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (source), result, &error);
  g_assert_no_error (error);
}

static void
test_webrtc_check_matches_engine (void)
{
  g_autoptr(TestView) tv = test_view_new (TRUE);
  g_autoptr(WebKitWebView) plain = NULL;
  g_autoptr(WebKitSettings) settings = webkit_settings_new ();
  g_autoptr(JSCValue) value = NULL;
  gboolean finished = FALSE;
  int available = -1;

  /* Independently of the view: a plain web view with WebRTC switched on,
   * on a secure https page.
   */
  webkit_settings_set_enable_webrtc (settings, TRUE);
  webkit_settings_set_enable_media_stream (settings, TRUE);
  plain = g_object_ref_sink (g_object_new (WEBKIT_TYPE_WEB_VIEW,
                                           "network-session", tv->session,
                                           "settings", settings, NULL));
  g_signal_connect (plain, "load-changed", G_CALLBACK (load_changed_cb), &finished);
  webkit_web_view_load_html (plain, "<!DOCTYPE html><p>check</p>", "https://webrtc-check.invalid/");
  WAIT_FOR (finished);

  webkit_web_view_evaluate_javascript (plain, "isSecureContext", -1, NULL, NULL, NULL,
                                       evaluate_done_cb, &value);
  WAIT_FOR (value != NULL);
  g_assert_true (jsc_value_to_boolean (value));
  g_clear_object (&value);

  webkit_web_view_evaluate_javascript (plain, "typeof RTCPeerConnection === 'function'", -1,
                                       NULL, NULL, NULL, evaluate_done_cb, &value);
  WAIT_FOR (value != NULL);

  confab_meeting_view_check_webrtc_async (tv->view, NULL, webrtc_check_cb, &available);
  WAIT_FOR (available != -1);

  g_test_message ("RTCPeerConnection in this WebKitGTK build: %s",
                  jsc_value_to_boolean (value) ? "yes" : "no");
  g_assert_cmpint (available, ==, jsc_value_to_boolean (value));
}

static void
webrtc_check_cancelled_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  GError **error = user_data;

  g_assert_false (confab_meeting_view_check_webrtc_finish (CONFAB_MEETING_VIEW (source), result, error));
}

static void
test_webrtc_check_cancels (void)
{
  g_autoptr(TestView) tv = test_view_new (TRUE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GError *error = NULL;

  confab_meeting_view_check_webrtc_async (tv->view, cancellable, webrtc_check_cancelled_cb, &error);
  g_cancellable_cancel (cancellable);
  WAIT_FOR (error != NULL);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_error_free (error);
}

static void
test_builds_meeting_url (void)
{
  g_autofree char *with_jwt = confab_meeting_view_build_meeting_url ("meet.example.org", "cafe-ete-7", "a.b.c");
  g_autofree char *with_port = confab_meeting_view_build_meeting_url ("localhost:8443", "room one", NULL);

  g_assert_cmpstr (with_jwt, ==, "https://meet.example.org/cafe-ete-7?jwt=a.b.c");
  g_assert_cmpstr (with_port, ==, "https://localhost:8443/room%20one");
  g_assert_null (confab_meeting_view_build_meeting_url ("evil.example/x", "room", NULL));
  g_assert_null (confab_meeting_view_build_meeting_url ("meet.example.org", "", NULL));

  g_assert_true (confab_meeting_view_is_valid_domain ("meet.example.org"));
  g_assert_true (confab_meeting_view_is_valid_domain ("127.0.0.1:8443"));
  g_assert_false (confab_meeting_view_is_valid_domain (NULL));
  g_assert_false (confab_meeting_view_is_valid_domain (""));
  g_assert_false (confab_meeting_view_is_valid_domain ("meet.example.org:0"));
  g_assert_false (confab_meeting_view_is_valid_domain ("meet.example.org:99999"));
  g_assert_false (confab_meeting_view_is_valid_domain ("user@meet.example.org"));
  g_assert_false (confab_meeting_view_is_valid_domain ("meet.example.org/room"));
  g_assert_false (confab_meeting_view_is_valid_domain (":443"));
}

/* Setup */

/* Registers a script as the default handler for http and https URIs in a
 * private XDG directory, so that links the view opens externally land in
 * browser_log_path instead of a real browser.
 */
static char *
set_up_fake_browser (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("confab-test-browser-XXXXXX", &error);
  g_autofree char *data_home = g_build_filename (root, "data", NULL);
  g_autofree char *config_home = g_build_filename (root, "config", NULL);
  g_autofree char *applications = g_build_filename (data_home, "applications", NULL);
  g_autofree char *script = g_build_filename (root, "browser.sh", NULL);
  g_autofree char *desktop = g_build_filename (applications, "confab-test-browser.desktop", NULL);
  g_autofree char *mimeapps = g_build_filename (config_home, "mimeapps.list", NULL);
  g_autofree char *script_text = NULL;
  g_autofree char *desktop_text = NULL;
  const char *mimeapps_text =
    "[Default Applications]\n"
    "x-scheme-handler/http=confab-test-browser.desktop\n"
    "x-scheme-handler/https=confab-test-browser.desktop\n";

  g_assert_no_error (error);
  browser_log_path = g_build_filename (root, "opened.txt", NULL);

  g_assert_cmpint (g_mkdir_with_parents (applications, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (config_home, 0700), ==, 0);

  script_text = g_strdup_printf ("#!/bin/sh\nprintf '%%s\\n' \"$1\" >> '%s'\n", browser_log_path);
  g_file_set_contents (script, script_text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (script, 0700), ==, 0);

  desktop_text = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Test Browser\n"
                                  "Exec=%s %%u\nMimeType=x-scheme-handler/http;x-scheme-handler/https;\n",
                                  script);
  g_file_set_contents (desktop, desktop_text, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (mimeapps, mimeapps_text, -1, &error);
  g_assert_no_error (error);

  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);

  return g_steal_pointer (&root);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                   G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                                                   NULL, NULL);
  GFileInfo *info;

  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      remove_tree (child);
      g_object_unref (info);
    }

  g_remove (path);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *browser_root = NULL;
  g_autoptr(GError) error = NULL;
  int result;

  /* Before GTK starts: GIO reads the XDG directories once. */
  browser_root = set_up_fake_browser ();

  g_test_init (&argc, &argv, NULL);
  gtk_init ();

  fake_jitsi = confab_fake_jitsi_start (&error);
  g_assert_no_error (error);

  g_test_add_func ("/meeting-view/builds-meeting-url", test_builds_meeting_url);
  g_test_add_func ("/meeting-view/joins-fake-meeting", test_joins_fake_meeting);
  g_test_add_func ("/meeting-view/commands-reach-meeting", test_commands_reach_meeting);
  g_test_add_func ("/meeting-view/rejects-invalid-participant-ids", test_rejects_invalid_participant_ids);
  g_test_add_func ("/meeting-view/drops-malformed-events", test_drops_malformed_events);
  g_test_add_func ("/meeting-view/drops-malformed-bridge-messages", test_drops_malformed_bridge_messages);
  g_test_add_func ("/meeting-view/bridge-unreachable-from-pages", test_bridge_unreachable_from_pages);
  g_test_add_func ("/meeting-view/reports-meeting-errors", test_reports_meeting_errors);
  g_test_add_func ("/meeting-view/reports-load-failures", test_reports_load_failures);
  g_test_add_func ("/meeting-view/allows-media-for-meeting", test_allows_media_for_meeting);
  g_test_add_func ("/meeting-view/allows-media-only-while-meeting-shown", test_allows_media_only_while_meeting_shown);
  g_test_add_func ("/meeting-view/denies-media-without-meeting", test_denies_media_without_meeting);
  g_test_add_func ("/meeting-view/denies-other-permissions", test_denies_other_permissions);
  g_test_add_func ("/meeting-view/configures-web-settings", test_configures_web_settings);
  g_test_add_func ("/meeting-view/refuses-other-origins", test_refuses_other_origins);
  g_test_add_func ("/meeting-view/reports-unexpected-blank-page", test_reports_unexpected_blank_page);
  g_test_add_func ("/meeting-view/stop-shows-blank-page", test_stop_shows_blank_page);
  g_test_add_func ("/meeting-view/restarts-without-stop", test_restarts_without_stop);
  g_test_add_func ("/meeting-view/webrtc-check-matches-engine", test_webrtc_check_matches_engine);
  g_test_add_func ("/meeting-view/webrtc-check-cancels", test_webrtc_check_cancels);

  result = g_test_run ();

  g_clear_pointer (&fake_jitsi, confab_fake_jitsi_free);
  remove_tree (browser_root);
  g_free (browser_log_path);

  return result;
}
