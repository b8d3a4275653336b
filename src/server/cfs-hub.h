/* cfs-hub.h: live state behind the WebSocket: connections, presence, seats,
 * lobby watchers, chat, hands, notes and host actions.
 *
 * The REST routes call into the hub when they change something that
 * connected clients must see, and ask it who holds a seat.
 */
#pragma once

#include <libsoup/soup.h>

#include "cfs-config.h"
#include "cfs-store.h"

G_BEGIN_DECLS

#define CFS_TYPE_HUB (cfs_hub_get_type ())
G_DECLARE_FINAL_TYPE (CfsHub, cfs_hub, CFS, HUB, GObject)

CfsHub   *cfs_hub_new                   (CfsStore        *store,
                                         const CfsConfig *config);

/* Adds the WebSocket handler for /api/v1/ws to @server. */
void      cfs_hub_attach                (CfsHub          *hub,
                                         SoupServer      *server);

gboolean  cfs_hub_user_has_seat         (CfsHub          *hub,
                                         gint64           room_id,
                                         gint64           user_id);
guint     cfs_hub_count_participants    (CfsHub          *hub,
                                         gint64           room_id);

/* A room was created or its name, topic or capacity changed. */
void      cfs_hub_room_changed          (CfsHub          *hub,
                                         gint64           room_id);
/* @audience: for a private room, the user ids who could see it (taken
 * before the store deleted it). Other users do not receive the room's id.
 */
void      cfs_hub_room_deleted          (CfsHub          *hub,
                                         gint64           room_id,
                                         GHashTable      *audience);
/* Private room @room_id may have become hidden from some lobby watchers:
 * they get `roomHidden`, the others `roomUpdated`.
 */
void      cfs_hub_room_hidden           (CfsHub          *hub,
                                         gint64           room_id);

/* A user's role in a room changed, or a ban was set or lifted through the
 * REST API; a new ban also removes the user from the room.
 */
void      cfs_hub_role_changed          (CfsHub          *hub,
                                         gint64           room_id,
                                         gint64           user_id,
                                         gint64           by_user_id);
void      cfs_hub_ban_changed           (CfsHub          *hub,
                                         gint64           room_id,
                                         gint64           user_id,
                                         gint64           by_user_id);

/* A user changed their name or avatar: the rooms they sit in get
 * `userUpdated`.
 */
void      cfs_hub_user_updated          (CfsHub          *hub,
                                         const CfsUser   *user);

/* Closes the user's connections with CONFAB_CLOSE_SESSION_ENDED and
 * @reason (a CONFAB_SESSION_END_ constant), all of them or only those of
 * one session (its token hash, hex).
 */
void      cfs_hub_end_sessions          (CfsHub          *hub,
                                         gint64           user_id,
                                         const char      *session_hash,
                                         const char      *reason);

void      cfs_hub_append_metrics        (CfsHub          *hub,
                                         GString         *out);

/* REST routes served by the hub. @user is the authenticated user, @room_id
 * the id parsed from the path. Each sets the response of @msg: JSON, or a
 * REST error.
 *   GET /api/v1/rooms/{id}/messages[?before=&limit=]
 *   GET /api/v1/rooms/{id}/history[?format=csv]
 */
void      cfs_hub_handle_messages       (CfsHub            *hub,
                                         SoupServerMessage *msg,
                                         const CfsUser     *user,
                                         gint64             room_id);
void      cfs_hub_handle_history        (CfsHub            *hub,
                                         SoupServerMessage *msg,
                                         const CfsUser     *user,
                                         gint64             room_id);

/* Closes every connection with CONFAB_CLOSE_SHUTTING_DOWN and commits
 * pending chat messages.
 */
void      cfs_hub_shutdown              (CfsHub          *hub);

G_END_DECLS
