/* test-notifications.c: desktop notifications of the meeting page, in real
 * windows against the real confab-server on loopback
 *
 * confab_test_init() starts a notification server on the private session
 * bus that run-client-test.sh starts, which records the calls that
 * GApplication's freedesktop notification backend makes to it.
 */
#define G_LOG_DOMAIN "confab-test"

#include "config.h"

#include "cfs-test-server.h"
#include "confab-application.h"
#include "confab-meeting-page.h"
#include "confab-room-state.h"
#include "confab-test-notifications.h"
#include "confab-test-util.h"
#include "confab-window.h"

#define TIMEOUT_MS CONFAB_TEST_TIMEOUT_MS

static ConfabApplication *application;

typedef struct {
  CfsTestServer *server;
  GSettings     *settings;
  ConfabWindow  *window;
  char          *ada_token;
  gint64         ada_id;
  char          *bob_token;
  gint64         bob_id;
  gint64         room_id;
} Fixture;

/* Helpers */

static ConfabRoomState *
get_room_state (ConfabWindow *window)
{
  GtkWidget *page = confab_window_get_meeting_page (window);

  if (page == NULL)
    return NULL;

  return confab_meeting_page_get_room_state (CONFAB_MEETING_PAGE (page));
}

static gboolean
has_participant (ConfabWindow *window,
                 gint64        user_id)
{
  ConfabRoomState *state = get_room_state (window);

  return state != NULL && confab_room_state_find_participant (state, user_id) != NULL;
}

/* Presents another window, which takes the focus from @window. */
static GtkWidget *
move_to_background (ConfabWindow *window)
{
  GtkWidget *other = gtk_window_new ();

  gtk_window_present (GTK_WINDOW (other));
  CONFAB_TEST_WAIT_UNTIL (!gtk_window_is_active (GTK_WINDOW (window)), TIMEOUT_MS);

  return other;
}

/* Signs in on the window and joins the fixture's room from it. */
static void
join_in_window (Fixture    *fixture,
                const char *email,
                const char *password,
                gint64      user_id)
{
  confab_test_sign_in (fixture->window, email, password);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.join-room", "x", fixture->room_id);
  CONFAB_TEST_WAIT_UNTIL (has_participant (fixture->window, user_id), TIMEOUT_MS);
}

/* Fixtures */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = cfs_test_server_start (NULL);
  fixture->settings = confab_test_new_browser_settings (cfs_test_server_get_url (fixture->server));
  fixture->ada_token = cfs_test_register (fixture->server, "Ada", "ada@example.org", &fixture->ada_id);
  fixture->bob_token = cfs_test_register (fixture->server, "Bob", "bob@example.org", &fixture->bob_id);
  fixture->room_id = cfs_test_create_room (fixture->server, fixture->ada_token, "Weekly Sync", 10);

  confab_test_open_tracked_window (application, fixture->settings, &fixture->window);

  confab_test_notifications_clear ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  confab_test_close_window (fixture->window);
  g_clear_object (&fixture->settings);
  g_clear_pointer (&fixture->ada_token, g_free);
  g_clear_pointer (&fixture->bob_token, g_free);
  g_clear_pointer (&fixture->server, cfs_test_server_free);
}

/* Tests */

static void
test_hand_raised_notifies_host (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(SoupWebsocketConnection) bob = NULL;
  g_autoptr(JsonObject) raised = NULL;
  g_autoptr(JsonObject) lowered = NULL;
  g_autofree char *raise = NULL;
  g_autofree char *lower = NULL;
  ConfabTestNotification *notification;
  GtkWidget *other;

  join_in_window (fixture, "ada@example.org", "password-Ada", fixture->ada_id);
  bob = cfs_test_ws_join_as (fixture->server, fixture->bob_token, fixture->room_id);
  CONFAB_TEST_WAIT_UNTIL (has_participant (fixture->window, fixture->bob_id), TIMEOUT_MS);

  other = move_to_background (fixture->window);

  raise = g_strdup_printf ("{\"type\": \"raiseHand\", \"roomId\": %" G_GINT64_FORMAT ", \"raised\": true}",
                           fixture->room_id);
  raised = cfs_test_ws_request (bob, raise, "handRaised");
  CONFAB_TEST_WAIT_UNTIL ((notification = confab_test_notifications_find ("Bob raised a hand")) != NULL, TIMEOUT_MS);
  g_assert_cmpstr (notification->body, ==, "Weekly Sync");
  confab_test_notifications_sync ();

  /* Lowering the hand withdraws the notification. */
  lower = g_strdup_printf ("{\"type\": \"lowerHand\", \"roomId\": %" G_GINT64_FORMAT ", \"userId\": %" G_GINT64_FORMAT "}",
                           fixture->room_id, fixture->bob_id);
  lowered = cfs_test_ws_request (bob, lower, "handRaised");
  CONFAB_TEST_WAIT_UNTIL (confab_test_notifications_was_closed (notification->id), TIMEOUT_MS);

  /* A hand still raised when the host leaves the room is withdrawn too. */
  confab_test_notifications_clear ();
  g_clear_pointer (&raised, json_object_unref);
  raised = cfs_test_ws_request (bob, raise, "handRaised");
  CONFAB_TEST_WAIT_UNTIL ((notification = confab_test_notifications_find ("Bob raised a hand")) != NULL, TIMEOUT_MS);
  confab_test_notifications_sync ();
  confab_meeting_page_leave (CONFAB_MEETING_PAGE (confab_window_get_meeting_page (fixture->window)));
  CONFAB_TEST_WAIT_UNTIL (confab_test_notifications_was_closed (notification->id), TIMEOUT_MS);

  gtk_window_destroy (GTK_WINDOW (other));
}

static void
test_hand_withdrawn_when_participant_leaves (Fixture       *fixture,
                                             gconstpointer  data)
{
  g_autoptr(SoupWebsocketConnection) bob = NULL;
  g_autoptr(JsonObject) raised = NULL;
  g_autoptr(JsonObject) left = NULL;
  g_autofree char *raise = NULL;
  g_autofree char *leave = NULL;
  ConfabTestNotification *notification;
  GtkWidget *other;

  join_in_window (fixture, "ada@example.org", "password-Ada", fixture->ada_id);
  bob = cfs_test_ws_join_as (fixture->server, fixture->bob_token, fixture->room_id);
  CONFAB_TEST_WAIT_UNTIL (has_participant (fixture->window, fixture->bob_id), TIMEOUT_MS);
  other = move_to_background (fixture->window);

  raise = g_strdup_printf ("{\"type\": \"raiseHand\", \"roomId\": %" G_GINT64_FORMAT ", \"raised\": true}",
                           fixture->room_id);
  raised = cfs_test_ws_request (bob, raise, "handRaised");
  CONFAB_TEST_WAIT_UNTIL ((notification = confab_test_notifications_find ("Bob raised a hand")) != NULL, TIMEOUT_MS);
  confab_test_notifications_sync ();

  /* A raised hand of someone who left needs no answer. */
  leave = g_strdup_printf ("{\"type\": \"leaveRoom\", \"requestId\": \"l\", \"roomId\": %" G_GINT64_FORMAT "}",
                           fixture->room_id);
  left = cfs_test_ws_request (bob, leave, "ok");
  CONFAB_TEST_WAIT_UNTIL (confab_test_notifications_was_closed (notification->id), TIMEOUT_MS);
  g_assert_false (has_participant (fixture->window, fixture->bob_id));

  gtk_window_destroy (GTK_WINDOW (other));
}

static void
test_member_gets_no_hand_notification (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(SoupWebsocketConnection) ada = NULL;
  g_autoptr(JsonObject) raised = NULL;
  g_autofree char *raise = NULL;
  ConfabRoomState *state;
  ConfabParticipant *participant;
  GtkWidget *other;

  join_in_window (fixture, "bob@example.org", "password-Bob", fixture->bob_id);
  ada = cfs_test_ws_join_as (fixture->server, fixture->ada_token, fixture->room_id);
  CONFAB_TEST_WAIT_UNTIL (has_participant (fixture->window, fixture->ada_id), TIMEOUT_MS);
  other = move_to_background (fixture->window);

  raise = g_strdup_printf ("{\"type\": \"raiseHand\", \"roomId\": %" G_GINT64_FORMAT ", \"raised\": true}",
                           fixture->room_id);
  raised = cfs_test_ws_request (ada, raise, "handRaised");

  /* Once Bob's page shows the hand, no notification was sent for it. */
  state = get_room_state (fixture->window);
  participant = confab_room_state_find_participant (state, fixture->ada_id);
  CONFAB_TEST_WAIT_UNTIL (confab_participant_get_hand_raised (participant), TIMEOUT_MS);
  confab_test_notifications_sync ();
  g_assert_cmpuint (confab_test_notifications_get_count (), ==, 0);

  gtk_window_destroy (GTK_WINDOW (other));
}

static void
test_removed_notifies_user (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(SoupWebsocketConnection) ada = NULL;
  g_autoptr(JsonObject) done = NULL;
  g_autofree char *kick = NULL;
  ConfabTestNotification *notification;

  join_in_window (fixture, "bob@example.org", "password-Bob", fixture->bob_id);
  ada = cfs_test_ws_join_as (fixture->server, fixture->ada_token, fixture->room_id);

  kick = g_strdup_printf ("{\"type\": \"kick\", \"roomId\": %" G_GINT64_FORMAT ", \"userId\": %" G_GINT64_FORMAT
                          ", \"reason\": \"Off topic\", \"requestId\": \"k1\"}",
                          fixture->room_id, fixture->bob_id);
  done = cfs_test_ws_request (ada, kick, "ok");
  CONFAB_TEST_WAIT_UNTIL ((notification = confab_test_notifications_find ("Removed from Weekly Sync")) != NULL, TIMEOUT_MS);
  g_assert_nonnull (strstr (notification->body, "Ada removed you from Weekly Sync.\n\nReason: Off topic"));
}

int
main (int   argc,
      char *argv[])
{
  application = confab_test_init_application (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/client/notifications/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("hand-raised-notifies-host", test_hand_raised_notifies_host);
  ADD ("hand-withdrawn-when-participant-leaves", test_hand_withdrawn_when_participant_leaves);
  ADD ("member-gets-no-hand-notification", test_member_gets_no_hand_notification);
  ADD ("removed-notifies-user", test_removed_notifies_user);

#undef ADD

  return confab_test_run (&application);
}
