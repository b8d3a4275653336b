/* confab-draw-probe.c: an LD_PRELOAD module that reports when confab has
 * drawn its lobby with the expected number of rooms.
 *
 * It hooks the frame clock's after-paint signal of every window and, after
 * each paint, looks for a mapped GtkListView with at least
 * CONFAB_PROBE_ROOMS items. The file CONFAB_PROBE_OUTPUT gets two lines,
 * "first-paint <Unix time in ns>" for the first paint of any window and
 * "drawn <Unix time in ns>" for the first paint with the full list. The
 * bench script compares them with the moment it launched the process.
 *
 * With CONFAB_PROBE_JOIN_ROOM set to a room id, the probe then activates
 * win.join-room for that room, as the room row's button does, and appends
 * "meeting-loaded <ns>" when a web view finishes loading. The meeting server
 * is then the fake Jitsi fixture: CONFAB_PROBE_TLS_CERT names its PEM
 * certificate, which the probe trusts for CONFAB_PROBE_TLS_HOST only, on the
 * web view's own network session, as the client's tests do.
 */
#include <gtk/gtk.h>
#include <webkit/webkit.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static guint expected_rooms = 1000;
static gboolean reported;
static gboolean painted;
static gint64 first_paint_ns;
static GHashTable *hooked_clocks;

static gint64
now_ns (void)
{
  struct timespec now;

  clock_gettime (CLOCK_REALTIME, &now);
  return (gint64) now.tv_sec * 1000000000 + now.tv_nsec;
}

static gboolean
has_full_list (GtkWidget *widget)
{
  if (GTK_IS_LIST_VIEW (widget) && gtk_widget_get_mapped (widget))
    {
      GtkSelectionModel *model = gtk_list_view_get_model (GTK_LIST_VIEW (widget));

      if (model != NULL && g_list_model_get_n_items (G_LIST_MODEL (model)) >= expected_rooms)
        return TRUE;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_full_list (child))
      return TRUE;

  return FALSE;
}

static void
write_report (gint64 drawn_ns)
{
  /* Written to a temporary name and renamed, so the reader never sees half a file. */
  g_autofree char *partial = g_strconcat (g_getenv ("CONFAB_PROBE_OUTPUT"), ".partial", NULL);
  FILE *output = fopen (partial, "w");

  if (output == NULL)
    return;

  fprintf (output, "first-paint %" G_GINT64_FORMAT "\ndrawn %" G_GINT64_FORMAT "\n", first_paint_ns, drawn_ns);
  fclose (output);
  rename (partial, g_getenv ("CONFAB_PROBE_OUTPUT"));
}

static void
append_line (const char *key)
{
  FILE *output = fopen (g_getenv ("CONFAB_PROBE_OUTPUT"), "a");

  if (output == NULL)
    return;

  fprintf (output, "%s %" G_GINT64_FORMAT "\n", key, now_ns ());
  fclose (output);
}

static gboolean
web_view_load_changed_hook (GSignalInvocationHint *hint,
                            guint                  n_values,
                            const GValue          *values,
                            gpointer               user_data)
{
  WebKitWebView *view = g_value_get_object (&values[0]);
  WebKitLoadEvent event = g_value_get_enum (&values[1]);
  const char *cert_path = g_getenv ("CONFAB_PROBE_TLS_CERT");
  const char *host = g_getenv ("CONFAB_PROBE_TLS_HOST");

  if (event == WEBKIT_LOAD_STARTED && cert_path != NULL && host != NULL &&
      !g_object_get_data (G_OBJECT (view), "confab-probe-trusted"))
    {
      g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_file (cert_path, NULL);

      if (certificate != NULL)
        webkit_network_session_allow_tls_certificate_for_host (webkit_web_view_get_network_session (view),
                                                               certificate, host);
      g_object_set_data (G_OBJECT (view), "confab-probe-trusted", GINT_TO_POINTER (1));
    }

  if (event == WEBKIT_LOAD_FINISHED)
    append_line ("meeting-loaded");

  return TRUE;
}

static gboolean
join_room_cb (gpointer user_data)
{
  GtkWidget *window = user_data;
  gint64 room_id = g_ascii_strtoll (g_getenv ("CONFAB_PROBE_JOIN_ROOM"), NULL, 10);

  g_signal_add_emission_hook (g_signal_lookup ("load-changed", WEBKIT_TYPE_WEB_VIEW), 0,
                              web_view_load_changed_hook, NULL, NULL);
  gtk_widget_activate_action (window, "win.join-room", "x", room_id);
  g_object_unref (window);

  return G_SOURCE_REMOVE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  GtkWidget *window = user_data;
  gint64 now = now_ns ();

  if (!painted)
    {
      painted = TRUE;
      first_paint_ns = now;
    }

  if (reported || !has_full_list (window))
    return;

  reported = TRUE;
  write_report (now);

  if (g_getenv ("CONFAB_PROBE_JOIN_ROOM") != NULL)
    {
      /* The web view class must exist before a hook can be added to its signal. */
      g_type_class_ref (WEBKIT_TYPE_WEB_VIEW);
      g_idle_add (join_room_cb, g_object_ref (window));
    }
}

static gboolean
hook_windows_cb (gpointer user_data)
{
  GListModel *toplevels;

  if (reported)
    return G_SOURCE_REMOVE;
  if (!gtk_is_initialized ())
    return G_SOURCE_CONTINUE;

  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);
      GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

      if (clock == NULL || g_hash_table_contains (hooked_clocks, clock))
        continue;

      g_hash_table_add (hooked_clocks, clock);
      g_signal_connect_object (clock, "after-paint", G_CALLBACK (after_paint_cb), window, 0);
    }

  return G_SOURCE_CONTINUE;
}

__attribute__((constructor))
static void
probe_init (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  const char *rooms = g_getenv ("CONFAB_PROBE_ROOMS");

  if (g_getenv ("CONFAB_PROBE_OUTPUT") == NULL || exe == NULL || !g_str_has_suffix (exe, "/confab"))
    return;

  /* Keep the probe, and the GTK it links, out of WebKit's child processes. */
  g_unsetenv ("LD_PRELOAD");

  if (rooms != NULL)
    expected_rooms = g_ascii_strtoull (rooms, NULL, 10);

  hooked_clocks = g_hash_table_new (NULL, NULL);
  g_timeout_add (2, hook_windows_cb, NULL);
}
