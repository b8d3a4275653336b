/* confab-lobby-page.c: the live list of rooms
 *
 * The lobby subscribes to the server's lobby feed on every (re)connect and
 * shows the rooms in a GtkListView over a filtered ConfabRoomList, so only
 * the visible rows exist as widgets however many rooms there are. While
 * the WebSocket is down it shows that it is reconnecting, and the snapshot that
 * follows the reconnect replaces whatever changed in between. "My Rooms"
 * narrows the list to the rooms the user owns or moderates.
 */
#define G_LOG_DOMAIN "confab-lobby"

#include "config.h"

#include <glib/gi18n.h>

#include "confab-json.h"
#include "confab-lobby-page.h"
#include "confab-new-room-dialog.h"
#include "confab-protocol.h"
#include "confab-room-row.h"
#include "confab-window.h"

struct _ConfabLobbyPage
{
  AdwBin              parent_instance;

  /* Template widgets */
  GtkRevealer        *reconnect_revealer;
  GtkSpinner         *reconnect_spinner;
  GtkLabel           *reconnect_label;
  GtkButton          *retry_button;
  GtkSearchEntry     *search_entry;
  GtkToggleButton    *my_rooms_button;
  GtkButton          *new_room_button;
  GtkButton          *empty_new_room_button;
  GtkStack           *content_stack;
  GtkSpinner         *loading_spinner;
  GtkListView        *list_view;

  gboolean            connected;
  gboolean            site_admin;
  gboolean            email_invites;
  guint               refilter_source;

  /* Owned */
  ConfabSocket       *socket;
  /* Cancels the REST requests made for the current socket's server. */
  GCancellable       *requests_cancellable;
  /* Rooms a site admin was made moderator of (gint64 ids), from
   * GET /api/v1/me/rooms when "My Rooms" is turned on.
   */
  GHashTable         *granted_rooms;
  ConfabRoomList     *room_list;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filter_model;
};

G_DEFINE_FINAL_TYPE (ConfabLobbyPage, confab_lobby_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONNECTED,
  PROP_SITE_ADMIN,
  PROP_EMAIL_INVITES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define REFILTER_DELAY_MS 250

static const char *lobby_message_types[] = {
  CONFAB_MSG_LOBBY,
  CONFAB_MSG_ROOM_UPDATED,
  CONFAB_MSG_ROOM_DELETED,
  CONFAB_MSG_ROOM_HIDDEN,
  CONFAB_MSG_ROOM_ACCESS,
};

static void
update_content (ConfabLobbyPage *self)
{
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->room_list));
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  gboolean synchronized = confab_room_list_get_synchronized (self->room_list);
  const char *page;

  if (total == 0 && !synchronized)
    page = "loading";
  else if (total == 0)
    page = "empty";
  else if (shown == 0 && gtk_toggle_button_get_active (self->my_rooms_button)
           && gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] == '\0')
    page = "no-own-rooms";
  else if (shown == 0)
    page = "no-results";
  else
    page = "rooms";

  gtk_stack_set_visible_child_name (self->content_stack, page);
  gtk_spinner_set_spinning (self->loading_spinner, g_str_equal (page, "loading"));
}

static void
update_connection (ConfabLobbyPage *self)
{
  ConfabSocketState state = CONFAB_SOCKET_DISCONNECTED;
  const char *problem;
  gboolean reconnecting;

  if (self->socket != NULL)
    state = confab_socket_get_state (self->socket);

  reconnecting = state == CONFAB_SOCKET_RECONNECTING;
  problem = self->socket != NULL ? confab_socket_get_problem (self->socket) : NULL;

  gtk_label_set_text (self->reconnect_label, problem != NULL ? problem : _("Reconnecting…"));
  gtk_revealer_set_reveal_child (self->reconnect_revealer, reconnecting);
  gtk_spinner_set_spinning (self->reconnect_spinner, reconnecting);
  gtk_widget_set_sensitive (GTK_WIDGET (self->new_room_button), state == CONFAB_SOCKET_CONNECTED);
  gtk_widget_set_sensitive (GTK_WIDGET (self->empty_new_room_button), state == CONFAB_SOCKET_CONNECTED);

  if (self->connected != (state == CONFAB_SOCKET_CONNECTED))
    {
      self->connected = state == CONFAB_SOCKET_CONNECTED;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
    }
}

static void
subscribe (ConfabLobbyPage *self)
{
  g_autoptr(JsonObject) message = json_object_new ();

  json_object_set_string_member (message, "type", CONFAB_MSG_SUBSCRIBE_LOBBY);
  confab_socket_send (self->socket, message);
}

/* Whether the user owns or moderates @item. A site admin is a moderator of
 * every room, so the lobby's role cannot tell the rooms they were made
 * moderator of; GET /api/v1/me/rooms can.
 */
static gboolean
is_own_room (ConfabLobbyPage *self,
             ConfabRoomItem  *item)
{
  const char *role = confab_room_item_get_role (item);
  gint64 room_id = confab_room_item_get_id (item);

  if (g_strcmp0 (role, CONFAB_ROLE_OWNER) == 0)
    return TRUE;

  if (self->site_admin)
    return g_hash_table_contains (self->granted_rooms, &room_id);

  return g_strcmp0 (role, CONFAB_ROLE_MODERATOR) == 0;
}

static gboolean
filter_room (gpointer item,
             gpointer user_data)
{
  ConfabLobbyPage *self = CONFAB_LOBBY_PAGE (user_data);

  if (gtk_toggle_button_get_active (self->my_rooms_button) && !is_own_room (self, item))
    return FALSE;

  return confab_room_item_matches (CONFAB_ROOM_ITEM (item),
                                   gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  ConfabLobbyPage *self = CONFAB_LOBBY_PAGE (user_data);
  GtkWidget *row = confab_room_row_new ();

  g_object_bind_property (self, "connected", row, "connected", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "site-admin", row, "site-admin", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "email-invites", row, "email-invites", G_BINDING_SYNC_CREATE);
  gtk_list_item_set_child (list_item, row);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  ConfabRoomRow *row = CONFAB_ROOM_ROW (gtk_list_item_get_child (list_item));

  confab_room_row_set_item (row, gtk_list_item_get_item (list_item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  ConfabRoomRow *row = CONFAB_ROOM_ROW (gtk_list_item_get_child (list_item));

  confab_room_row_set_item (row, NULL);
}

static gboolean
refilter_cb (gpointer user_data)
{
  ConfabLobbyPage *self = CONFAB_LOBBY_PAGE (user_data);

  self->refilter_source = 0;
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_content (self);

  return G_SOURCE_REMOVE;
}

/* A renamed room may match the search no longer, or match it now, and a
 * changed role may move a room in or out of "My Rooms". The filter does
 * not follow item changes, so it runs again, at most every
 * REFILTER_DELAY_MS while updates arrive.
 */
static void
schedule_refilter (ConfabLobbyPage *self)
{
  if (self->refilter_source != 0)
    return;

  if (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] == '\0'
      && !gtk_toggle_button_get_active (self->my_rooms_button))
    return;

  self->refilter_source = g_timeout_add (REFILTER_DELAY_MS, refilter_cb, self);
}

static void
socket_message_cb (ConfabLobbyPage *self,
                   const char      *type,
                   JsonObject      *message,
                   ConfabSocket    *socket)
{
  if (!confab_room_list_apply_message (self->room_list, type, message))
    {
      g_debug ("Dropped an invalid \"%s\" message", type);
      return;
    }

  if (g_str_equal (type, CONFAB_MSG_ROOM_UPDATED) || g_str_equal (type, CONFAB_MSG_ROOM_ACCESS))
    schedule_refilter (self);
}

static void
set_site_admin (ConfabLobbyPage *self,
                gboolean         site_admin)
{
  if (self->site_admin == site_admin)
    return;

  self->site_admin = site_admin;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SITE_ADMIN]);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
set_email_invites (ConfabLobbyPage *self,
                   gboolean         email_invites)
{
  if (self->email_invites == email_invites)
    return;

  self->email_invites = email_invites;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMAIL_INVITES]);
}

static void
socket_connected_cb (ConfabLobbyPage *self,
                     ConfabSocket    *socket)
{
  JsonObject *user = confab_socket_get_hello_user (socket);
  gboolean is_admin = FALSE;
  gint64 user_id = 0;

  /* The snapshot that follows gives every room the user's role; the user
   * gives it to rooms that `roomUpdated` adds later.
   */
  confab_json_get_int (user, "id", &user_id);
  confab_json_get_boolean (user, "is_admin", &is_admin);
  confab_room_list_set_user (self->room_list, user_id, is_admin);
  set_site_admin (self, is_admin);

  subscribe (self);
}

static void
server_info_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  ConfabLobbyPage *self;
  gboolean email_invites = FALSE;

  root = confab_api_request_finish (CONFAB_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CONFAB_LOBBY_PAGE (user_data);

  /* Without the server information the email option stays hidden. */
  if (error != NULL)
    {
      g_message ("Could not read the server information: %s", error->message);
      return;
    }

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    confab_json_get_boolean (json_node_get_object (root), "email_invites", &email_invites);

  set_email_invites (self, email_invites);
}

static void
hosted_rooms_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  ConfabLobbyPage *self;
  JsonArray *rooms = NULL;

  root = confab_api_request_finish (CONFAB_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CONFAB_LOBBY_PAGE (user_data);
  if (error != NULL)
    {
      g_message ("Could not list the rooms the user moderates: %s", error->message);
      return;
    }

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    rooms = confab_json_get_array (json_node_get_object (root), "rooms");

  g_hash_table_remove_all (self->granted_rooms);
  for (guint i = 0; rooms != NULL && i < json_array_get_length (rooms); i++)
    {
      JsonNode *node = json_array_get_element (rooms, i);
      gint64 room_id = 0;

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          confab_json_get_int (json_node_get_object (node), "id", &room_id) &&
          g_strcmp0 (confab_json_get_string (json_node_get_object (node), "role"), CONFAB_ROLE_MODERATOR) == 0)
        g_hash_table_add (self->granted_rooms, g_memdup2 (&room_id, sizeof room_id));
    }

  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_content (self);
}

static void
my_rooms_toggled_cb (ConfabLobbyPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_content (self);

  /* A site admin's grants can change at any time, so each toggle fetches them again. */
  if (gtk_toggle_button_get_active (self->my_rooms_button) && self->site_admin && self->socket != NULL)
    confab_api_request_async (confab_socket_get_api (self->socket), "GET", "/api/v1/me/rooms", NULL,
                              self->requests_cancellable, hosted_rooms_cb, self);
}

static void
socket_state_cb (ConfabLobbyPage *self,
                 GParamSpec      *pspec,
                 ConfabSocket    *socket)
{
  /* Deltas sent while the connection was down are lost; the list is
   * current again with the snapshot after the reconnect.
   */
  if (confab_socket_get_state (socket) != CONFAB_SOCKET_CONNECTED)
    confab_room_list_mark_stale (self->room_list);

  update_connection (self);
}

static void
room_list_synchronized_cb (ConfabLobbyPage *self)
{
  update_content (self);
}

static void
filter_model_items_changed_cb (ConfabLobbyPage *self)
{
  update_content (self);
}

static void
search_changed_cb (ConfabLobbyPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_content (self);
}

/* Escape in the search entry clears the search, as in other GNOME apps. */
static void
search_stopped_cb (ConfabLobbyPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
retry_button_clicked_cb (ConfabLobbyPage *self)
{
  if (self->socket != NULL)
    confab_socket_reconnect_now (self->socket);
}

static void
new_room_created_cb (ConfabLobbyPage     *self,
                     gint64               room_id,
                     const char          *name,
                     ConfabNewRoomDialog *dialog)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *text = NULL;

  if (!CONFAB_IS_WINDOW (root))
    return;

  /* Translators: %s is a room name. */
  text = g_strdup_printf (_("Room “%s” created"), name);
  confab_window_show_toast (CONFAB_WINDOW (root), text);
}

static void
new_room_button_clicked_cb (ConfabLobbyPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  ConfabNewRoomDialog *dialog;

  if (self->socket == NULL)
    return;

  dialog = confab_new_room_dialog_new (GTK_WINDOW (root), confab_socket_get_api (self->socket));
  g_signal_connect_object (dialog, "created", G_CALLBACK (new_room_created_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
list_view_activate_cb (ConfabLobbyPage *self,
                       guint            position)
{
  g_autoptr(ConfabRoomItem) item = g_list_model_get_item (G_LIST_MODEL (self->filter_model), position);

  if (item == NULL || !self->connected || !confab_room_item_get_can_join (item))
    return;

  gtk_widget_activate_action (GTK_WIDGET (self), "win.join-room", "x",
                              confab_room_item_get_id (item));
}

static gboolean
focus_search_cb (GtkWidget *widget,
                 GVariant  *arguments,
                 gpointer   user_data)
{
  ConfabLobbyPage *self = CONFAB_LOBBY_PAGE (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static gboolean
new_room_cb (GtkWidget *widget,
             GVariant  *arguments,
             gpointer   user_data)
{
  ConfabLobbyPage *self = CONFAB_LOBBY_PAGE (widget);

  if (!gtk_widget_is_sensitive (GTK_WIDGET (self->new_room_button)))
    return FALSE;

  new_room_button_clicked_cb (self);
  return TRUE;
}

static void
confab_lobby_page_dispose (GObject *object)
{
  ConfabLobbyPage *self = (ConfabLobbyPage *)object;

  g_clear_handle_id (&self->refilter_source, g_source_remove);
  confab_lobby_page_set_socket (self, NULL);
  g_clear_object (&self->requests_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_LOBBY_PAGE);

  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->room_list);
  g_clear_pointer (&self->granted_rooms, g_hash_table_unref);

  G_OBJECT_CLASS (confab_lobby_page_parent_class)->dispose (object);
}

static void
confab_lobby_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ConfabLobbyPage *self = CONFAB_LOBBY_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;

    case PROP_SITE_ADMIN:
      g_value_set_boolean (value, self->site_admin);
      break;

    case PROP_EMAIL_INVITES:
      g_value_set_boolean (value, self->email_invites);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_lobby_page_class_init (ConfabLobbyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = confab_lobby_page_dispose;
  object_class->get_property = confab_lobby_page_get_property;

  /**
   * ConfabLobbyPage:connected:
   *
   * Whether the WebSocket is connected, which joining a room needs.
   */
  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * ConfabLobbyPage:site-admin:
   *
   * Whether the signed-in user is a site admin, from the server's `hello`.
   */
  properties[PROP_SITE_ADMIN] =
    g_param_spec_boolean ("site-admin", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * ConfabLobbyPage:email-invites:
   *
   * Whether the server sends invites by email (`GET /api/v1/server`).
   */
  properties[PROP_EMAIL_INVITES] =
    g_param_spec_boolean ("email-invites", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/confab/Confab/ui/confab-lobby-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabLobbyPage, reconnect_revealer);
  gtk_widget_class_bind_template_child (widget_class, ConfabLobbyPage, reconnect_spinner);
  gtk_widget_class_bind_template_child (widget_class, ConfabLobbyPage, reconnect_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabLobbyPage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabLobbyPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, ConfabLobbyPage, my_rooms_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabLobbyPage, new_room_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabLobbyPage, empty_new_room_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabLobbyPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, ConfabLobbyPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, ConfabLobbyPage, list_view);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stopped_cb);
  gtk_widget_class_bind_template_callback (widget_class, my_rooms_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, new_room_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_view_activate_cb);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, focus_search_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, new_room_cb, NULL);
}

static void
confab_lobby_page_init (ConfabLobbyPage *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Typing anywhere in the lobby starts a search. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));

  self->room_list = confab_room_list_new ();
  self->granted_rooms = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->filter = gtk_custom_filter_new (filter_room, self, NULL);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->room_list)),
                                                  g_object_ref (GTK_FILTER (self->filter)));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), NULL);

  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model)));
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));

  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (filter_model_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->room_list, "notify::synchronized",
                           G_CALLBACK (room_list_synchronized_cb), self, G_CONNECT_SWAPPED);

  update_content (self);
  update_connection (self);
}

/**
 * confab_lobby_page_set_socket:
 * @socket: (nullable): the window's WebSocket, or %NULL after sign-out
 *
 * Follows the lobby feed of @socket. Without a socket the list is empty.
 */
void
confab_lobby_page_set_socket (ConfabLobbyPage *self,
                              ConfabSocket    *socket)
{
  g_return_if_fail (CONFAB_IS_LOBBY_PAGE (self));
  g_return_if_fail (!socket || CONFAB_IS_SOCKET (socket));

  if (self->socket == socket)
    return;

  if (self->socket != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->socket, self);
      g_clear_object (&self->socket);
    }

  if (self->room_list != NULL)
    confab_room_list_clear (self->room_list);

  g_cancellable_cancel (self->requests_cancellable);
  g_clear_object (&self->requests_cancellable);
  set_email_invites (self, FALSE);
  set_site_admin (self, FALSE);
  g_hash_table_remove_all (self->granted_rooms);

  if (socket != NULL)
    {
      self->socket = g_object_ref (socket);

      self->requests_cancellable = g_cancellable_new ();
      confab_api_request_async (confab_socket_get_api (socket), "GET", "/api/v1/server", NULL,
                                self->requests_cancellable, server_info_cb, self);

      for (guint i = 0; i < G_N_ELEMENTS (lobby_message_types); i++)
        {
          g_autofree char *signal = g_strconcat ("message::", lobby_message_types[i], NULL);

          g_signal_connect_object (socket, signal, G_CALLBACK (socket_message_cb),
                                   self, G_CONNECT_SWAPPED);
        }

      g_signal_connect_object (socket, "connected", G_CALLBACK (socket_connected_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (socket, "notify::state", G_CALLBACK (socket_state_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (socket, "notify::problem", G_CALLBACK (socket_state_cb),
                               self, G_CONNECT_SWAPPED);

      if (confab_socket_get_state (socket) == CONFAB_SOCKET_CONNECTED)
        socket_connected_cb (self, socket);
    }

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_toggle_button_set_active (self->my_rooms_button, FALSE);

  if (self->room_list != NULL)
    {
      update_content (self);
      update_connection (self);
    }
}

/**
 * confab_lobby_page_get_room_list:
 *
 * Returns: (transfer none): every room in the lobby
 */
ConfabRoomList *
confab_lobby_page_get_room_list (ConfabLobbyPage *self)
{
  g_return_val_if_fail (CONFAB_IS_LOBBY_PAGE (self), NULL);

  return self->room_list;
}

/**
 * confab_lobby_page_get_shown_rooms:
 *
 * Returns: (transfer none): the rooms that match the search
 */
GListModel *
confab_lobby_page_get_shown_rooms (ConfabLobbyPage *self)
{
  g_return_val_if_fail (CONFAB_IS_LOBBY_PAGE (self), NULL);

  return G_LIST_MODEL (self->filter_model);
}

gboolean
confab_lobby_page_get_reconnecting (ConfabLobbyPage *self)
{
  g_return_val_if_fail (CONFAB_IS_LOBBY_PAGE (self), FALSE);

  return gtk_revealer_get_reveal_child (self->reconnect_revealer);
}
