/* confab-screenshots.c: PNG screenshots of the client against a demo server.
 *
 * Starts confab-server in a temporary directory with demo accounts and
 * rooms, starts the fake Jitsi fixture as the meeting server, opens the
 * client and writes sign-in.png, lobby.png, meeting-page.png (this machine's
 * real state: automatic mode, where a WebKitGTK without WebRTC offers the
 * browser), meeting-chat.png (the same page with the chat shown) and
 * meeting-embedded.png (embedded mode, showing the fixture's meeting page)
 * into the output folder. tools/screenshots runs it under
 * Xvfb through tests/client/run-client-test.sh.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "confab-screenshots"

#include "config.h"

#include <adwaita.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <errno.h>
#include <glib/gstdio.h>

#include "../fixtures/confab-fake-jitsi-client.h"
#include "cfs-test-server.h"
#include "confab-application.h"
#include "confab-meeting-page.h"
#include "confab-side-panel.h"
#include "confab-test-util.h"
#include "confab-window.h"

#define WAIT_MS 30000

/* Rendering settles within a few frames; this only gives the frame clock
 * time to paint before a snapshot, it is not a synchronisation point.
 */
#define SETTLE_MS 700

typedef struct {
  CfsTestServer   *server;
  ConfabFakeJitsi *fake_jitsi;
  char            *host_token;
  char            *guest_token;
  gint64           guest_id;
  gint64           meeting_room_id;
  GPtrArray       *sockets;     /* SoupWebsocketConnection of the demo guests */
} Demo;

static const char *output_dir;

/* Saves a window's content, header bar included. GtkWidgetPaintable
 * would hold an image only while something draws it, so the content widget
 * is snapshotted directly, as the frame clock would.
 */
static void
save_screenshot (GtkWidget  *window,
                 const char *name)
{
  GtkWidget *widget = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = g_build_filename (output_dir, name, NULL);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width, height;

  confab_test_run_for (SETTLE_MS);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  if (width <= 0 || height <= 0)
    g_error ("The window is not shown, so %s cannot be taken", name);

  /* The window background, which the content does not paint itself. */
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0.98, 0.98, 0.98, 1.0 },
                             &GRAPHENE_RECT_INIT (0, 0, width, height));
  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    g_error ("Nothing was drawn for %s", name);

  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_error ("Could not write %s", path);

  g_print ("%s\n", path);
}

static gboolean
is_on_page (ConfabWindow *window,
            const char   *name)
{
  return g_strcmp0 (confab_window_get_page_name (window), name) == 0;
}

static void
join_as_guest (Demo       *demo,
               const char *token,
               gint64      room_id)
{
  SoupWebsocketConnection *ws = cfs_test_ws_connect (demo->server, token);
  g_autofree char *join = g_strdup_printf ("{\"type\": \"joinRoom\", \"roomId\": %" G_GINT64_FORMAT "}", room_id);

  json_object_unref (cfs_test_ws_request (ws, join, "roomState"));
  g_ptr_array_add (demo->sockets, ws);
}

static void
send_as_guest (SoupWebsocketConnection *ws,
               const char              *json,
               const char              *reply)
{
  json_object_unref (cfs_test_ws_request (ws, json, reply));
}

/* Accounts, rooms, and guests in them so that the lobby shows live counts. */
static void
seed_demo (Demo *demo)
{
  g_autofree char *alan = NULL;
  g_autofree char *chat = NULL;
  g_autofree char *hand = NULL;
  g_autofree char *notes = NULL;
  gint64 coffee;
  SoupWebsocketConnection *guest;

  demo->host_token = cfs_test_register (demo->server, "Ada Lovelace", "ada@example.org", NULL);
  demo->guest_token = cfs_test_register (demo->server, "Grace Hopper", "grace@example.org", &demo->guest_id);
  alan = cfs_test_register (demo->server, "Alan Turing", "alan@example.org", NULL);

  demo->meeting_room_id = cfs_test_create_room (demo->server, demo->host_token, "Design review", 8);
  coffee = cfs_test_create_room (demo->server, alan, "Café Été", 6);
  cfs_test_create_room (demo->server, alan, "Daily stand-up", 12);
  cfs_test_create_room (demo->server, demo->host_token, "Office hours", 50);

  join_as_guest (demo, demo->guest_token, demo->meeting_room_id);
  join_as_guest (demo, alan, coffee);

  /* Grace says hello, raises her hand and starts the notes. */
  guest = g_ptr_array_index (demo->sockets, 0);
  chat = g_strdup_printf ("{\"type\": \"chat\", \"roomId\": %" G_GINT64_FORMAT ", \"clientMsgId\": \"demo-1\","
                          " \"text\": \"Hello! The mock-ups are at https://example.org/mockups\"}",
                          demo->meeting_room_id);
  send_as_guest (guest, chat, "chatAck");
  hand = g_strdup_printf ("{\"type\": \"raiseHand\", \"roomId\": %" G_GINT64_FORMAT ", \"raised\": true}",
                          demo->meeting_room_id);
  send_as_guest (guest, hand, "handRaised");
  notes = g_strdup_printf ("{\"type\": \"notesUpdate\", \"roomId\": %" G_GINT64_FORMAT ", \"baseVersion\": 0,"
                           " \"text\": \"Agenda\\n- lobby counts\\n- meeting page\\n\"}", demo->meeting_room_id);
  send_as_guest (guest, notes, "notesUpdated");
}

static ConfabWindow *
open_window (ConfabApplication *application,
             GSettings         *settings)
{
  ConfabWindow *window = confab_window_new (application, settings);

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_present (GTK_WINDOW (window));
  CONFAB_TEST_WAIT_UNTIL (is_on_page (window, "sign-in"), WAIT_MS);
  return window;
}

static void
sign_in (ConfabWindow *window,
         Demo         *demo)
{
  GtkWidget *root = GTK_WIDGET (window);

  confab_window_use_server (window, cfs_test_server_get_url (demo->server));
  save_screenshot (root, "sign-in.png");

  gtk_editable_set_text (GTK_EDITABLE (confab_test_find_by_id (root, "email_row")), "ada@example.org");
  gtk_editable_set_text (GTK_EDITABLE (confab_test_find_by_id (root, "password_row")), "password-Ada Lovelace");

  confab_test_click (confab_test_find_by_id (root, "submit_button"));
  CONFAB_TEST_WAIT_UNTIL (is_on_page (window, "lobby"), WAIT_MS);
  /* The lobby is ready once the live counts arrived. */
  CONFAB_TEST_WAIT_UNTIL (confab_test_find_label_containing (root, "1 / 8") != NULL, WAIT_MS);
}

static void
open_meeting (ConfabWindow *window,
              Demo         *demo,
              const char   *expected_area,
              const char   *file_name,
              const char   *chat_file_name)
{
  ConfabMeetingPage *page;
  GtkWidget *stack;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.join-room", "x", demo->meeting_room_id);
  CONFAB_TEST_WAIT_UNTIL (confab_window_get_meeting_page (window) != NULL, WAIT_MS);
  page = CONFAB_MEETING_PAGE (confab_window_get_meeting_page (window));
  stack = confab_test_find_by_id (GTK_WIDGET (page), "meeting_stack");

  CONFAB_TEST_WAIT_UNTIL (g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (stack)), expected_area) == 0,
                          WAIT_MS);
  if (g_str_equal (expected_area, "view"))
    CONFAB_TEST_WAIT_UNTIL (confab_meeting_page_get_jitsi_id (page) != NULL, WAIT_MS);

  save_screenshot (GTK_WIDGET (window), file_name);

  if (chat_file_name != NULL)
    {
      confab_side_panel_show_page (CONFAB_SIDE_PANEL (confab_meeting_page_get_side_panel (page)), "chat");
      save_screenshot (GTK_WIDGET (window), chat_file_name);
    }

  confab_meeting_page_leave (page);
  CONFAB_TEST_WAIT_UNTIL (is_on_page (window, "lobby"), WAIT_MS);
}

static void
run (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) settings = g_settings_new_with_backend (APP_ID, backend);
  g_autofree char *config = NULL;
  ConfabApplication *application;
  ConfabWindow *window;
  Demo demo = { 0, };

  demo.fake_jitsi = confab_fake_jitsi_start (&error);
  if (demo.fake_jitsi == NULL)
    g_error ("Could not start the fake Jitsi server: %s", error->message);

  config = g_strdup_printf ("[jitsi]\ndomain=localhost:%u\n", confab_fake_jitsi_get_port (demo.fake_jitsi));
  demo.server = cfs_test_server_start (config);
  demo.sockets = g_ptr_array_new_with_free_func (g_object_unref);
  seed_demo (&demo);

  application = confab_application_new ();
  if (!g_application_register (G_APPLICATION (application), NULL, &error))
    g_error ("Could not register the application: %s", error->message);
  webkit_network_session_allow_tls_certificate_for_host (confab_application_get_network_session (application),
                                                         confab_fake_jitsi_get_certificate (demo.fake_jitsi),
                                                         "localhost");

  window = open_window (application, settings);
  sign_in (window, &demo);
  save_screenshot (GTK_WIDGET (window), "lobby.png");

  g_settings_set_string (settings, "meeting-mode", "automatic");
  open_meeting (window, &demo, "message", "meeting-page.png", "meeting-chat.png");

  g_settings_set_string (settings, "meeting-mode", "embedded");
  open_meeting (window, &demo, "view", "meeting-embedded.png", NULL);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (application);
  g_ptr_array_unref (demo.sockets);
  cfs_test_server_free (demo.server);
  confab_fake_jitsi_free (demo.fake_jitsi);
  g_free (demo.host_token);
  g_free (demo.guest_token);
}

int
main (int   argc,
      char *argv[])
{
  if (argc != 2)
    {
      g_printerr ("Usage: %s OUTPUT-FOLDER\n", argv[0]);
      return 2;
    }

  output_dir = argv[1];
  if (g_mkdir_with_parents (output_dir, 0755) != 0)
    {
      g_printerr ("Could not create the folder %s: %s\n", output_dir, g_strerror (errno));
      return 1;
    }

  gtk_init ();
  adw_init ();
  run ();
  return 0;
}
