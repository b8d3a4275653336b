/* cfs-hub-private.h: the hub's state, shared by its source files. */
#pragma once

#include "cfs-connection.h"
#include "cfs-hub.h"
#include "cfs-lobby.h"
#include "cfs-store-live.h"

G_BEGIN_DECLS

typedef struct _CfsLiveRoom CfsLiveRoom;

/* A user seated in a room, with all of the user's connections in it. */
typedef struct {
  gint64       user_id;
  char        *name;
  char        *avatar_url;
  const char  *role;           /* a CONFAB_ROLE_ constant, kept current */
  gboolean     hand_raised;
  char        *jitsi_id;
  GPtrArray   *connections;    /* of CfsConnection, borrowed */
  guint        grace_source;
  gint64       attendance_id;
  CfsLiveRoom *room;
} CfsParticipant;

/* A room with at least one seat taken. */
struct _CfsLiveRoom {
  gint64      id;
  gint64      seq;
  GHashTable *participants;    /* gint64 user id → CfsParticipant */
  gint64      meeting_id;
  guint       peak_participants;
  CfsHub     *hub;
};

struct _CfsHub
{
  GObject          parent_instance;

  CfsStore        *store;
  const CfsConfig *config;
  CfsStoreLive    *live;
  CfsLobby        *lobby;

  GHashTable      *connections;   /* guint64 id → CfsConnection, owned */
  /* gint64 user id → open and upgrading connections (GUINT_TO_POINTER) */
  GHashTable      *user_connections;
  GHashTable      *rooms;         /* gint64 room id → CfsLiveRoom */
  CfsWsCounters    counters;
  guint64          chat_messages;
  guint            tick_source;
  gboolean         shutting_down;
};

/* cfs-hub-messages.c: one handler per client message type. */
void         cfs_hub_dispatch_message    (CfsHub         *self,
                                          CfsConnection  *connection,
                                          JsonObject     *message,
                                          const char     *type);
void         cfs_hub_chat_committed      (GPtrArray      *messages,
                                          const GError   *error,
                                          gpointer        user_data);

/* cfs-hub.c: encoding, fan-out and the lobby. */
JsonBuilder *cfs_hub_begin_message        (const char           *type,
                                           const char           *request_id);
GBytes      *cfs_hub_end_message          (JsonBuilder          *builder);
JsonBuilder *cfs_hub_begin_room_event     (CfsLiveRoom          *room,
                                           const char           *type);
void         cfs_hub_add_nullable_int     (JsonBuilder          *builder,
                                           const char           *name,
                                           gint64                value);
void         cfs_hub_send_to_room         (CfsLiveRoom          *room,
                                           GBytes               *message);
void         cfs_hub_send_to_user         (CfsHub               *self,
                                           gint64                user_id,
                                           GBytes               *message);
void         cfs_hub_send_ok              (CfsConnection        *connection,
                                           const char           *request_id);
void         cfs_hub_subscribe_lobby      (CfsHub               *self,
                                           CfsConnection        *connection,
                                           const char           *request_id);

/* cfs-hub-presence.c: seats, presence and room state. */
void         cfs_live_room_free           (CfsLiveRoom          *room);
CfsLiveRoom *cfs_hub_lookup_room          (CfsHub               *self,
                                           gint64                room_id);
void         cfs_hub_add_participant_json (CfsHub               *self,
                                           JsonBuilder          *builder,
                                           const CfsRoom        *room,
                                           CfsParticipant       *participant);
GBytes      *cfs_hub_encode_chat_message  (CfsLiveRoom          *room,
                                           const CfsChatMessage *message);
void         cfs_hub_join_room            (CfsHub               *self,
                                           CfsConnection        *connection,
                                           gint64                room_id,
                                           const char           *request_id);
void         cfs_hub_leave_room           (CfsHub               *self,
                                           CfsConnection        *connection,
                                           const char           *reason);
void         cfs_hub_remove_participant   (CfsHub               *self,
                                           CfsLiveRoom          *room,
                                           gint64                user_id,
                                           const char           *reason);
void         cfs_hub_send_kicked          (CfsHub               *self,
                                           gint64                room_id,
                                           gint64                user_id,
                                           gint64                by_user_id,
                                           const char           *reason,
                                           gboolean              banned,
                                           gint64                ban_until);
void         cfs_hub_send_room_access     (CfsHub               *self,
                                           gint64                room_id,
                                           gint64                user_id);

G_END_DECLS
