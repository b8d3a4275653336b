/* cfs-connection.h: one client's WebSocket: limits, keepalive, pending
 * output and rate limits.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cfs-config.h"
#include "cfs-types.h"

G_BEGIN_DECLS

/* Counters shared by every connection of a hub, for /metrics. */
typedef struct {
  guint64 messages_in;
  guint64 messages_out;
  guint64 rate_limited;
  guint64 dropped_clients;
} CfsWsCounters;

typedef enum {
  CFS_RATE_CHAT,
  CFS_RATE_HAND,
  CFS_RATE_NOTES,
  CFS_N_RATES
} CfsRateKind;

#define CFS_TYPE_CONNECTION (cfs_connection_get_type ())
G_DECLARE_FINAL_TYPE (CfsConnection, cfs_connection, CFS, CONNECTION, GObject)

CfsConnection *cfs_connection_new               (GIOStream       *stream,
                                                 GUri            *uri,
                                                 const CfsUser   *user,
                                                 const char      *session_hash,
                                                 const CfsConfig *config,
                                                 CfsWsCounters   *counters);

guint64        cfs_connection_get_id            (CfsConnection   *self);
const CfsUser *cfs_connection_get_user          (CfsConnection   *self);
const char    *cfs_connection_get_session_hash  (CfsConnection   *self);
gboolean       cfs_connection_is_open           (CfsConnection   *self);

/* The session's expiry (Unix time); the connection closes with
 * CONFAB_CLOSE_SESSION_ENDED once it passes. 0 for none.
 */
void           cfs_connection_set_session_expiry (CfsConnection  *self,
                                                  gint64          expires_at);

/* Returns whether the connection was closed for silence. */
gboolean       cfs_connection_get_timed_out     (CfsConnection   *self);

/* The room this connection has joined, 0 for none. */
gint64         cfs_connection_get_room_id       (CfsConnection   *self);
void           cfs_connection_set_room_id       (CfsConnection   *self,
                                                 gint64           room_id);

gboolean       cfs_connection_get_watching_lobby (CfsConnection  *self);
void           cfs_connection_set_watching_lobby (CfsConnection  *self,
                                                  gboolean        watching);

/* Queues one encoded message; the same #GBytes may go to many connections. */
void           cfs_connection_send              (CfsConnection   *self,
                                                 GBytes          *message);
void           cfs_connection_send_json         (CfsConnection   *self,
                                                 JsonBuilder     *builder);
void           cfs_connection_send_error        (CfsConnection   *self,
                                                 const char      *request_id,
                                                 const char      *code,
                                                 const char      *message);

/* Takes a token from the bucket of @kind; when it is empty, sends
 * `rate-limited` and returns FALSE.
 */
gboolean       cfs_connection_take_token        (CfsConnection   *self,
                                                 CfsRateKind      kind,
                                                 const char      *request_id);

/* Returns the bytes queued in libsoup that have not reached the socket. */
guint64        cfs_connection_get_pending_output (CfsConnection  *self);

/* Closes a connection that has been silent or unwritable for too long, or
 * whose session expired. @now is monotonic time.
 */
void           cfs_connection_check_alive       (CfsConnection   *self,
                                                 gint64           now);

void           cfs_connection_close             (CfsConnection   *self,
                                                 gushort          code,
                                                 const char      *reason);

G_END_DECLS
