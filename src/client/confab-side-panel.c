/* confab-side-panel.c: participants, chat and shared notes beside the meeting.
 *
 * The panel shows a ConfabRoomState and sends the user's own chat messages
 * and notes edits over the window's socket. Host actions and the user's
 * hand are `room.*` and `participant.*` actions of the enclosing
 * ConfabMeetingPage; the panel's buttons and rows only name them.
 *
 * Notes are edited by several people at once. The panel keeps the last
 * notes text the server accepted (the base), sends the user's text a moment
 * after they stop typing with that base's version, and has at most one
 * update in flight. When someone else's change arrives first, or the server
 * rejects the update as a conflict, the user's unsent edit is merged into
 * the server's text (confab_room_state_merge_notes()), so typing is never
 * lost.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "confab-room"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "confab-json.h"
#include "confab-participant-row.h"
#include "confab-protocol.h"
#include "confab-side-panel.h"
#include "confab-time.h"

/* How long typing must pause before the notes are sent. */
#define NOTES_SEND_DELAY_MS 600

struct _ConfabSidePanel
{
  GtkWidget         parent_instance;

  /* template widgets */
  GtkLabel         *title_label;
  GtkLabel         *topic_label;
  AdwViewStack     *view_stack;
  AdwViewStackPage *chat_page;
  GtkToggleButton  *hand_button;
  GtkButton        *mute_everyone_button;
  GtkLabel         *browser_note;
  GtkListBox       *participant_list;
  GtkButton        *earlier_button;
  GtkScrolledWindow *chat_scroller;
  GtkListBox       *chat_list;
  GtkEntry         *chat_entry;
  GtkButton        *send_button;
  GtkLabel         *chat_status;
  GtkLabel         *chat_limit_label;
  GtkTextView      *notes_view;
  GtkLabel         *notes_status;

  /* owned */
  ConfabRoomState  *state;
  GtkSortListModel *sorted_participants;
  ConfabSocket     *socket;
  GCancellable     *cancellable;
  gboolean          history_checked;
  GHashTable       *chat_requests;   /* request id → clientMsgId of a pending message */
  GPtrArray        *orphaned_chats;  /* clientMsgIds sent on a connection that dropped */
  gboolean          in_browser;
  gboolean          chat_status_offline;  /* chat_status shows the "not connected" error */
  guint             unread_count;
  guint             scroll_idle_id;

  /* notes synchronisation */
  gboolean          notes_loaded;
  gint64            notes_base_version;
  char             *notes_base_text;
  char             *notes_in_flight_text;
  char             *notes_request_id;
  guint             notes_timeout_id;
  gboolean          applying_remote_notes;
};

G_DEFINE_FINAL_TYPE (ConfabSidePanel, confab_side_panel, GTK_TYPE_WIDGET)

/* Participants */

static GtkWidget *
create_participant_row (gpointer item,
                        gpointer user_data)
{
  ConfabSidePanel *self = user_data;
  GtkWidget *row = confab_participant_row_new (CONFAB_PARTICIPANT (item));

  g_object_bind_property (self->state, "is-host", row, "show-host-controls", G_BINDING_SYNC_CREATE);
  return row;
}

/* Hosts first, then by name, so that the people who run the meeting are
 * easy to find.
 */
static int
compare_participants (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  ConfabParticipant *first = CONFAB_PARTICIPANT ((gpointer) a);
  ConfabParticipant *second = CONFAB_PARTICIPANT ((gpointer) b);
  gboolean first_host = confab_participant_get_is_host (first);
  gboolean second_host = confab_participant_get_is_host (second);
  g_autofree char *first_key = NULL;
  g_autofree char *second_key = NULL;

  if (first_host != second_host)
    return first_host ? -1 : 1;

  first_key = g_utf8_collate_key (confab_participant_get_name (first), -1);
  second_key = g_utf8_collate_key (confab_participant_get_name (second), -1);
  return strcmp (first_key, second_key);
}

/* The sort model does not watch its items, so a new role or name re-sorts. */
static void
participant_sort_key_changed_cb (ConfabSidePanel *self)
{
  GtkSorter *sorter = gtk_sort_list_model_get_sorter (self->sorted_participants);

  gtk_sorter_changed (sorter, GTK_SORTER_CHANGE_DIFFERENT);
}

static void
participants_changed_cb (ConfabSidePanel *self,
                         guint            position,
                         guint            removed,
                         guint            added,
                         GListModel      *participants)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(ConfabParticipant) participant = g_list_model_get_item (participants, i);

      g_signal_connect_object (participant, "notify::is-host",
                               G_CALLBACK (participant_sort_key_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (participant, "notify::name",
                               G_CALLBACK (participant_sort_key_changed_cb), self, G_CONNECT_SWAPPED);
    }
}

static void
update_host_widgets (ConfabSidePanel *self)
{
  gboolean is_host = self->state != NULL && confab_room_state_get_is_host (self->state);

  gtk_widget_set_visible (GTK_WIDGET (self->mute_everyone_button), is_host);
  gtk_widget_set_visible (GTK_WIDGET (self->browser_note), is_host && self->in_browser);
}

/* The toggle says what pressing it does next. */
static void
hand_button_active_cb (ConfabSidePanel *self)
{
  gboolean raised = gtk_toggle_button_get_active (self->hand_button);

  gtk_button_set_label (GTK_BUTTON (self->hand_button), raised ? _("_Lower Hand") : _("_Raise Hand"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->hand_button),
                               raised ? _("Your hand is raised; press to lower it")
                                      : _("Let the hosts know you want to speak"));
}

static void
update_title (ConfabSidePanel *self)
{
  const char *name = self->state != NULL ? confab_room_state_get_name (self->state) : NULL;
  const char *topic = self->state != NULL ? confab_room_state_get_topic (self->state) : NULL;

  /* Both labels stop after a few lines so that the tabs stay in place.
   * The tooltips contain the full text.
   */
  gtk_label_set_text (self->title_label, name != NULL ? name : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label), name);
  gtk_label_set_text (self->topic_label, topic != NULL ? topic : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->topic_label), topic);
  gtk_widget_set_visible (GTK_WIDGET (self->topic_label), topic != NULL && *topic != '\0');
}

/* Chat */

static gboolean
format_time_cb (GBinding     *binding,
                const GValue *from_value,
                GValue       *to_value,
                gpointer      user_data)
{
  gint64 unix_time = g_value_get_int64 (from_value);
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (time == NULL)
    return FALSE;

  /* Messages from an earlier day carry their date too. */
  if (g_date_time_get_year (time) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (time) == g_date_time_get_day_of_year (now))
    g_value_take_string (to_value, confab_time_format_clock (unix_time));
  else
    g_value_take_string (to_value, confab_time_format_date_time (unix_time));

  return TRUE;
}

static gboolean
chat_link_activated_cb (GtkLabel   *label,
                        const char *uri,
                        gpointer    user_data)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (label));

  /* The markup only makes http and https links, but check anyway: the
   * label would hand any other scheme to the desktop.
   */
  if (g_str_has_prefix (uri, "https://") || g_str_has_prefix (uri, "http://"))
    gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);

  return TRUE;
}

static GtkWidget *
create_chat_row (gpointer item,
                 gpointer user_data)
{
  ConfabChatMessage *message = CONFAB_CHAT_MESSAGE (item);
  g_autofree char *markup = confab_chat_message_format_markup (confab_chat_message_get_text (message));
  GtkWidget *box, *header, *name, *time, *pending, *text;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (box), header);

  name = gtk_label_new (confab_chat_message_get_name (message));
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (name, "heading");
  gtk_box_append (GTK_BOX (header), name);

  time = gtk_label_new (NULL);
  gtk_widget_add_css_class (time, "dim-label");
  gtk_widget_add_css_class (time, "caption");
  g_object_bind_property_full (message, "sent-at", time, "label", G_BINDING_SYNC_CREATE,
                               format_time_cb, NULL, NULL, NULL);
  gtk_box_append (GTK_BOX (header), time);

  pending = gtk_label_new (_("Sending…"));
  gtk_widget_add_css_class (pending, "dim-label");
  gtk_widget_add_css_class (pending, "caption");
  g_object_bind_property (message, "pending", pending, "visible", G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (header), pending);

  /* The markup is escaped text plus links, so a message never renders as markup. */
  text = gtk_label_new (NULL);
  gtk_label_set_markup (GTK_LABEL (text), markup);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  g_signal_connect (text, "activate-link", G_CALLBACK (chat_link_activated_cb), NULL);
  gtk_box_append (GTK_BOX (box), text);

  return box;
}

static gboolean
scroll_chat_to_end_cb (gpointer user_data)
{
  ConfabSidePanel *self = user_data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->chat_scroller);

  self->scroll_idle_id = 0;
  gtk_adjustment_set_value (adjustment,
                            gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
  return G_SOURCE_REMOVE;
}

static void
chat_items_changed_cb (ConfabSidePanel *self,
                       guint            position,
                       guint            removed,
                       guint            added,
                       GListModel      *chat)
{
  /* Scroll to new messages at the end, once their rows have a size; earlier
   * history added at the top leaves the view where it is.
   */
  if (added > 0 && position + added == g_list_model_get_n_items (chat) && self->scroll_idle_id == 0)
    self->scroll_idle_id = g_idle_add (scroll_chat_to_end_cb, self);
}

static gboolean
chat_is_visible (ConfabSidePanel *self)
{
  return gtk_widget_get_mapped (GTK_WIDGET (self)) &&
         g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "chat") == 0;
}

static void
set_unread_count (ConfabSidePanel *self,
                  guint            count)
{
  self->unread_count = count;
  adw_view_stack_page_set_badge_number (self->chat_page, count);
  adw_view_stack_page_set_needs_attention (self->chat_page, count > 0);
}

static void
chat_message_received_cb (ConfabSidePanel   *self,
                          ConfabChatMessage *message,
                          ConfabRoomState   *state)
{
  if (!chat_is_visible (self))
    set_unread_count (self, self->unread_count + 1);
}

static void
visible_page_changed_cb (ConfabSidePanel *self)
{
  if (chat_is_visible (self))
    set_unread_count (self, 0);
}

static void
show_chat_status (ConfabSidePanel *self,
                  const char      *text)
{
  self->chat_status_offline = FALSE;
  gtk_label_set_text (self->chat_status, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->chat_status), text != NULL);
}

static void
send_chat (ConfabSidePanel *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->chat_entry))));
  g_autofree char *client_msg_id = NULL;
  g_autoptr(JsonObject) message = NULL;

  if (self->state == NULL || *text == '\0')
    return;

  /* The limit note under the entry already explains why. */
  if (g_utf8_strlen (text, -1) > CONFAB_CHAT_MAX_CHARS)
    {
      gtk_widget_error_bell (GTK_WIDGET (self->chat_entry));
      return;
    }

  /* The socket drops messages while it reconnects; keep the text in the
   * entry so that the user can send it again.
   */
  if (confab_socket_get_state (self->socket) != CONFAB_SOCKET_CONNECTED)
    {
      gtk_widget_error_bell (GTK_WIDGET (self->chat_entry));
      show_chat_status (self, _("Not connected to the server. Send the message again once the connection is back."));
      self->chat_status_offline = TRUE;
      return;
    }

  show_chat_status (self, NULL);
  client_msg_id = g_uuid_string_random ();
  confab_room_state_add_pending_chat (self->state, text, client_msg_id);

  message = json_object_new ();
  json_object_set_string_member (message, "type", CONFAB_MSG_CHAT);
  json_object_set_int_member (message, "roomId", confab_room_state_get_room_id (self->state));
  json_object_set_string_member (message, "text", text);
  json_object_set_string_member (message, "clientMsgId", client_msg_id);
  g_hash_table_insert (self->chat_requests,
                       confab_socket_send_request (self->socket, message),
                       g_steal_pointer (&client_msg_id));

  gtk_editable_set_text (GTK_EDITABLE (self->chat_entry), "");
}

/* Counts the message against the server's limit from 100 characters
 * before it, and over the limit shows a warning and disables sending, so that a
 * long paste is never cut without notice.
 */
static void
chat_entry_changed_cb (ConfabSidePanel *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->chat_entry))));
  glong length = g_utf8_strlen (text, -1);
  gboolean over = length > CONFAB_CHAT_MAX_CHARS;
  g_autofree char *note = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->send_button), !over);
  gtk_widget_set_visible (GTK_WIDGET (self->chat_limit_label), length > CONFAB_CHAT_MAX_CHARS - 100);

  if (over)
    /* Translators: the message's length and the maximum, in characters. */
    note = g_strdup_printf (_("%ld of %d characters. Shorten the message to send it."),
                            length, CONFAB_CHAT_MAX_CHARS);
  else
    /* Translators: the message's length and the maximum, in characters. */
    note = g_strdup_printf (_("%ld of %d characters"), length, CONFAB_CHAT_MAX_CHARS);

  gtk_label_set_text (self->chat_limit_label, note);

  if (over)
    gtk_widget_add_css_class (GTK_WIDGET (self->chat_limit_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->chat_limit_label), "error");
}

static void
chat_entry_activate_cb (ConfabSidePanel *self)
{
  send_chat (self);
}

static void
send_button_clicked_cb (ConfabSidePanel *self)
{
  send_chat (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->chat_entry));
}

static gboolean
client_msg_id_equal (gpointer key,
                     gpointer value,
                     gpointer user_data)
{
  return g_strcmp0 (value, user_data) == 0;
}

static void
socket_chat_ack_cb (ConfabSidePanel *self,
                    const char      *type,
                    JsonObject      *message,
                    ConfabSocket    *socket)
{
  const char *request_id = confab_json_get_string (message, "requestId");
  const char *client_msg_id = confab_json_get_string (message, "clientMsgId");

  if (request_id != NULL && g_hash_table_remove (self->chat_requests, request_id))
    return;

  if (client_msg_id != NULL)
    g_hash_table_foreach_remove (self->chat_requests, client_msg_id_equal, (gpointer) client_msg_id);
}

/* The server rejected a chat message: take it out of the list and give its
 * text back, so that the user can send it again.
 */
static void
handle_chat_error (ConfabSidePanel *self,
                   const char      *request_id,
                   JsonObject      *message)
{
  g_autofree char *client_msg_id = NULL;
  g_autofree char *text = NULL;
  g_autofree char *status = NULL;
  const char *reason = confab_json_get_string (message, "message");

  if (!g_hash_table_steal_extended (self->chat_requests, request_id, NULL, (gpointer *) &client_msg_id))
    return;

  text = confab_room_state_remove_pending_chat (self->state, client_msg_id);
  if (text != NULL && *gtk_editable_get_text (GTK_EDITABLE (self->chat_entry)) == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->chat_entry), text);

  status = g_strdup_printf (_("The message was not sent: %s"),
                            reason != NULL ? reason : _("the server rejected it."));
  show_chat_status (self, status);
}

static void
earlier_chat_loaded_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  ConfabSidePanel *self;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *messages = NULL;
  int added;

  root = confab_api_request_finish (CONFAB_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;
  gtk_widget_set_sensitive (GTK_WIDGET (self->earlier_button), TRUE);

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    messages = confab_json_get_array (json_node_get_object (root), "messages");

  if (error == NULL && messages == NULL)
    g_set_error_literal (&error, CONFAB_API_ERROR, CONFAB_API_ERROR_SERVER,
                         _("The server’s reply has no messages."));

  if (error == NULL)
    {
      added = confab_room_state_add_earlier_chat (self->state, messages, &error);

      /* A short page is the start of the room's chat. */
      if (added >= 0 && json_array_get_length (messages) < CONFAB_CHAT_HISTORY_ON_JOIN)
        gtk_widget_set_visible (GTK_WIDGET (self->earlier_button), FALSE);
    }

  if (error != NULL)
    {
      g_autofree char *status = g_strdup_printf (_("Could not load earlier messages: %s"), error->message);

      g_message ("Could not load earlier chat of room %" G_GINT64_FORMAT ": %s",
                 confab_room_state_get_room_id (self->state), error->message);
      show_chat_status (self, status);
    }
}

static void
earlier_button_clicked_cb (ConfabSidePanel *self)
{
  gint64 oldest = confab_room_state_get_oldest_chat_id (self->state);
  g_autofree char *path = NULL;

  if (oldest == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->earlier_button), FALSE);
      return;
    }

  path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/messages?before=%" G_GINT64_FORMAT "&limit=%d",
                          confab_room_state_get_room_id (self->state), oldest, CONFAB_CHAT_HISTORY_ON_JOIN);
  gtk_widget_set_sensitive (GTK_WIDGET (self->earlier_button), FALSE);
  confab_api_request_async (confab_socket_get_api (self->socket), "GET", path, NULL,
                            self->cancellable, earlier_chat_loaded_cb, self);
}

/* A new connection gets no replies to requests sent on the old one, so
 * each pending message waits for the rejoin's history instead.
 */
static void
socket_connected_cb (ConfabSidePanel *self,
                     ConfabSocket    *socket)
{
  GHashTableIter iter;
  gpointer client_msg_id;

  g_hash_table_iter_init (&iter, self->chat_requests);
  while (g_hash_table_iter_next (&iter, NULL, &client_msg_id))
    g_ptr_array_add (self->orphaned_chats, g_strdup (client_msg_id));

  g_hash_table_remove_all (self->chat_requests);

  /* The "not connected" error is stale once the connection is back. */
  if (self->chat_status_offline)
    show_chat_status (self, NULL);
}

/* Messages the rejoin's history does not contain never reached the server:
 * they leave the list and their text goes back into the entry.
 */
static void
snapshot_applied_cb (ConfabSidePanel *self,
                     ConfabRoomState *state)
{
  g_autoptr(GString) lost = g_string_new (NULL);

  for (guint i = 0; i < self->orphaned_chats->len; i++)
    {
      g_autofree char *text = confab_room_state_remove_pending_chat (state, g_ptr_array_index (self->orphaned_chats, i));

      if (text == NULL)
        continue;

      if (lost->len > 0)
        g_string_append_c (lost, '\n');
      g_string_append (lost, text);
    }

  g_ptr_array_set_size (self->orphaned_chats, 0);

  /* The snapshot has the last messages of the room; a full page of them
   * suggests that there are earlier ones.
   */
  if (!self->history_checked)
    {
      self->history_checked = TRUE;
      gtk_widget_set_visible (GTK_WIDGET (self->earlier_button),
                              g_list_model_get_n_items (confab_room_state_get_chat (state)) >= CONFAB_CHAT_HISTORY_ON_JOIN);
    }

  if (lost->len == 0)
    return;

  if (*gtk_editable_get_text (GTK_EDITABLE (self->chat_entry)) == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->chat_entry), lost->str);
  show_chat_status (self, _("The connection dropped before your message was sent. Send it again."));
}

/* Notes */

static char *
get_notes_text (ConfabSidePanel *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
}

/* Replaces the editor's text with text from the server, keeping the cursor
 * at the same character offset where possible.
 */
static void
set_notes_text (ConfabSidePanel *self,
                const char      *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
  GtkTextIter cursor;
  int offset;

  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  offset = gtk_text_iter_get_offset (&cursor);

  self->applying_remote_notes = TRUE;
  gtk_text_buffer_set_text (buffer, text, -1);
  self->applying_remote_notes = FALSE;

  gtk_text_buffer_get_iter_at_offset (buffer, &cursor, offset);
  gtk_text_buffer_place_cursor (buffer, &cursor);
}

static void
set_notes_base (ConfabSidePanel *self,
                gint64           version,
                const char      *text)
{
  self->notes_base_version = version;
  g_free (self->notes_base_text);
  self->notes_base_text = g_strdup (text);
}

static void
clear_notes_in_flight (ConfabSidePanel *self)
{
  g_clear_pointer (&self->notes_in_flight_text, g_free);
  g_clear_pointer (&self->notes_request_id, g_free);
}

static void schedule_notes_send (ConfabSidePanel *self);

static void
send_notes (ConfabSidePanel *self)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) message = NULL;

  if (self->state == NULL || !self->notes_loaded || self->notes_in_flight_text != NULL)
    return;

  text = get_notes_text (self);
  if (g_strcmp0 (text, self->notes_base_text) == 0)
    return;

  if (strlen (text) > CONFAB_NOTES_MAX_BYTES)
    {
      gtk_label_set_text (self->notes_status,
                          _("The notes are over 64 KiB and cannot be saved. Shorten them to save your changes."));
      return;
    }

  if (confab_socket_get_state (self->socket) != CONFAB_SOCKET_CONNECTED)
    {
      gtk_label_set_text (self->notes_status,
                          _("Not connected to the server. Your notes are kept here and saved when the connection is back."));
      return;
    }

  message = json_object_new ();
  json_object_set_string_member (message, "type", CONFAB_MSG_NOTES_UPDATE);
  json_object_set_int_member (message, "roomId", confab_room_state_get_room_id (self->state));
  json_object_set_int_member (message, "baseVersion", self->notes_base_version);
  json_object_set_string_member (message, "text", text);

  self->notes_request_id = confab_socket_send_request (self->socket, message);
  self->notes_in_flight_text = g_steal_pointer (&text);
  gtk_label_set_text (self->notes_status, _("Saving…"));
}

static gboolean
notes_timeout_cb (gpointer user_data)
{
  ConfabSidePanel *self = user_data;

  self->notes_timeout_id = 0;
  send_notes (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_notes_send (ConfabSidePanel *self)
{
  g_clear_handle_id (&self->notes_timeout_id, g_source_remove);
  self->notes_timeout_id = g_timeout_add (NOTES_SEND_DELAY_MS, notes_timeout_cb, self);
}

static void
notes_buffer_changed_cb (ConfabSidePanel *self)
{
  if (self->applying_remote_notes || self->state == NULL)
    return;

  gtk_label_set_text (self->notes_status, _("Not saved yet"));
  schedule_notes_send (self);
}

/* Takes the server's newer notes as the base and merges the user's unsent
 * edit into them.
 */
static void
rebase_notes (ConfabSidePanel *self,
              gint64           version,
              const char      *text)
{
  g_autofree char *old_base = g_strdup (self->notes_base_text);
  g_autofree char *local = get_notes_text (self);
  g_autofree char *merged = NULL;

  set_notes_base (self, version, text);

  if (g_strcmp0 (local, old_base) == 0)
    {
      set_notes_text (self, text);
      gtk_label_set_text (self->notes_status, "");
      return;
    }

  merged = confab_room_state_merge_notes (old_base, local, text);
  if (g_strcmp0 (merged, local) != 0)
    set_notes_text (self, merged);

  gtk_label_set_text (self->notes_status,
                      _("Someone else changed the notes while you typed. Your edit was merged into their version."));
  schedule_notes_send (self);
}

static void
notes_changed_cb (ConfabSidePanel *self,
                  gint64           version,
                  const char      *text,
                  gint64           updated_by,
                  ConfabRoomState *state)
{
  if (!self->notes_loaded)
    {
      self->notes_loaded = TRUE;
      set_notes_base (self, version, text);
      set_notes_text (self, text);
      return;
    }

  /* The server accepted the update in flight. */
  if (self->notes_in_flight_text != NULL &&
      updated_by == confab_room_state_get_self_user_id (state) &&
      g_strcmp0 (text, self->notes_in_flight_text) == 0)
    {
      g_autofree char *local = get_notes_text (self);

      set_notes_base (self, version, text);
      clear_notes_in_flight (self);

      if (g_strcmp0 (local, text) == 0)
        gtk_label_set_text (self->notes_status, _("Saved"));
      else
        schedule_notes_send (self);
      return;
    }

  /* A rejoin repeats the version already shown. An update sent before the
   * connection dropped got no reply, so whatever the editor has that the
   * server lacks is sent again.
   */
  if (version <= self->notes_base_version)
    {
      g_autofree char *local = get_notes_text (self);

      clear_notes_in_flight (self);
      if (g_strcmp0 (local, self->notes_base_text) != 0)
        schedule_notes_send (self);
      return;
    }

  rebase_notes (self, version, text);
}

static void
socket_error_cb (ConfabSidePanel *self,
                 const char      *type,
                 JsonObject      *message,
                 ConfabSocket    *socket)
{
  const char *request_id = confab_json_get_string (message, "requestId");
  const char *code = confab_json_get_string (message, "code");
  g_autofree char *status = NULL;
  const char *text;
  gint64 version;

  if (request_id != NULL && g_hash_table_contains (self->chat_requests, request_id))
    {
      handle_chat_error (self, request_id, message);
      return;
    }

  if (self->notes_request_id == NULL || g_strcmp0 (request_id, self->notes_request_id) != 0)
    return;

  clear_notes_in_flight (self);

  if (g_strcmp0 (code, CONFAB_ERR_CONFLICT) == 0)
    {
      text = confab_json_get_string (message, "text");
      if (confab_json_get_int (message, "version", &version) && text != NULL &&
          version > self->notes_base_version)
        rebase_notes (self, version, text);
      else
        schedule_notes_send (self);
      return;
    }

  /* Rate limits and other rejections: show the server's message, and keep
   * the text for the next edit or retry.
   */
  text = confab_json_get_string (message, "message");
  if (text == NULL)
    text = code != NULL ? code : _("unknown error");

  status = g_strdup_printf (_("The notes were not saved: %s"), text);
  gtk_label_set_text (self->notes_status, status);

  if (g_strcmp0 (code, CONFAB_ERR_RATE_LIMITED) == 0)
    schedule_notes_send (self);
}

static void
reset_notes (ConfabSidePanel *self)
{
  g_clear_handle_id (&self->notes_timeout_id, g_source_remove);
  clear_notes_in_flight (self);
  g_clear_pointer (&self->notes_base_text, g_free);
  self->notes_base_version = 0;
  self->notes_loaded = FALSE;
  set_notes_text (self, "");
  gtk_label_set_text (self->notes_status, "");
}

/* Room */

static void
disconnect_room (ConfabSidePanel *self)
{
  if (self->state != NULL)
    {
      GListModel *participants = confab_room_state_get_participants (self->state);

      g_signal_handlers_disconnect_by_data (self->state, self);
      g_signal_handlers_disconnect_by_data (confab_room_state_get_chat (self->state), self);
      g_signal_handlers_disconnect_by_data (participants, self);

      for (guint i = 0; i < g_list_model_get_n_items (participants); i++)
        {
          g_autoptr(ConfabParticipant) participant = g_list_model_get_item (participants, i);

          g_signal_handlers_disconnect_by_data (participant, self);
        }
    }

  if (self->socket != NULL)
    g_signal_handlers_disconnect_by_data (self->socket, self);

  gtk_list_box_bind_model (self->participant_list, NULL, NULL, NULL, NULL);
  gtk_list_box_bind_model (self->chat_list, NULL, NULL, NULL, NULL);
  if (self->chat_requests != NULL)
    g_hash_table_remove_all (self->chat_requests);
  if (self->orphaned_chats != NULL)
    g_ptr_array_set_size (self->orphaned_chats, 0);
  g_clear_handle_id (&self->scroll_idle_id, g_source_remove);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->history_checked = FALSE;
  if (self->earlier_button != NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->earlier_button), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->earlier_button), TRUE);
    }

  g_clear_object (&self->sorted_participants);
  g_clear_object (&self->state);
  g_clear_object (&self->socket);
}

static void
confab_side_panel_dispose (GObject *object)
{
  ConfabSidePanel *self = CONFAB_SIDE_PANEL (object);

  disconnect_room (self);
  g_clear_handle_id (&self->notes_timeout_id, g_source_remove);
  clear_notes_in_flight (self);
  g_clear_pointer (&self->notes_base_text, g_free);
  g_clear_pointer (&self->chat_requests, g_hash_table_unref);
  g_clear_pointer (&self->orphaned_chats, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_SIDE_PANEL);

  /* The template's top box has no id, so dispose_template leaves it. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (confab_side_panel_parent_class)->dispose (object);
}

static void
confab_side_panel_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (confab_side_panel_parent_class)->map (widget);

  visible_page_changed_cb (CONFAB_SIDE_PANEL (widget));
}

static void
confab_side_panel_class_init (ConfabSidePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = confab_side_panel_dispose;
  widget_class->map = confab_side_panel_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/confab/Confab/room/confab-side-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabSidePanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabSidePanel, topic_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabSidePanel, view_stack);
  gtk_widget_class_bind_template_child (widget_class, ConfabSidePanel, chat_page);
  gtk_widget_class_bind_template_child (widget_class, ConfabSidePanel, hand_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabSidePanel, mute_everyone_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabSidePanel, browser_note);
  gtk_widget_class_bind_template_child (widget_class, ConfabSidePanel, participant_list);
  gtk_widget_class_bind_template_child (widget_class, ConfabSidePanel, earlier_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabSidePanel, chat_scroller);
  gtk_widget_class_bind_template_child (widget_class, ConfabSidePanel, chat_list);
  gtk_widget_class_bind_template_child (widget_class, ConfabSidePanel, chat_entry);
  gtk_widget_class_bind_template_child (widget_class, ConfabSidePanel, send_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabSidePanel, chat_limit_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabSidePanel, chat_status);
  gtk_widget_class_bind_template_child (widget_class, ConfabSidePanel, notes_view);
  gtk_widget_class_bind_template_child (widget_class, ConfabSidePanel, notes_status);
  gtk_widget_class_bind_template_callback (widget_class, chat_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, chat_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, send_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, earlier_button_clicked_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
confab_side_panel_init (ConfabSidePanel *self)
{
  GtkWidget *chat_placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));

  chat_placeholder = gtk_label_new (_("No messages yet. Messages sent here are kept with the room."));
  gtk_label_set_wrap (GTK_LABEL (chat_placeholder), TRUE);
  gtk_widget_set_margin_top (chat_placeholder, 24);
  gtk_widget_set_margin_start (chat_placeholder, 12);
  gtk_widget_set_margin_end (chat_placeholder, 12);
  gtk_widget_add_css_class (chat_placeholder, "dim-label");
  gtk_list_box_set_placeholder (self->chat_list, chat_placeholder);

  self->chat_requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->orphaned_chats = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect_swapped (self->hand_button, "notify::active",
                            G_CALLBACK (hand_button_active_cb), self);
  g_signal_connect_swapped (self->view_stack, "notify::visible-child-name",
                            G_CALLBACK (visible_page_changed_cb), self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->notes_view), "changed",
                            G_CALLBACK (notes_buffer_changed_cb), self);
}

GtkWidget *
confab_side_panel_new (void)
{
  return g_object_new (CONFAB_TYPE_SIDE_PANEL, NULL);
}

/**
 * confab_side_panel_set_room:
 * @state: (nullable): the room to show, or %NULL to clear the panel
 * @socket: (nullable): the socket for chat and notes; %NULL with @state
 *
 * Shows a room. The panel takes references to both until the next call.
 */
void
confab_side_panel_set_room (ConfabSidePanel *self,
                            ConfabRoomState *state,
                            ConfabSocket    *socket)
{
  g_return_if_fail (CONFAB_IS_SIDE_PANEL (self));
  g_return_if_fail (state == NULL || CONFAB_IS_ROOM_STATE (state));
  g_return_if_fail ((state == NULL) == (socket == NULL));

  disconnect_room (self);
  reset_notes (self);
  set_unread_count (self, 0);
  show_chat_status (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->chat_entry), "");

  if (state != NULL)
    {
      GListModel *participants = confab_room_state_get_participants (state);
      GtkSorter *sorter = GTK_SORTER (gtk_custom_sorter_new (compare_participants, NULL, NULL));

      self->state = g_object_ref (state);
      self->socket = g_object_ref (socket);
      self->cancellable = g_cancellable_new ();

      self->sorted_participants = gtk_sort_list_model_new (g_object_ref (participants), sorter);
      g_signal_connect_swapped (participants, "items-changed", G_CALLBACK (participants_changed_cb), self);
      participants_changed_cb (self, 0, 0, g_list_model_get_n_items (participants), participants);

      gtk_list_box_bind_model (self->participant_list, G_LIST_MODEL (self->sorted_participants),
                               create_participant_row, self, NULL);
      gtk_list_box_bind_model (self->chat_list, confab_room_state_get_chat (state),
                               create_chat_row, self, NULL);

      g_signal_connect_swapped (state, "notify::is-host", G_CALLBACK (update_host_widgets), self);
      g_signal_connect_swapped (state, "notify::name", G_CALLBACK (update_title), self);
      g_signal_connect_swapped (state, "notify::topic", G_CALLBACK (update_title), self);
      g_signal_connect_swapped (state, "chat-message-received", G_CALLBACK (chat_message_received_cb), self);
      g_signal_connect_swapped (state, "notes-changed", G_CALLBACK (notes_changed_cb), self);
      g_signal_connect_swapped (confab_room_state_get_chat (state), "items-changed",
                                G_CALLBACK (chat_items_changed_cb), self);
      g_signal_connect_swapped (socket, "message::error", G_CALLBACK (socket_error_cb), self);
      g_signal_connect_swapped (socket, "message::chatAck", G_CALLBACK (socket_chat_ack_cb), self);
      g_signal_connect_swapped (socket, "connected", G_CALLBACK (socket_connected_cb), self);
      g_signal_connect_swapped (state, "snapshot-applied", G_CALLBACK (snapshot_applied_cb), self);

      /* A state that already has its snapshot shows its notes now. */
      if (confab_room_state_get_joined (state))
        {
          notes_changed_cb (self, confab_room_state_get_notes_version (state),
                            confab_room_state_get_notes_text (state),
                            confab_room_state_get_notes_updated_by (state), state);
          snapshot_applied_cb (self, state);
        }
    }

  update_title (self);
  update_host_widgets (self);
}

/* Sets whether the video runs in the browser, where hosts must remove people
 * from the call with the meeting's own controls.
 */
void
confab_side_panel_set_meeting_in_browser (ConfabSidePanel *self,
                                          gboolean         in_browser)
{
  g_return_if_fail (CONFAB_IS_SIDE_PANEL (self));

  self->in_browser = !!in_browser;
  update_host_widgets (self);
}

guint
confab_side_panel_get_unread_count (ConfabSidePanel *self)
{
  g_return_val_if_fail (CONFAB_IS_SIDE_PANEL (self), 0);

  return self->unread_count;
}

/* Shows the "people", "chat" or "notes" page. */
void
confab_side_panel_show_page (ConfabSidePanel *self,
                             const char      *name)
{
  g_return_if_fail (CONFAB_IS_SIDE_PANEL (self));
  g_return_if_fail (name != NULL);

  adw_view_stack_set_visible_child_name (self->view_stack, name);
}
