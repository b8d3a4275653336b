/* confab-delete-room.c: deleting a room after the user confirms it
 *
 * Asks with an AdwMessageDialog that names the room and what is lost, then
 * sends DELETE /api/v1/rooms/{id}. The server deletes the room's chat,
 * notes, meeting history, moderators, bans, invites and invite access with
 * it (foreign keys with ON DELETE CASCADE). It then sends `roomDeleted` to
 * the lobby and to the people in the room, whose clients go back to the
 * lobby.
 */
#define G_LOG_DOMAIN "confab-lobby"

#include "config.h"

#include <glib/gi18n.h>

#include "confab-delete-room.h"

#define RESPONSE_DELETE "delete"

typedef struct
{
  gint64 room_id;
} DeleteData;

static void
delete_room_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  DeleteData *data = g_task_get_task_data (task);

  root = confab_api_request_finish (CONFAB_API (source), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_message ("Deleted room %" G_GINT64_FORMAT, data->room_id);
  g_task_return_boolean (task, TRUE);
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  g_autoptr(GTask) task = user_data;
  DeleteData *data = g_task_get_task_data (task);
  ConfabApi *api = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autofree char *path = NULL;

  /* The task is the handler's only reference: it must not run twice. */
  g_signal_handlers_disconnect_by_func (dialog, confirm_response_cb, user_data);

  if (!g_str_equal (response, RESPONSE_DELETE))
    {
      g_task_return_boolean (task, FALSE);
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT, data->room_id);
  confab_api_request_async (api, "DELETE", path, NULL, cancellable,
                            delete_room_cb, g_steal_pointer (&task));
}

/**
 * confab_delete_room_async:
 * @parent: the window the confirmation is modal to
 * @room_name: the name the confirmation shows
 *
 * Asks the user to confirm, then deletes room @room_id.
 */
void
confab_delete_room_async (GtkWindow           *parent,
                          ConfabApi           *api,
                          gint64               room_id,
                          const char          *room_name,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *heading = NULL;
  DeleteData *data;
  GtkWidget *dialog;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (CONFAB_IS_API (api));
  g_return_if_fail (room_id > 0);
  g_return_if_fail (room_name != NULL);

  task = g_task_new (api, cancellable, callback, user_data);
  g_task_set_source_tag (task, confab_delete_room_async);
  data = g_new0 (DeleteData, 1);
  data->room_id = room_id;
  g_task_set_task_data (task, data, g_free);

  /* Translators: %s is a room name. */
  heading = g_strdup_printf (_("Delete “%s”?"), room_name);
  dialog = adw_message_dialog_new (parent, heading,
                                   _("Its chat, shared notes, meeting history, bans and invites are deleted for good, "
                                     "and invite links to it stop working. People in the room now are sent back to the lobby."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    RESPONSE_DELETE, _("_Delete Room"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), RESPONSE_DELETE,
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_widget_set_name (dialog, "delete-room-confirmation");

  g_signal_connect (dialog, "response", G_CALLBACK (confirm_response_cb), g_steal_pointer (&task));
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * confab_delete_room_finish:
 *
 * Returns: %TRUE when the room was deleted, %FALSE without @error when the
 *   user kept it, %FALSE with @error (the server's message) when the
 *   deletion failed
 */
gboolean
confab_delete_room_finish (ConfabApi     *api,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, api), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
