/* confab-history-dialog.c: a room's past meetings and their CSV export
 *
 * Lists GET /api/v1/rooms/{id}/history, newest first, with each meeting's
 * attendance in an expander row. "Export CSV…" opens a file chooser,
 * downloads the server's CSV (?format=csv) and writes it
 * there as it is, so the file has the server's columns and quoting.
 */
#define G_LOG_DOMAIN "confab-history"

#include "config.h"

#include <glib/gi18n.h>

#include "confab-history-dialog.h"
#include "confab-json.h"
#include "confab-time.h"

struct _ConfabHistoryDialog
{
  AdwWindow             parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkButton            *export_button;
  GtkStack             *stack;
  GtkSpinner           *loading_spinner;
  AdwStatusPage        *failed_page;
  AdwPreferencesGroup  *meetings_group;

  /* Owned */
  ConfabApi            *api;
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
  GPtrArray            *rows;
  char                 *room_name;

  gint64                room_id;
  /* Both replies of a load must arrive before the list is shown. */
  guint                 pending_loads;
  JsonNode             *history;
  GError               *load_error;
};

G_DEFINE_FINAL_TYPE (ConfabHistoryDialog, confab_history_dialog, ADW_TYPE_WINDOW)

typedef struct {
  ConfabHistoryDialog *self;
  GFile               *file;
} ExportData;

static void load (ConfabHistoryDialog *self);

/* Helpers */

static void
export_data_free (ExportData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->file);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExportData, export_data_free)

static JsonObject *
get_array_object (JsonArray *array,
                  guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static void
show_toast (ConfabHistoryDialog *self,
            const char          *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* The export button shows a spinner while the file is downloaded and
 * written.
 */
static void
set_exporting (ConfabHistoryDialog *self,
               gboolean             exporting)
{
  if (exporting)
    {
      GtkWidget *spinner = gtk_spinner_new ();

      gtk_spinner_start (GTK_SPINNER (spinner));
      gtk_button_set_child (self->export_button, spinner);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->export_button), _("Exporting…"));
    }
  else
    {
      gtk_button_set_label (self->export_button, _("_Export CSV…"));
      gtk_button_set_use_underline (self->export_button, TRUE);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->export_button),
                                   _("Save every meeting and its attendance as a spreadsheet file"));
    }

  /* An empty history has nothing to export, and its empty state shows instead. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), !exporting && self->rows->len > 0);
}

static GtkWidget *
build_attendance_row (JsonObject *attendance)
{
  const char *name = confab_json_get_string (confab_json_get_object (attendance, "user"), "name");
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *joined = NULL;
  g_autofree char *subtitle = NULL;
  gint64 joined_at = 0;
  gint64 left_at = 0;

  confab_json_get_int (attendance, "joined_at", &joined_at);
  joined = confab_time_format_date_time (joined_at);

  if (confab_json_get_int (attendance, "left_at", &left_at))
    {
      g_autofree char *left = confab_time_format_date_time (left_at);

      /* Translators: both %s are a date and time. */
      subtitle = g_strdup_printf (_("Joined %s, left %s"), joined, left);
    }
  else
    {
      /* Translators: %s is a date and time. */
      subtitle = g_strdup_printf (_("Joined %s, still in the room"), joined);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name != NULL ? name : _("Unknown"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  return row;
}

static GtkWidget *
build_meeting_row (JsonObject *meeting)
{
  JsonArray *attendance = confab_json_get_array (meeting, "attendance");
  guint n_attendance = attendance != NULL ? json_array_get_length (attendance) : 0;
  GtkWidget *row = adw_expander_row_new ();
  g_autofree char *started = NULL;
  g_autofree char *ended = NULL;
  g_autofree char *subtitle = NULL;
  gint64 started_at = 0;
  gint64 ended_at = 0;
  gint64 peak = 0;

  confab_json_get_int (meeting, "started_at", &started_at);
  confab_json_get_int (meeting, "peak_participants", &peak);
  started = confab_time_format_date_time (started_at);

  if (confab_json_get_int (meeting, "ended_at", &ended_at))
    {
      g_autofree char *time = confab_time_format_date_time (ended_at);

      /* Translators: %s is a date and time. */
      ended = g_strdup_printf (_("Ended %s"), time);
    }
  else
    {
      ended = g_strdup (_("Running"));
    }

  /* Translators: "Ended Jan 5, 2026 15:30 · Peak 4 participants". */
  subtitle = g_strdup_printf (ngettext ("%s · Peak %d participant",
                                        "%s · Peak %d participants", (gulong) peak),
                              ended, (int) peak);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), started);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);

  for (guint i = 0; i < n_attendance; i++)
    {
      JsonObject *entry = get_array_object (attendance, i);

      if (entry != NULL)
        adw_expander_row_add_row (ADW_EXPANDER_ROW (row), build_attendance_row (entry));
    }

  return row;
}

static void
clear_rows (ConfabHistoryDialog *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->meetings_group, g_ptr_array_index (self->rows, i));

  g_ptr_array_set_size (self->rows, 0);
}

static void
render (ConfabHistoryDialog *self)
{
  JsonObject *root = JSON_NODE_HOLDS_OBJECT (self->history) ? json_node_get_object (self->history) : NULL;
  JsonArray *meetings = confab_json_get_array (root, "meetings");
  guint n = meetings != NULL ? json_array_get_length (meetings) : 0;

  adw_window_title_set_subtitle (self->window_title, self->room_name);
  clear_rows (self);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *meeting = get_array_object (meetings, i);
      GtkWidget *row;

      if (meeting == NULL)
        continue;

      row = build_meeting_row (meeting);
      adw_preferences_group_add (self->meetings_group, row);
      g_ptr_array_add (self->rows, row);
    }

  gtk_stack_set_visible_child_name (self->stack, self->rows->len > 0 ? "meetings" : "empty");
  gtk_spinner_set_spinning (self->loading_spinner, FALSE);

  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), self->rows->len > 0);
}

/* Returns "<room name>-history.csv" with characters that file systems
 * reject in a name replaced by "-".
 */
static char *
build_suggested_name (ConfabHistoryDialog *self)
{
  g_autofree char *name = g_strdup (self->room_name != NULL ? self->room_name : "room");

  g_strdelimit (name, "/\\:*?\"<>|", '-');
  return g_strdup_printf ("%s-history.csv", g_strstrip (name));
}

/* Callbacks */

static void
finish_load (ConfabHistoryDialog *self)
{
  if (--self->pending_loads > 0)
    return;

  if (self->load_error != NULL)
    {
      g_message ("Could not load the history of room %" G_GINT64_FORMAT ": %s",
                 self->room_id, self->load_error->message);
      adw_status_page_set_description (self->failed_page, self->load_error->message);
      gtk_stack_set_visible_child_name (self->stack, "failed");
      gtk_spinner_set_spinning (self->loading_spinner, FALSE);
      return;
    }

  render (self);
}

static void
load_room_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ConfabHistoryDialog) self = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  root = confab_api_request_finish (CONFAB_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL && self->load_error == NULL)
    self->load_error = g_steal_pointer (&error);

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      g_free (self->room_name);
      self->room_name = g_strdup (confab_json_get_string (json_node_get_object (root), "name"));
    }

  finish_load (self);
}

static void
load_history_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ConfabHistoryDialog) self = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  root = confab_api_request_finish (CONFAB_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL && self->load_error == NULL)
    self->load_error = g_steal_pointer (&error);

  g_clear_pointer (&self->history, json_node_unref);
  self->history = g_steal_pointer (&root);

  finish_load (self);
}

static void
write_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(ExportData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *file_name = g_file_get_parse_name (data->file);
  g_autofree char *text = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_message ("Could not write the history of room %" G_GINT64_FORMAT ": %s",
                 data->self->room_id, error->message);
      /* Translators: the first %s is a file name, the second the reason. */
      text = g_strdup_printf (_("Could not save %s: %s"), file_name, error->message);
    }
  else
    {
      g_debug ("Exported the history of room %" G_GINT64_FORMAT, data->self->room_id);
      /* Translators: %s is a file name. */
      text = g_strdup_printf (_("Saved the meeting history to %s"), file_name);
    }

  set_exporting (data->self, FALSE);
  show_toast (data->self, text);
}

static void
download_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(ExportData) data = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  ConfabHistoryDialog *self = data->self;
  GFile *file;

  bytes = confab_api_request_bytes_finish (CONFAB_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (bytes == NULL)
    {
      g_autofree char *file_name = g_file_get_parse_name (data->file);
      g_autofree char *text = NULL;

      /* Translators: the first %s is a file name, the second the reason. */
      text = g_strdup_printf (_("Could not export to %s: %s"), file_name, error->message);
      set_exporting (self, FALSE);
      show_toast (self, text);
      return;
    }

  file = data->file;
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION, self->cancellable,
                                       write_cb, g_steal_pointer (&data));
}

static void
chooser_response_cb (ConfabHistoryDialog  *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  ExportData *data;

  /* The chooser stays until the next export or dispose: releasing it in
   * its own response signal would free it while GTK still uses it.
   */
  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  if (file == NULL)
    return;

  data = g_new0 (ExportData, 1);
  data->self = g_object_ref (self);
  data->file = g_steal_pointer (&file);

  set_exporting (self, TRUE);
  path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/history?format=csv", self->room_id);
  confab_api_request_bytes_async (self->api, path, "text/csv", self->cancellable, download_cb, data);
}

/* Starts @chooser in the user's Documents folder, or in the home folder
 * when there is none, rather than in the process's working directory.
 */
static void
set_chooser_folder (GtkFileChooserNative *chooser)
{
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;

  if (documents != NULL && g_file_test (documents, G_FILE_TEST_IS_DIR))
    folder = g_file_new_for_path (documents);
  else
    folder = g_file_new_for_path (g_get_home_dir ());

  if (!gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, &error))
    g_debug ("Could not start the file chooser in %s: %s", g_file_peek_path (folder), error->message);
}

static void
export_clicked_cb (ConfabHistoryDialog *self)
{
  g_autofree char *suggested_name = build_suggested_name (self);

  if (self->chooser != NULL && gtk_native_dialog_get_visible (GTK_NATIVE_DIALOG (self->chooser)))
    return;

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Export Meeting History"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  set_chooser_folder (self->chooser);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), suggested_name);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
reload_clicked_cb (ConfabHistoryDialog *self)
{
  load (self);
}

static void
load (ConfabHistoryDialog *self)
{
  g_autofree char *room_path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT, self->room_id);
  g_autofree char *history_path = g_strdup_printf ("%s/history", room_path);

  if (self->pending_loads > 0)
    return;

  g_clear_error (&self->load_error);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_spinner_set_spinning (self->loading_spinner, TRUE);

  self->pending_loads = 2;
  confab_api_request_async (self->api, "GET", room_path, NULL, self->cancellable,
                            load_room_cb, g_object_ref (self));
  confab_api_request_async (self->api, "GET", history_path, NULL, self->cancellable,
                            load_history_cb, g_object_ref (self));
}

/* Overrides */

static void
confab_history_dialog_dispose (GObject *object)
{
  ConfabHistoryDialog *self = (ConfabHistoryDialog *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_HISTORY_DIALOG);

  G_OBJECT_CLASS (confab_history_dialog_parent_class)->dispose (object);
}

static void
confab_history_dialog_finalize (GObject *object)
{
  ConfabHistoryDialog *self = (ConfabHistoryDialog *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->api);
  g_clear_pointer (&self->room_name, g_free);
  g_clear_pointer (&self->history, json_node_unref);
  g_clear_error (&self->load_error);

  G_OBJECT_CLASS (confab_history_dialog_parent_class)->finalize (object);
}

static void
confab_history_dialog_class_init (ConfabHistoryDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = confab_history_dialog_dispose;
  object_class->finalize = confab_history_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/confab/Confab/ui/confab-history-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabHistoryDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ConfabHistoryDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, ConfabHistoryDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabHistoryDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, ConfabHistoryDialog, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, ConfabHistoryDialog, failed_page);
  gtk_widget_class_bind_template_child (widget_class, ConfabHistoryDialog, meetings_group);
  gtk_widget_class_bind_template_callback (widget_class, export_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, reload_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
confab_history_dialog_init (ConfabHistoryDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
}

/* Public API */

/**
 * confab_history_dialog_new:
 * @parent: (nullable): the window the dialog is modal to
 * @api: the signed-in REST client
 * @room_id: a room the user hosts
 *
 * Creates the dialog and starts loading the room's meetings.
 *
 * Returns: (transfer none): the dialog, destroyed when it closes
 */
ConfabHistoryDialog *
confab_history_dialog_new (GtkWindow *parent,
                           ConfabApi *api,
                           gint64     room_id)
{
  ConfabHistoryDialog *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CONFAB_IS_API (api), NULL);
  g_return_val_if_fail (room_id > 0, NULL);

  self = g_object_new (CONFAB_TYPE_HISTORY_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->api = g_object_ref (api);
  self->room_id = room_id;

  load (self);

  return self;
}
