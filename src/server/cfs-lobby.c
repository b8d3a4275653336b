/* cfs-lobby.c: lobby watchers and the coalescing of room updates.
 *
 * A join storm must not become joins × watchers messages. Changed rooms are
 * collected in a set and sent in rounds at least interval_ms apart: each
 * round encodes every changed room once, with its latest state, and sends
 * the same bytes to every watcher. So each watcher gets at most one
 * `roomUpdated` per room per interval. The first change after a quiet
 * period goes out on the next main-loop turn, later ones wait for the
 * interval to end.
 *
 * A private room's update goes only to the watchers who may see it. When
 * a room may have become hidden from some watchers (it turned private, or
 * someone lost access), the others get `roomHidden` in the same round, so
 * their lobby drops it.
 */
#define G_LOG_DOMAIN "confab-hub"

#include "config.h"

#include <string.h>

#include "cfs-lobby.h"
#include "confab-protocol.h"

struct _CfsLobby
{
  GObject             parent_instance;

  guint               interval_ms;
  CfsLobbyEncodeFunc  encode_func;
  gpointer            encode_data;

  GHashTable         *watchers;       /* CfsConnection → itself, owned */
  GHashTable         *changed_rooms;  /* set of gint64 room ids */
  GHashTable         *hidden_rooms;   /* set of gint64 room ids, a subset of changed_rooms */
  guint               round_source;
  gint64              last_round;     /* monotonic µs, 0 for never */
};

G_DEFINE_FINAL_TYPE (CfsLobby, cfs_lobby, G_TYPE_OBJECT)

static void schedule_round (CfsLobby *self);

static void
send_to_watchers (CfsLobby *self,
                  GBytes   *message)
{
  GHashTableIter iter;
  gpointer watcher;

  g_hash_table_iter_init (&iter, self->watchers);
  while (g_hash_table_iter_next (&iter, &watcher, NULL))
    cfs_connection_send (watcher, message);
}

static GBytes *
encode_room_hidden (gint64 room_id)
{
  char *text = g_strdup_printf ("{\"type\":\"%s\",\"roomId\":%" G_GINT64_FORMAT "}",
                                CONFAB_MSG_ROOM_HIDDEN, room_id);

  return g_bytes_new_take (text, strlen (text));
}

/* Sends @message to the watchers in @audience, and `roomHidden` to the
 * others when @send_hidden is set.
 */
static void
send_to_audience (CfsLobby   *self,
                  gint64      room_id,
                  GBytes     *message,
                  GHashTable *audience,
                  gboolean    send_hidden)
{
  g_autoptr(GBytes) hidden = send_hidden ? encode_room_hidden (room_id) : NULL;
  GHashTableIter iter;
  gpointer watcher;

  g_hash_table_iter_init (&iter, self->watchers);
  while (g_hash_table_iter_next (&iter, &watcher, NULL))
    {
      gint64 user_id = cfs_connection_get_user (watcher)->id;

      if (g_hash_table_contains (audience, &user_id))
        cfs_connection_send (watcher, message);
      else if (hidden != NULL)
        cfs_connection_send (watcher, hidden);
    }
}

static gboolean
run_round_cb (gpointer user_data)
{
  CfsLobby *self = user_data;
  g_autoptr(GHashTable) rooms = NULL;
  g_autoptr(GHashTable) hidden_rooms = NULL;
  GHashTableIter iter;
  gpointer key;

  self->round_source = 0;
  self->last_round = g_get_monotonic_time ();

  rooms = g_steal_pointer (&self->changed_rooms);
  self->changed_rooms = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  hidden_rooms = g_steal_pointer (&self->hidden_rooms);
  self->hidden_rooms = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  g_hash_table_iter_init (&iter, rooms);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autoptr(GHashTable) audience = NULL;
      g_autoptr(GBytes) message = self->encode_func (*(gint64 *) key, &audience, self->encode_data);

      if (message == NULL)
        continue;

      if (audience == NULL)
        send_to_watchers (self, message);
      else
        send_to_audience (self, *(gint64 *) key, message, audience,
                          g_hash_table_contains (hidden_rooms, key));
    }

  g_debug ("Lobby round: %u rooms to %u watchers",
           g_hash_table_size (rooms), g_hash_table_size (self->watchers));

  return G_SOURCE_REMOVE;
}

static void
schedule_round (CfsLobby *self)
{
  gint64 since_last_ms;

  if (self->round_source != 0)
    return;

  since_last_ms = (g_get_monotonic_time () - self->last_round) / 1000;

  if (self->last_round == 0 || since_last_ms >= self->interval_ms)
    self->round_source = g_idle_add_full (G_PRIORITY_DEFAULT, run_round_cb, self, NULL);
  else
    self->round_source = g_timeout_add (self->interval_ms - since_last_ms, run_round_cb, self);
}

static void
cfs_lobby_finalize (GObject *object)
{
  CfsLobby *self = CFS_LOBBY (object);

  g_clear_handle_id (&self->round_source, g_source_remove);
  g_hash_table_unref (self->watchers);
  g_hash_table_unref (self->changed_rooms);
  g_hash_table_unref (self->hidden_rooms);

  G_OBJECT_CLASS (cfs_lobby_parent_class)->finalize (object);
}

static void
cfs_lobby_class_init (CfsLobbyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cfs_lobby_finalize;
}

static void
cfs_lobby_init (CfsLobby *self)
{
  self->watchers = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->changed_rooms = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->hidden_rooms = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

/**
 * cfs_lobby_new:
 * @interval_ms: the least time between two updates of one room
 * @encode_func: encodes a room's `roomUpdated` message
 */
CfsLobby *
cfs_lobby_new (guint              interval_ms,
               CfsLobbyEncodeFunc encode_func,
               gpointer           user_data)
{
  CfsLobby *self = g_object_new (CFS_TYPE_LOBBY, NULL);

  self->interval_ms = interval_ms;
  self->encode_func = encode_func;
  self->encode_data = user_data;

  return self;
}

void
cfs_lobby_add_watcher (CfsLobby      *self,
                       CfsConnection *watcher)
{
  g_return_if_fail (CFS_IS_LOBBY (self));

  if (!g_hash_table_contains (self->watchers, watcher))
    g_hash_table_add (self->watchers, g_object_ref (watcher));

  cfs_connection_set_watching_lobby (watcher, TRUE);
}

void
cfs_lobby_remove_watcher (CfsLobby      *self,
                          CfsConnection *watcher)
{
  g_return_if_fail (CFS_IS_LOBBY (self));

  cfs_connection_set_watching_lobby (watcher, FALSE);
  g_hash_table_remove (self->watchers, watcher);
}

guint
cfs_lobby_count_watchers (CfsLobby *self)
{
  g_return_val_if_fail (CFS_IS_LOBBY (self), 0);

  return g_hash_table_size (self->watchers);
}

/* Marks @room_id for the next round. */
void
cfs_lobby_room_changed (CfsLobby *self,
                        gint64    room_id)
{
  g_return_if_fail (CFS_IS_LOBBY (self));

  if (g_hash_table_size (self->watchers) == 0)
    return;

  g_hash_table_add (self->changed_rooms, g_memdup2 (&room_id, sizeof room_id));
  schedule_round (self);
}

/* Marks @room_id for the next round, in which the watchers who may no
 * longer see it get `roomHidden`.
 */
void
cfs_lobby_room_hidden (CfsLobby *self,
                       gint64    room_id)
{
  g_return_if_fail (CFS_IS_LOBBY (self));

  if (g_hash_table_size (self->watchers) == 0)
    return;

  g_hash_table_add (self->hidden_rooms, g_memdup2 (&room_id, sizeof room_id));
  cfs_lobby_room_changed (self, room_id);
}

void
cfs_lobby_forget_room (CfsLobby *self,
                       gint64    room_id)
{
  g_return_if_fail (CFS_IS_LOBBY (self));

  g_hash_table_remove (self->changed_rooms, &room_id);
  g_hash_table_remove (self->hidden_rooms, &room_id);
}

void
cfs_lobby_broadcast (CfsLobby   *self,
                     GBytes     *message,
                     GHashTable *audience)
{
  g_return_if_fail (CFS_IS_LOBBY (self));

  if (audience == NULL)
    send_to_watchers (self, message);
  else
    send_to_audience (self, 0, message, audience, FALSE);
}
