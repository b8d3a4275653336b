/* confab-room-settings-dialog.c: editing and deleting a room
 *
 * Loads the room with GET /api/v1/rooms/{id}, then sends PATCH with only
 * the fields the user changed, so that a concurrent edit of another field
 * is kept. A rejected change stays in the form with the server's message.
 * The lobby shows the change when the server's `roomUpdated` arrives.
 */
#define G_LOG_DOMAIN "confab-lobby"

#include "config.h"

#include <glib/gi18n.h>

#include "confab-delete-room.h"
#include "confab-json.h"
#include "confab-new-room-dialog.h"
#include "confab-protocol.h"
#include "confab-room-settings-dialog.h"
#include "confab-window.h"

struct _ConfabRoomSettingsDialog
{
  AdwWindow      parent_instance;

  /* Template widgets */
  GtkSpinner    *spinner;
  GtkButton     *save_button;
  GtkButton     *delete_button;
  GtkLabel      *error_label;
  GtkWidget     *form_group;
  AdwEntryRow   *name_row;
  AdwEntryRow   *topic_row;
  GtkSpinButton *capacity_spin;
  GtkSwitch     *private_switch;

  /* Owned */
  ConfabApi     *api;
  GCancellable  *cancellable;
  char          *name;
  char          *topic;

  gint64         room_id;
  int            capacity;
  gboolean       is_private;
  gboolean       loaded;
  gboolean       busy;
};

G_DEFINE_FINAL_TYPE (ConfabRoomSettingsDialog, confab_room_settings_dialog, ADW_TYPE_WINDOW)

static void
show_error (ConfabRoomSettingsDialog *self,
            const char               *text)
{
  gtk_label_set_label (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

static char *
dup_form_name (ConfabRoomSettingsDialog *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
}

static char *
dup_form_topic (ConfabRoomSettingsDialog *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->topic_row))));
}

/* Checks the form with the New Room dialog's limits and messages, so an
 * empty or long name is rejected before any request is sent.
 */
static gboolean
check_form (ConfabRoomSettingsDialog *self)
{
  g_autofree char *name = dup_form_name (self);
  g_autofree char *topic = dup_form_topic (self);
  g_autofree char *problem = NULL;
  gboolean topic_is_invalid = FALSE;

  problem = confab_new_room_dialog_check_fields (name, topic, &topic_is_invalid);
  if (problem == NULL)
    return TRUE;

  show_error (self, problem);
  gtk_widget_grab_focus (GTK_WIDGET (topic_is_invalid ? self->topic_row : self->name_row));
  return FALSE;
}

/* Returns the fields that differ from the loaded room, or NULL when none. */
static JsonObject *
build_changes (ConfabRoomSettingsDialog *self)
{
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autofree char *name = dup_form_name (self);
  g_autofree char *topic = dup_form_topic (self);
  int capacity = gtk_spin_button_get_value_as_int (self->capacity_spin);
  gboolean is_private = gtk_switch_get_active (self->private_switch);

  if (g_strcmp0 (name, self->name) != 0)
    json_object_set_string_member (changes, "name", name);
  if (g_strcmp0 (topic, self->topic) != 0)
    json_object_set_string_member (changes, "topic", topic);
  if (capacity != self->capacity)
    json_object_set_int_member (changes, "capacity", capacity);
  if (is_private != self->is_private)
    json_object_set_boolean_member (changes, "private", is_private);

  if (json_object_get_size (changes) == 0)
    return NULL;

  return g_steal_pointer (&changes);
}

static void
update_sensitivity (ConfabRoomSettingsDialog *self)
{
  g_autoptr(JsonObject) changes = NULL;
  gboolean ready = self->loaded && !self->busy;

  if (ready)
    changes = build_changes (self);

  gtk_widget_set_sensitive (self->form_group, ready);
  gtk_widget_set_sensitive (GTK_WIDGET (self->delete_button), ready);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), ready && changes != NULL);
}

static void
set_busy (ConfabRoomSettingsDialog *self,
          gboolean                  busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  update_sensitivity (self);
}

/* Takes the room's current values as the baseline of the form. */
static gboolean
apply_room (ConfabRoomSettingsDialog *self,
            JsonNode                 *root)
{
  JsonObject *room = NULL;
  const char *name;
  const char *topic;
  gboolean is_private = FALSE;
  gint64 capacity = 0;

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    room = json_node_get_object (root);

  name = confab_json_get_string (room, "name");
  topic = confab_json_get_string (room, "topic");
  if (name == NULL || !confab_json_get_int (room, "capacity", &capacity)
      || !confab_json_get_boolean (room, "private", &is_private))
    return FALSE;

  g_free (self->name);
  self->name = g_strdup (name);
  g_free (self->topic);
  self->topic = g_strdup (topic != NULL ? topic : "");
  self->capacity = (int) CLAMP (capacity, 0, G_MAXINT);
  self->is_private = is_private;
  self->loaded = TRUE;

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), self->name);
  gtk_editable_set_text (GTK_EDITABLE (self->topic_row), self->topic);
  gtk_spin_button_set_value (self->capacity_spin, self->capacity);
  gtk_switch_set_active (self->private_switch, self->is_private);

  return TRUE;
}

static void
show_toast_on_parent (ConfabRoomSettingsDialog *self,
                      const char               *text)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (CONFAB_IS_WINDOW (parent))
    confab_window_show_toast (CONFAB_WINDOW (parent), text);
}

static void
load_room_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  ConfabRoomSettingsDialog *self;

  root = confab_api_request_finish (CONFAB_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CONFAB_ROOM_SETTINGS_DIALOG (user_data);
  set_busy (self, FALSE);

  if (error != NULL)
    {
      show_error (self, error->message);
      return;
    }

  if (!apply_room (self, root))
    {
      show_error (self, _("The server sent an invalid room. Close this window and try again."));
      return;
    }

  update_sensitivity (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
save_room_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  ConfabRoomSettingsDialog *self;

  root = confab_api_request_finish (CONFAB_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CONFAB_ROOM_SETTINGS_DIALOG (user_data);
  set_busy (self, FALSE);

  /* The form keeps what the user typed, so it can be corrected. */
  if (error != NULL)
    {
      show_error (self, error->message);
      return;
    }

  g_message ("Saved the settings of room %" G_GINT64_FORMAT, self->room_id);
  show_toast_on_parent (self, _("Room settings saved"));
  gtk_window_close (GTK_WINDOW (self));
}

static void
delete_room_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  ConfabRoomSettingsDialog *self;
  gboolean deleted;

  deleted = confab_delete_room_finish (CONFAB_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CONFAB_ROOM_SETTINGS_DIALOG (user_data);
  set_busy (self, FALSE);

  if (error != NULL)
    {
      show_error (self, error->message);
      return;
    }

  if (!deleted)
    return;

  show_toast_on_parent (self, _("Room deleted"));
  gtk_window_close (GTK_WINDOW (self));
}

static void
form_changed_cb (ConfabRoomSettingsDialog *self)
{
  update_sensitivity (self);
}

static void
save_button_clicked_cb (ConfabRoomSettingsDialog *self)
{
  g_autoptr(JsonObject) changes = NULL;
  g_autofree char *path = NULL;

  if (!self->loaded || self->busy)
    return;

  changes = build_changes (self);
  if (changes == NULL || !check_form (self))
    return;

  show_error (self, NULL);
  set_busy (self, TRUE);

  path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT, self->room_id);
  confab_api_request_async (self->api, "PATCH", path, changes, self->cancellable,
                            save_room_cb, self);
}

static void
delete_button_clicked_cb (ConfabRoomSettingsDialog *self)
{
  if (!self->loaded || self->busy)
    return;

  show_error (self, NULL);
  set_busy (self, TRUE);
  confab_delete_room_async (GTK_WINDOW (self), self->api, self->room_id, self->name,
                            self->cancellable, delete_room_cb, self);
}

static void
confab_room_settings_dialog_dispose (GObject *object)
{
  ConfabRoomSettingsDialog *self = (ConfabRoomSettingsDialog *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_ROOM_SETTINGS_DIALOG);

  G_OBJECT_CLASS (confab_room_settings_dialog_parent_class)->dispose (object);
}

static void
confab_room_settings_dialog_finalize (GObject *object)
{
  ConfabRoomSettingsDialog *self = (ConfabRoomSettingsDialog *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->api);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->topic, g_free);

  G_OBJECT_CLASS (confab_room_settings_dialog_parent_class)->finalize (object);
}

static void
confab_room_settings_dialog_class_init (ConfabRoomSettingsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = confab_room_settings_dialog_dispose;
  object_class->finalize = confab_room_settings_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/confab/Confab/ui/confab-room-settings-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomSettingsDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomSettingsDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomSettingsDialog, delete_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomSettingsDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomSettingsDialog, form_group);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomSettingsDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomSettingsDialog, topic_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomSettingsDialog, capacity_spin);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomSettingsDialog, private_switch);
  gtk_widget_class_bind_template_callback (widget_class, form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, delete_button_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
confab_room_settings_dialog_init (ConfabRoomSettingsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* AdwEntryRow has no max-length property in libadwaita 1.2, but its
   * GtkText has.
   */
  gtk_text_set_max_length (GTK_TEXT (gtk_editable_get_delegate (GTK_EDITABLE (self->name_row))),
                           CONFAB_ROOM_NAME_MAX_CHARS);
  gtk_text_set_max_length (GTK_TEXT (gtk_editable_get_delegate (GTK_EDITABLE (self->topic_row))),
                           CONFAB_ROOM_TOPIC_MAX_CHARS);

  self->cancellable = g_cancellable_new ();
}

/**
 * confab_room_settings_dialog_new:
 * @parent: (nullable): the window the dialog is modal to
 * @api: the signed-in REST client
 * @room_id: the room to edit, which the user owns or, as a site admin, may edit
 *
 * Returns: (transfer none): the dialog, which loads the room at once and
 *   is destroyed when it closes
 */
ConfabRoomSettingsDialog *
confab_room_settings_dialog_new (GtkWindow *parent,
                                 ConfabApi *api,
                                 gint64     room_id)
{
  ConfabRoomSettingsDialog *self;
  g_autofree char *path = NULL;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CONFAB_IS_API (api), NULL);
  g_return_val_if_fail (room_id > 0, NULL);

  self = g_object_new (CONFAB_TYPE_ROOM_SETTINGS_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->api = g_object_ref (api);
  self->room_id = room_id;

  set_busy (self, TRUE);
  path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT, room_id);
  confab_api_request_async (api, "GET", path, NULL, self->cancellable, load_room_cb, self);

  return self;
}
