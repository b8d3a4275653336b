/* confab-new-room-dialog.c: creating a room
 *
 * Sends POST /api/v1/rooms and stays open with the server's explanation
 * when the server rejects the room, so nothing typed is lost. The lobby
 * shows the new room when the server's `roomUpdated` arrives.
 */
#define G_LOG_DOMAIN "confab-lobby"

#include "config.h"

#include <glib/gi18n.h>

#include "confab-json.h"
#include "confab-new-room-dialog.h"
#include "confab-protocol.h"

struct _ConfabNewRoomDialog
{
  AdwWindow      parent_instance;

  /* Template widgets */
  GtkLabel      *error_label;
  AdwEntryRow   *name_row;
  AdwEntryRow   *topic_row;
  GtkSpinButton *capacity_spin;
  GtkButton     *create_button;

  /* Owned */
  ConfabApi     *api;
  GCancellable  *cancellable;
};

G_DEFINE_FINAL_TYPE (ConfabNewRoomDialog, confab_new_room_dialog, ADW_TYPE_WINDOW)

enum {
  CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (ConfabNewRoomDialog *self,
            const char          *text)
{
  gtk_label_set_label (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

static void
set_busy (ConfabNewRoomDialog *self,
          gboolean             busy)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->topic_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->capacity_spin), !busy);
}

static void
create_room_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  ConfabNewRoomDialog *self;
  JsonObject *room = NULL;
  const char *name;
  gint64 room_id = 0;

  root = confab_api_request_finish (CONFAB_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CONFAB_NEW_ROOM_DIALOG (user_data);
  set_busy (self, FALSE);

  if (error != NULL)
    {
      show_error (self, error->message);
      return;
    }

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    room = json_node_get_object (root);

  name = confab_json_get_string (room, "name");
  if (!confab_json_get_int (room, "id", &room_id) || name == NULL)
    {
      show_error (self, _("The server created the room but sent an invalid reply. Look for it in the lobby."));
      return;
    }

  g_message ("Created room %" G_GINT64_FORMAT, room_id);
  g_signal_emit (self, signals[CREATED], 0, room_id, name);
  gtk_window_close (GTK_WINDOW (self));
}

static void
create_button_clicked_cb (ConfabNewRoomDialog *self)
{
  g_autofree char *name = NULL;
  g_autofree char *topic = NULL;
  g_autofree char *problem = NULL;
  g_autoptr(JsonObject) body = NULL;
  gboolean topic_is_invalid = FALSE;

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->create_button)))
    return;

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  topic = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->topic_row))));

  problem = confab_new_room_dialog_check_fields (name, topic, &topic_is_invalid);
  if (problem != NULL)
    {
      show_error (self, problem);
      gtk_widget_grab_focus (GTK_WIDGET (topic_is_invalid ? self->topic_row : self->name_row));
      return;
    }

  body = json_object_new ();
  json_object_set_string_member (body, "name", name);
  if (topic[0] != '\0')
    json_object_set_string_member (body, "topic", topic);
  json_object_set_int_member (body, "capacity", gtk_spin_button_get_value_as_int (self->capacity_spin));

  show_error (self, NULL);
  set_busy (self, TRUE);
  confab_api_request_async (self->api, "POST", "/api/v1/rooms", body, self->cancellable,
                            create_room_cb, self);
}

static void
confab_new_room_dialog_dispose (GObject *object)
{
  ConfabNewRoomDialog *self = (ConfabNewRoomDialog *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_NEW_ROOM_DIALOG);

  G_OBJECT_CLASS (confab_new_room_dialog_parent_class)->dispose (object);
}

static void
confab_new_room_dialog_finalize (GObject *object)
{
  ConfabNewRoomDialog *self = (ConfabNewRoomDialog *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->api);

  G_OBJECT_CLASS (confab_new_room_dialog_parent_class)->finalize (object);
}

static void
confab_new_room_dialog_class_init (ConfabNewRoomDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = confab_new_room_dialog_dispose;
  object_class->finalize = confab_new_room_dialog_finalize;

  /**
   * ConfabNewRoomDialog::created:
   * @room_id: the new room's id
   * @name: its name
   */
  signals[CREATED] =
    g_signal_new ("created",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/confab/Confab/ui/confab-new-room-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabNewRoomDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabNewRoomDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabNewRoomDialog, topic_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabNewRoomDialog, capacity_spin);
  gtk_widget_class_bind_template_child (widget_class, ConfabNewRoomDialog, create_button);
  gtk_widget_class_bind_template_callback (widget_class, create_button_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
confab_new_room_dialog_init (ConfabNewRoomDialog *self)
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
 * confab_new_room_dialog_new:
 * @parent: (nullable): the window the dialog is modal to
 * @api: the signed-in REST client
 *
 * Returns: (transfer none): the dialog, destroyed when it closes
 */
ConfabNewRoomDialog *
confab_new_room_dialog_new (GtkWindow *parent,
                            ConfabApi *api)
{
  ConfabNewRoomDialog *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CONFAB_IS_API (api), NULL);

  self = g_object_new (CONFAB_TYPE_NEW_ROOM_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->api = g_object_ref (api);

  return self;
}

/**
 * confab_new_room_dialog_check_fields:
 * @name: the room name, with spaces at either end removed
 * @topic: the topic, with spaces at either end removed
 * @topic_is_invalid: (out): set to %TRUE when the message is about the topic
 *
 * Checks a room's name and topic against the server's limits, for every
 * form that edits a room.
 *
 * Returns: (transfer full) (nullable): a message for the user, or %NULL
 *   when both are valid
 */
char *
confab_new_room_dialog_check_fields (const char *name,
                                     const char *topic,
                                     gboolean   *topic_is_invalid)
{
  *topic_is_invalid = FALSE;

  if (name[0] == '\0')
    return g_strdup (_("Enter a name for the room."));

  if (g_utf8_strlen (name, -1) > CONFAB_ROOM_NAME_MAX_CHARS)
    return g_strdup_printf (_("Shorten the name to at most %d characters."), CONFAB_ROOM_NAME_MAX_CHARS);

  if (g_utf8_strlen (topic, -1) > CONFAB_ROOM_TOPIC_MAX_CHARS)
    {
      *topic_is_invalid = TRUE;
      return g_strdup_printf (_("Shorten the topic to at most %d characters."), CONFAB_ROOM_TOPIC_MAX_CHARS);
    }

  return NULL;
}
