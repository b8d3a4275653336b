/* confab-room-item.c: one room of the lobby
 *
 * A room as the lobby shows it, built from the server's `lobby` pages,
 * `roomUpdated` and `roomAccess` messages or a REST room object. Every
 * field comes from the network, so each one is type-checked before use.
 */
#define G_LOG_DOMAIN "confab-lobby"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>

#include "confab-protocol.h"

#include "confab-json.h"
#include "confab-room-item.h"

struct _ConfabRoomItem
{
  GObject  parent_instance;

  gint64   id;
  char    *name;
  char    *topic;
  char    *owner_name;
  gint64   owner_id;
  guint    capacity;
  guint    participants;
  char    *role;
  gboolean banned;
  gint64   banned_until;
  gboolean is_private;
};

G_DEFINE_FINAL_TYPE (ConfabRoomItem, confab_room_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_TOPIC,
  PROP_OWNER_NAME,
  PROP_OWNER_ID,
  PROP_CAPACITY,
  PROP_PARTICIPANTS,
  PROP_ROLE,
  PROP_BANNED,
  PROP_BANNED_UNTIL,
  PROP_PRIVATE,
  PROP_FULL,
  PROP_CAN_JOIN,
  PROP_COUNT_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_known_role (const char *role)
{
  return g_strcmp0 (role, CONFAB_ROLE_OWNER) == 0
         || g_strcmp0 (role, CONFAB_ROLE_MODERATOR) == 0
         || g_strcmp0 (role, CONFAB_ROLE_MEMBER) == 0;
}

/* Sets *field to value and notifies, only when they differ. */
static gboolean
update_string (ConfabRoomItem  *self,
               char           **field,
               const char      *value,
               guint            prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);

  return TRUE;
}

static void
notify_derived (ConfabRoomItem *self,
                gboolean        counts_changed,
                gboolean        access_changed)
{
  if (counts_changed)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FULL]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT_LABEL]);
    }

  if (counts_changed || access_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_JOIN]);
}

static void
confab_room_item_finalize (GObject *object)
{
  ConfabRoomItem *self = (ConfabRoomItem *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->topic, g_free);
  g_clear_pointer (&self->owner_name, g_free);
  g_clear_pointer (&self->role, g_free);

  G_OBJECT_CLASS (confab_room_item_parent_class)->finalize (object);
}

static void
confab_room_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ConfabRoomItem *self = CONFAB_ROOM_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_TOPIC:
      g_value_set_string (value, self->topic);
      break;

    case PROP_OWNER_NAME:
      g_value_set_string (value, self->owner_name);
      break;

    case PROP_OWNER_ID:
      g_value_set_int64 (value, self->owner_id);
      break;

    case PROP_CAPACITY:
      g_value_set_uint (value, self->capacity);
      break;

    case PROP_PARTICIPANTS:
      g_value_set_uint (value, self->participants);
      break;

    case PROP_ROLE:
      g_value_set_string (value, self->role);
      break;

    case PROP_BANNED:
      g_value_set_boolean (value, self->banned);
      break;

    case PROP_BANNED_UNTIL:
      g_value_set_int64 (value, self->banned_until);
      break;

    case PROP_PRIVATE:
      g_value_set_boolean (value, self->is_private);
      break;

    case PROP_FULL:
      g_value_set_boolean (value, confab_room_item_get_full (self));
      break;

    case PROP_CAN_JOIN:
      g_value_set_boolean (value, confab_room_item_get_can_join (self));
      break;

    case PROP_COUNT_LABEL:
      g_value_take_string (value, confab_room_item_dup_count_label (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_room_item_class_init (ConfabRoomItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = confab_room_item_finalize;
  object_class->get_property = confab_room_item_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_TOPIC] = g_param_spec_string ("topic", NULL, NULL, NULL, flags);
  properties[PROP_OWNER_NAME] = g_param_spec_string ("owner-name", NULL, NULL, NULL, flags);
  properties[PROP_OWNER_ID] = g_param_spec_int64 ("owner-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_CAPACITY] = g_param_spec_uint ("capacity", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_PARTICIPANTS] = g_param_spec_uint ("participants", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_ROLE] = g_param_spec_string ("role", NULL, NULL, NULL, flags);
  properties[PROP_BANNED] = g_param_spec_boolean ("banned", NULL, NULL, FALSE, flags);
  properties[PROP_BANNED_UNTIL] = g_param_spec_int64 ("banned-until", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_PRIVATE] = g_param_spec_boolean ("private", NULL, NULL, FALSE, flags);
  properties[PROP_FULL] = g_param_spec_boolean ("full", NULL, NULL, FALSE, flags);
  properties[PROP_CAN_JOIN] = g_param_spec_boolean ("can-join", NULL, NULL, FALSE, flags);
  properties[PROP_COUNT_LABEL] = g_param_spec_string ("count-label", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
confab_room_item_init (ConfabRoomItem *self)
{
  self->name = g_strdup ("");
  self->topic = g_strdup ("");
  self->owner_name = g_strdup ("");
  self->role = g_strdup (CONFAB_ROLE_MEMBER);
}

/**
 * confab_room_item_new_from_json:
 * @room: a room object from a `lobby` page, `roomUpdated` or the REST API
 *
 * Returns: (transfer full) (nullable): the room, or %NULL with @error set
 *   when @room lacks a valid "id" or "name"
 */
ConfabRoomItem *
confab_room_item_new_from_json (JsonObject  *room,
                                GError     **error)
{
  g_autoptr(ConfabRoomItem) self = NULL;
  gint64 id = 0;

  g_return_val_if_fail (room != NULL, NULL);

  if (!confab_json_get_int (room, "id", &id) || id <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "Room object without a positive integer \"id\"");
      return NULL;
    }

  self = g_object_new (CONFAB_TYPE_ROOM_ITEM, NULL);
  self->id = id;

  if (!confab_room_item_update_from_json (self, room, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * confab_room_item_update_from_json:
 * @room: a room object with the same "id"
 *
 * Updates the fields that @room contains and keeps the others, because
 * `roomUpdated` carries no per-user fields such as "role" and "banned".
 *
 * Returns: %FALSE with @error set when @room is not valid; the item is then
 *   unchanged
 */
gboolean
confab_room_item_update_from_json (ConfabRoomItem  *self,
                                   JsonObject      *room,
                                   GError         **error)
{
  const char *name = confab_json_get_string (room, "name");
  const char *topic = confab_json_get_string (room, "topic");
  const char *role = confab_json_get_string (room, "role");
  JsonObject *owner = confab_json_get_object (room, "owner");
  const char *owner_name = confab_json_get_string (owner, "name");
  gboolean has_banned;
  gboolean banned = FALSE;
  gboolean has_private;
  gboolean is_private = FALSE;
  gint64 owner_id = 0;
  gint64 id = 0;
  gint64 capacity = -1;
  gint64 participants = -1;
  gint64 banned_until = 0;
  gboolean has_banned_until;
  gboolean counts_changed = FALSE;
  gboolean access_changed = FALSE;

  g_return_val_if_fail (CONFAB_IS_ROOM_ITEM (self), FALSE);
  g_return_val_if_fail (room != NULL, FALSE);

  /* Step 1: check everything before changing anything. */
  if (!confab_json_get_int (room, "id", &id) || id != self->id)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Room object for room %" G_GINT64_FORMAT " has another or no \"id\"", self->id);
      return FALSE;
    }

  if (name == NULL || name[0] == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Room %" G_GINT64_FORMAT " has no \"name\"", id);
      return FALSE;
    }

  if ((json_object_has_member (room, "capacity") && (!confab_json_get_int (room, "capacity", &capacity) || capacity < 0))
      || (json_object_has_member (room, "participants")
          && (!confab_json_get_int (room, "participants", &participants) || participants < 0)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Room %" G_GINT64_FORMAT " has an invalid \"capacity\" or \"participants\"", id);
      return FALSE;
    }

  if (role != NULL && !is_known_role (role))
    role = NULL;

  /* REST objects spell it "banned_until", WebSocket ones "bannedUntil";
   * null means banned until lifted (0 here).
   */
  has_banned = confab_json_get_boolean (room, "banned", &banned);
  has_private = confab_json_get_boolean (room, "private", &is_private);
  if (owner != NULL && (!confab_json_get_int (owner, "id", &owner_id) || owner_id < 0))
    owner_id = 0;
  has_banned_until = confab_json_get_int (room, "bannedUntil", &banned_until)
                     || confab_json_get_int (room, "banned_until", &banned_until);

  /* Step 2: apply, notifying only what changed. */
  g_object_freeze_notify (G_OBJECT (self));

  update_string (self, &self->name, name, PROP_NAME);

  if (topic != NULL)
    update_string (self, &self->topic, topic, PROP_TOPIC);

  if (owner_name != NULL)
    update_string (self, &self->owner_name, owner_name, PROP_OWNER_NAME);

  if (owner_id > 0 && owner_id != self->owner_id)
    {
      self->owner_id = owner_id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OWNER_ID]);
    }

  if (has_private && !!is_private != self->is_private)
    {
      self->is_private = !!is_private;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRIVATE]);
    }

  if (capacity >= 0 && (guint) capacity != self->capacity)
    {
      self->capacity = (guint) MIN (capacity, G_MAXUINT);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPACITY]);
      counts_changed = TRUE;
    }

  if (participants >= 0 && (guint) participants != self->participants)
    {
      self->participants = (guint) MIN (participants, G_MAXUINT);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PARTICIPANTS]);
      counts_changed = TRUE;
    }

  if (role != NULL && update_string (self, &self->role, role, PROP_ROLE))
    access_changed = TRUE;

  if (has_banned && banned != self->banned)
    {
      self->banned = banned;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BANNED]);
      access_changed = TRUE;
    }

  if (has_banned)
    {
      if (!has_banned_until || !self->banned)
        banned_until = 0;

      if (banned_until != self->banned_until)
        {
          self->banned_until = MAX (banned_until, 0);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BANNED_UNTIL]);
        }
    }

  notify_derived (self, counts_changed, access_changed);

  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

/**
 * confab_room_item_set_access:
 * @role: the user's role in the room
 * @banned: whether the user is banned
 * @banned_until: when the ban ends, or 0 for until lifted
 *
 * Applies a `roomAccess` message.
 */
void
confab_room_item_set_access (ConfabRoomItem *self,
                             const char     *role,
                             gboolean        banned,
                             gint64          banned_until)
{
  gboolean changed = FALSE;

  g_return_if_fail (CONFAB_IS_ROOM_ITEM (self));

  g_object_freeze_notify (G_OBJECT (self));

  if (role != NULL && is_known_role (role))
    changed |= update_string (self, &self->role, role, PROP_ROLE);

  banned = !!banned;
  if (banned != self->banned)
    {
      self->banned = banned;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BANNED]);
      changed = TRUE;
    }

  banned_until = banned ? MAX (banned_until, 0) : 0;
  if (banned_until != self->banned_until)
    {
      self->banned_until = banned_until;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BANNED_UNTIL]);
    }

  notify_derived (self, FALSE, changed);

  g_object_thaw_notify (G_OBJECT (self));
}

gint64
confab_room_item_get_id (ConfabRoomItem *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_ITEM (self), 0);

  return self->id;
}

const char *
confab_room_item_get_name (ConfabRoomItem *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_ITEM (self), NULL);

  return self->name;
}

const char *
confab_room_item_get_topic (ConfabRoomItem *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_ITEM (self), NULL);

  return self->topic;
}

const char *
confab_room_item_get_owner_name (ConfabRoomItem *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_ITEM (self), NULL);

  return self->owner_name;
}

guint
confab_room_item_get_capacity (ConfabRoomItem *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_ITEM (self), 0);

  return self->capacity;
}

guint
confab_room_item_get_participants (ConfabRoomItem *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_ITEM (self), 0);

  return self->participants;
}

/**
 * confab_room_item_get_owner_id:
 *
 * Returns: the user id of the room's owner, or 0 when no room object
 *   named it
 */
gint64
confab_room_item_get_owner_id (ConfabRoomItem *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_ITEM (self), 0);

  return self->owner_id;
}

const char *
confab_room_item_get_role (ConfabRoomItem *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_ITEM (self), NULL);

  return self->role;
}

/**
 * confab_room_item_get_is_host:
 *
 * Returns: whether the user's role in the room is owner or moderator
 */
gboolean
confab_room_item_get_is_host (ConfabRoomItem *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_ITEM (self), FALSE);

  return g_strcmp0 (self->role, CONFAB_ROLE_OWNER) == 0
         || g_strcmp0 (self->role, CONFAB_ROLE_MODERATOR) == 0;
}

/**
 * confab_room_item_get_private:
 *
 * Returns: whether only the room's hosts and invited users see it
 */
gboolean
confab_room_item_get_private (ConfabRoomItem *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_ITEM (self), FALSE);

  return self->is_private;
}

gboolean
confab_room_item_get_banned (ConfabRoomItem *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_ITEM (self), FALSE);

  return self->banned;
}

/**
 * confab_room_item_get_banned_until:
 *
 * Returns: the Unix time at which the user's ban ends, or 0 when the user
 *   is not banned or banned until lifted
 */
gint64
confab_room_item_get_banned_until (ConfabRoomItem *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_ITEM (self), 0);

  return self->banned_until;
}

gboolean
confab_room_item_get_full (ConfabRoomItem *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_ITEM (self), FALSE);

  return self->capacity > 0 && self->participants >= self->capacity;
}

gboolean
confab_room_item_get_can_join (ConfabRoomItem *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_ITEM (self), FALSE);

  return !self->banned && !confab_room_item_get_full (self);
}

/**
 * confab_room_item_dup_count_label:
 *
 * Returns: (transfer full): the live count, such as "3 / 10"
 */
char *
confab_room_item_dup_count_label (ConfabRoomItem *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_ITEM (self), NULL);

  /* Translators: participants in a room out of its capacity, e.g. "3 / 10". */
  return g_strdup_printf (_("%u / %u"), self->participants, self->capacity);
}

/* Casefolds @text and drops combining marks after decomposing it, so that
 * a search typed without accents finds names written with them.
 */
static char *
fold_for_search (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  g_autofree char *decomposed = g_utf8_normalize (folded, -1, G_NORMALIZE_NFKD);
  GString *result = g_string_new (NULL);

  if (decomposed == NULL)
    return g_string_free (result, FALSE);

  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (result, c);
    }

  return g_string_free (result, FALSE);
}

/**
 * confab_room_item_matches:
 * @query: (nullable): the search text
 *
 * Returns: whether the room's name, topic or owner contains @query,
 *   ignoring case and accents ("cafe" finds "Café"); an empty query
 *   matches every room
 */
gboolean
confab_room_item_matches (ConfabRoomItem *self,
                          const char     *query)
{
  g_autofree char *needle = NULL;
  const char *fields[3];

  g_return_val_if_fail (CONFAB_IS_ROOM_ITEM (self), FALSE);

  if (query == NULL || query[0] == '\0')
    return TRUE;

  needle = fold_for_search (query);
  fields[0] = self->name;
  fields[1] = self->topic;
  fields[2] = self->owner_name;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *haystack = fold_for_search (fields[i]);

      if (strstr (haystack, needle) != NULL)
        return TRUE;
    }

  return FALSE;
}
