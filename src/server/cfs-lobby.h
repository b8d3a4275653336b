/* cfs-lobby.h: lobby watchers and the coalescing of room updates. */
#pragma once

#include "cfs-connection.h"

G_BEGIN_DECLS

/* Returns the `roomUpdated` message of @room_id, or NULL when the room is
 * gone. For a private room it also returns in @audience_out the set of user
 * ids (gint64 keys) who may see it; NULL means every watcher.
 */
typedef GBytes *(*CfsLobbyEncodeFunc) (gint64       room_id,
                                       GHashTable **audience_out,
                                       gpointer     user_data);

#define CFS_TYPE_LOBBY (cfs_lobby_get_type ())
G_DECLARE_FINAL_TYPE (CfsLobby, cfs_lobby, CFS, LOBBY, GObject)

CfsLobby *cfs_lobby_new            (guint               interval_ms,
                                    CfsLobbyEncodeFunc  encode_func,
                                    gpointer            user_data);

void      cfs_lobby_add_watcher    (CfsLobby           *self,
                                    CfsConnection      *watcher);
void      cfs_lobby_remove_watcher (CfsLobby           *self,
                                    CfsConnection      *watcher);
guint     cfs_lobby_count_watchers (CfsLobby           *self);

void      cfs_lobby_room_changed   (CfsLobby           *self,
                                    gint64              room_id);
void      cfs_lobby_room_hidden    (CfsLobby           *self,
                                    gint64              room_id);
void      cfs_lobby_forget_room    (CfsLobby           *self,
                                    gint64              room_id);

/* Sends @message at once, without coalescing, to every watcher whose user
 * is in @audience (a set of gint64 user ids), or to every watcher when
 * @audience is %NULL.
 */
void      cfs_lobby_broadcast      (CfsLobby           *self,
                                    GBytes             *message,
                                    GHashTable         *audience);

G_END_DECLS
