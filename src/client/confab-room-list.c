/* confab-room-list.c: the lobby's rooms as a GListModel
 *
 * Rooms are kept sorted by id, which is the order of the server's snapshot,
 * so lookups are binary searches and thousands of rooms stay cheap. A
 * snapshot arrives as `lobby` pages; the list keeps showing the previous
 * state until the last page, then swaps in the new one, reusing the items
 * of rooms that still exist so that rows do not flicker. Deltas that arrive
 * while a snapshot is incomplete are applied after it.
 */
#define G_LOG_DOMAIN "confab-lobby"

#include "config.h"

#include "confab-protocol.h"

#include "confab-json.h"
#include "confab-room-list.h"

struct _ConfabRoomList
{
  GObject    parent_instance;

  /* ConfabRoomItem, sorted by id. */
  GPtrArray *items;

  /* Rooms of an incomplete snapshot, and the messages that arrived in the
   * meantime; NULL when no snapshot is in progress.
   */
  GPtrArray *pending_rooms;
  GPtrArray *pending_deltas;

  gboolean   synchronized;

  /* The signed-in user, which gives rooms that `roomUpdated` brings the
   * role it leaves out.
   */
  gint64     user_id;
  gboolean   user_is_admin;

  /* `roomAccess` messages (gint64 room id → JsonObject) for rooms not
   * listed yet. A moderator grant or an accepted invite to a private room
   * sends it at once, and the room's `roomUpdated` follows in the next
   * lobby round.
   */
  GHashTable *early_access;
};

/* Early access is kept for this many rooms at most. */
#define EARLY_ACCESS_MAX 64

static void confab_room_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ConfabRoomList, confab_room_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, confab_room_list_model_init))

enum {
  PROP_0,
  PROP_SYNCHRONIZED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean apply_delta (ConfabRoomList *self,
                             const char     *type,
                             JsonObject     *message);

/* Returns the index of room_id, or FALSE with *position set to where it
 * would be inserted.
 */
static gboolean
find_position (GPtrArray *items,
               gint64     room_id,
               guint     *position)
{
  guint low = 0;
  guint high = items->len;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      gint64 id = confab_room_item_get_id (g_ptr_array_index (items, middle));

      if (id == room_id)
        {
          *position = middle;
          return TRUE;
        }

      if (id < room_id)
        low = middle + 1;
      else
        high = middle;
    }

  *position = low;
  return FALSE;
}

static gboolean
read_room_id (JsonObject *message,
              const char *member,
              gint64     *room_id)
{
  return confab_json_get_int (message, member, room_id) && *room_id > 0;
}

static int
compare_items_by_id (gconstpointer a,
                     gconstpointer b)
{
  gint64 id_a = confab_room_item_get_id (*(ConfabRoomItem **) a);
  gint64 id_b = confab_room_item_get_id (*(ConfabRoomItem **) b);

  return (id_a > id_b) - (id_a < id_b);
}

static void
set_synchronized (ConfabRoomList *self,
                  gboolean        synchronized)
{
  if (self->synchronized == synchronized)
    return;

  self->synchronized = synchronized;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCHRONIZED]);
}

/* A `roomUpdated` for a room new to the list has no "role". The server
 * makes the owner its owner and every site admin a moderator, so those two
 * roles follow from the room and the user. Any other role arrives later
 * with `roomAccess`.
 */
static void
set_implied_role (ConfabRoomList *self,
                  ConfabRoomItem *item,
                  JsonObject     *room)
{
  if (json_object_has_member (room, "role") || self->user_id <= 0)
    return;

  if (confab_room_item_get_owner_id (item) == self->user_id)
    confab_room_item_set_access (item, CONFAB_ROLE_OWNER, FALSE, 0);
  else if (self->user_is_admin)
    confab_room_item_set_access (item, CONFAB_ROLE_MODERATOR, FALSE, 0);
}

static void
apply_access (ConfabRoomItem *item,
              JsonObject     *message)
{
  gboolean banned = FALSE;
  gint64 until = 0;

  confab_json_get_boolean (message, "banned", &banned);
  confab_json_get_int (message, "bannedUntil", &until);
  confab_room_item_set_access (item, confab_json_get_string (message, "role"), banned, until);
}

static void
keep_early_access (ConfabRoomList *self,
                   gint64          room_id,
                   JsonObject     *message)
{
  if (g_hash_table_size (self->early_access) >= EARLY_ACCESS_MAX)
    g_hash_table_remove_all (self->early_access);

  g_hash_table_replace (self->early_access, g_memdup2 (&room_id, sizeof room_id),
                        json_object_ref (message));
}

static void
upsert_room (ConfabRoomList *self,
             JsonObject     *room)
{
  JsonObject *access;
  g_autoptr(GError) error = NULL;
  g_autoptr(ConfabRoomItem) item = NULL;
  gint64 room_id = 0;
  guint position;

  if (!read_room_id (room, "id", &room_id))
    {
      g_debug ("Dropped a room without a valid \"id\"");
      return;
    }

  if (find_position (self->items, room_id, &position))
    {
      if (!confab_room_item_update_from_json (g_ptr_array_index (self->items, position), room, &error))
        g_debug ("Dropped an update: %s", error->message);
      return;
    }

  item = confab_room_item_new_from_json (room, &error);
  if (item == NULL)
    {
      g_debug ("Dropped a new room: %s", error->message);
      return;
    }

  set_implied_role (self, item, room);

  access = g_hash_table_lookup (self->early_access, &room_id);
  if (access != NULL)
    {
      apply_access (item, access);
      g_hash_table_remove (self->early_access, &room_id);
    }

  g_ptr_array_insert (self->items, position, g_steal_pointer (&item));
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
}

static void
remove_room (ConfabRoomList *self,
             gint64          room_id)
{
  guint position;

  if (!find_position (self->items, room_id, &position))
    {
      g_debug ("Removed room %" G_GINT64_FORMAT " is not listed", room_id);
      return;
    }

  g_debug ("Room %" G_GINT64_FORMAT " removed", room_id);
  g_ptr_array_remove_index (self->items, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

/* Builds the new item array from the snapshot's rooms, reusing the items of
 * rooms that are already listed.
 */
static GPtrArray *
build_snapshot_items (ConfabRoomList *self)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->pending_rooms->len; i++)
    {
      JsonObject *room = g_ptr_array_index (self->pending_rooms, i);
      g_autoptr(GError) error = NULL;
      ConfabRoomItem *item = NULL;
      gint64 room_id = 0;
      guint position;

      if (!read_room_id (room, "id", &room_id))
        continue;

      if (find_position (self->items, room_id, &position))
        {
          item = g_object_ref (g_ptr_array_index (self->items, position));
          if (!confab_room_item_update_from_json (item, room, &error))
            g_debug ("Kept room %" G_GINT64_FORMAT " unchanged: %s", room_id, error->message);
        }
      else
        {
          item = confab_room_item_new_from_json (room, &error);
          if (item == NULL)
            {
              g_debug ("Dropped a snapshot room: %s", error->message);
              continue;
            }
        }

      g_ptr_array_add (items, item);
    }

  /* The server sends pages in id order; sorting again costs little and
   * keeps the binary search right if it ever does not. Duplicates keep the
   * first copy.
   */
  g_ptr_array_sort (items, compare_items_by_id);
  for (guint i = 1; i < items->len;)
    {
      if (confab_room_item_get_id (g_ptr_array_index (items, i))
          == confab_room_item_get_id (g_ptr_array_index (items, i - 1)))
        g_ptr_array_remove_index (items, i);
      else
        i++;
    }

  return g_steal_pointer (&items);
}

static void
finish_snapshot (ConfabRoomList *self)
{
  GPtrArray *new_items = build_snapshot_items (self);
  guint old_length = self->items->len;
  /* The old items go only after items-changed, while views may use them. */
  g_autoptr(GPtrArray) old_items = g_steal_pointer (&self->items);
  g_autoptr(GPtrArray) deltas = g_steal_pointer (&self->pending_deltas);

  self->items = new_items;
  g_clear_pointer (&self->pending_rooms, g_ptr_array_unref);

  g_debug ("Lobby snapshot of %u rooms", self->items->len);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_length, self->items->len);

  for (guint i = 0; i < deltas->len; i++)
    {
      JsonObject *message = g_ptr_array_index (deltas, i);

      apply_delta (self, confab_json_get_string (message, "type"), message);
    }

  set_synchronized (self, TRUE);
}

static gboolean
apply_lobby_page (ConfabRoomList *self,
                  JsonObject     *message)
{
  JsonArray *rooms = confab_json_get_array (message, "rooms");
  gint64 page = -1;
  gboolean last = FALSE;

  if (rooms == NULL)
    {
      g_debug ("Dropped a lobby page without \"rooms\"");
      return FALSE;
    }

  confab_json_get_int (message, "page", &page);
  confab_json_get_boolean (message, "last", &last);

  /* Page 0 starts a snapshot, and drops any incomplete earlier one. */
  if (page == 0 || self->pending_rooms == NULL)
    {
      g_clear_pointer (&self->pending_rooms, g_ptr_array_unref);
      self->pending_rooms = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
      if (self->pending_deltas == NULL)
        self->pending_deltas = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
    }

  for (guint i = 0; i < json_array_get_length (rooms); i++)
    {
      JsonNode *room = json_array_get_element (rooms, i);

      if (JSON_NODE_HOLDS_OBJECT (room))
        g_ptr_array_add (self->pending_rooms, json_object_ref (json_node_get_object (room)));
    }

  if (last)
    finish_snapshot (self);

  return TRUE;
}

static gboolean
apply_delta (ConfabRoomList *self,
             const char     *type,
             JsonObject     *message)
{
  gint64 room_id = 0;

  if (g_str_equal (type, CONFAB_MSG_ROOM_UPDATED))
    {
      JsonObject *room = confab_json_get_object (message, "room");

      if (room == NULL)
        return FALSE;

      upsert_room (self, room);
      return TRUE;
    }

  if (g_str_equal (type, CONFAB_MSG_ROOM_DELETED))
    {
      if (!read_room_id (message, "roomId", &room_id))
        return FALSE;

      remove_room (self, room_id);
      return TRUE;
    }

  /* The room still exists, but no longer for this user. */
  if (g_str_equal (type, CONFAB_MSG_ROOM_HIDDEN))
    {
      if (!read_room_id (message, "roomId", &room_id))
        return FALSE;

      remove_room (self, room_id);
      return TRUE;
    }

  if (g_str_equal (type, CONFAB_MSG_ROOM_ACCESS))
    {
      ConfabRoomItem *item;

      if (!read_room_id (message, "roomId", &room_id))
        return FALSE;

      item = confab_room_list_lookup (self, room_id);
      if (item != NULL)
        apply_access (item, message);
      else
        keep_early_access (self, room_id, message);
      return TRUE;
    }

  return FALSE;
}

static GType
confab_room_list_get_item_type (GListModel *model)
{
  return CONFAB_TYPE_ROOM_ITEM;
}

static guint
confab_room_list_get_n_items (GListModel *model)
{
  return CONFAB_ROOM_LIST (model)->items->len;
}

static gpointer
confab_room_list_get_item (GListModel *model,
                           guint       position)
{
  ConfabRoomList *self = CONFAB_ROOM_LIST (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
confab_room_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = confab_room_list_get_item_type;
  iface->get_n_items = confab_room_list_get_n_items;
  iface->get_item = confab_room_list_get_item;
}

static void
confab_room_list_finalize (GObject *object)
{
  ConfabRoomList *self = (ConfabRoomList *)object;

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->pending_rooms, g_ptr_array_unref);
  g_clear_pointer (&self->pending_deltas, g_ptr_array_unref);
  g_clear_pointer (&self->early_access, g_hash_table_unref);

  G_OBJECT_CLASS (confab_room_list_parent_class)->finalize (object);
}

static void
confab_room_list_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ConfabRoomList *self = CONFAB_ROOM_LIST (object);

  switch (prop_id)
    {
    case PROP_SYNCHRONIZED:
      g_value_set_boolean (value, self->synchronized);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_room_list_class_init (ConfabRoomListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = confab_room_list_finalize;
  object_class->get_property = confab_room_list_get_property;

  /**
   * ConfabRoomList:synchronized:
   *
   * Whether the list reflects a complete snapshot and the deltas since. It
   * turns FALSE with confab_room_list_mark_stale() when the connection
   * drops, and TRUE again with the next complete snapshot.
   */
  properties[PROP_SYNCHRONIZED] =
    g_param_spec_boolean ("synchronized", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
confab_room_list_init (ConfabRoomList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->early_access = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                              (GDestroyNotify) json_object_unref);
}

ConfabRoomList *
confab_room_list_new (void)
{
  return g_object_new (CONFAB_TYPE_ROOM_LIST, NULL);
}

/**
 * confab_room_list_apply_message:
 * @type: the message's "type"
 * @message: a `lobby`, `roomUpdated`, `roomDeleted`, `roomHidden` or
 *   `roomAccess` message
 *
 * Returns: whether @message was a valid lobby message and was applied
 */
gboolean
confab_room_list_apply_message (ConfabRoomList *self,
                                const char     *type,
                                JsonObject     *message)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_LIST (self), FALSE);
  g_return_val_if_fail (type != NULL, FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  if (g_str_equal (type, CONFAB_MSG_LOBBY))
    return apply_lobby_page (self, message);

  if (!g_str_equal (type, CONFAB_MSG_ROOM_UPDATED)
      && !g_str_equal (type, CONFAB_MSG_ROOM_DELETED)
      && !g_str_equal (type, CONFAB_MSG_ROOM_HIDDEN)
      && !g_str_equal (type, CONFAB_MSG_ROOM_ACCESS))
    return FALSE;

  /* Queue deltas behind an incomplete snapshot, whose pages may be older
   * than them.
   */
  if (self->pending_rooms != NULL)
    {
      g_ptr_array_add (self->pending_deltas, json_object_ref (message));
      return TRUE;
    }

  return apply_delta (self, type, message);
}

/**
 * confab_room_list_lookup:
 *
 * Returns: (transfer none) (nullable): the room with @room_id
 */
ConfabRoomItem *
confab_room_list_lookup (ConfabRoomList *self,
                         gint64          room_id)
{
  guint position;

  g_return_val_if_fail (CONFAB_IS_ROOM_LIST (self), NULL);

  if (!find_position (self->items, room_id, &position))
    return NULL;

  return g_ptr_array_index (self->items, position);
}

gboolean
confab_room_list_get_synchronized (ConfabRoomList *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_LIST (self), FALSE);

  return self->synchronized;
}

/**
 * confab_room_list_mark_stale:
 *
 * Records that deltas may have been missed, because the connection
 * dropped. The rooms stay listed until the next snapshot replaces them.
 */
void
confab_room_list_mark_stale (ConfabRoomList *self)
{
  g_return_if_fail (CONFAB_IS_ROOM_LIST (self));

  g_clear_pointer (&self->pending_rooms, g_ptr_array_unref);
  g_clear_pointer (&self->pending_deltas, g_ptr_array_unref);
  set_synchronized (self, FALSE);
}

void
confab_room_list_clear (ConfabRoomList *self)
{
  guint length;

  g_return_if_fail (CONFAB_IS_ROOM_LIST (self));

  confab_room_list_mark_stale (self);

  g_hash_table_remove_all (self->early_access);
  length = self->items->len;
  g_ptr_array_set_size (self->items, 0);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, length, 0);
}

/**
 * confab_room_list_set_user:
 * @user_id: the signed-in user's id, or 0 when unknown
 * @is_admin: whether that user is a site admin
 *
 * Sets the user whose role new rooms from `roomUpdated` get: owner of the
 * rooms they made, moderator of every room for a site admin.
 */
void
confab_room_list_set_user (ConfabRoomList *self,
                           gint64          user_id,
                           gboolean        is_admin)
{
  g_return_if_fail (CONFAB_IS_ROOM_LIST (self));

  self->user_id = MAX (user_id, 0);
  self->user_is_admin = !!is_admin;
}
