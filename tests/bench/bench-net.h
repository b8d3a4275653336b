/* bench-net.h: many WebSocket and HTTP/1.1 client connections on one epoll
 * loop, speaking either Confab's JSON protocol or socket.io's framing.
 */
#pragma once

#include <glib.h>

typedef enum {
  BENCH_STACK_CONFAB,
  BENCH_STACK_PEER,
} BenchStack;

typedef enum {
  BENCH_CONN_IDLE,
  BENCH_CONN_CONNECTING,
  BENCH_CONN_UPGRADING,
  BENCH_CONN_HANDSHAKING,
  BENCH_CONN_READY,
  BENCH_CONN_CLOSED,
  BENCH_CONN_FAILED,
} BenchConnState;

typedef enum {
  BENCH_MSG_OTHER,
  BENCH_MSG_HELLO,
  BENCH_MSG_ROOM_STATE,
  BENCH_MSG_CHAT_MESSAGE,
  BENCH_MSG_CHAT_ACK,
  BENCH_MSG_HAND_RAISED,
  BENCH_MSG_USER_JOINED,
  BENCH_MSG_USER_LEFT,
  BENCH_MSG_LOBBY,
  BENCH_MSG_ROOM_UPDATED,
  BENCH_MSG_ERROR,
  BENCH_MSG_PONG,
} BenchMessageKind;

typedef struct _BenchConn BenchConn;

typedef struct {
  void (*ready)   (BenchConn        *conn);
  void (*message) (BenchConn        *conn,
                   BenchMessageKind  kind,
                   const char       *body,
                   gsize             length);
  void (*closed)  (BenchConn        *conn,
                   const char       *reason);
} BenchConnHandlers;

struct _BenchConn
{
  int             tag;            /* must stay first: tells WebSocket from HTTP in epoll data */
  int             fd;
  BenchConnState  state;
  const char     *token;          /* borrowed session token */
  GByteArray     *in;             /* bytes not yet parsed */
  GByteArray     *out;            /* bytes the socket did not take yet */
  GByteArray     *fragments;      /* payload of an unfinished fragmented message */
  gboolean        paused;         /* stops reading, as a slow consumer */
  int             close_code;

  /* Owned by the scenarios. */
  guint           index;
  int             role;
  guint           user;
  gint64          room_id;
  gboolean        joined;
  gboolean        lobby_ready;
  gint64          started_at;
  guint8         *watched_counts;
  guint           watched_matched;
  gint64          watched_done_at;
};

typedef struct {
  guint64 frames_in;
  guint64 bytes_in;
  guint64 frames_out;
} BenchNetCounters;

void        bench_net_init             (BenchStack               stack,
                                        guint16                  port,
                                        const BenchConnHandlers *handlers);
BenchNetCounters *bench_net_counters   (void);
/* Waits up to @timeout_ms for socket events and handles them. */
void        bench_net_iterate          (int                      timeout_ms);

BenchConn  *bench_conn_new             (guint                    index,
                                        const char              *token);
void        bench_conn_start           (BenchConn               *conn);
/* Sends one message of @type whose other members are @fields, a JSON
 * object body without braces (may be empty).
 */
void        bench_conn_send            (BenchConn               *conn,
                                        const char              *type,
                                        const char              *fields);
void        bench_conn_set_paused      (BenchConn               *conn,
                                        gboolean                 paused);
void        bench_conn_close           (BenchConn               *conn);

typedef struct _BenchHttpPool BenchHttpPool;

typedef void (*BenchHttpCallback) (int         status,
                                   const char *body,
                                   gsize       length,
                                   gint64      latency_us,
                                   gpointer    user_data);

BenchHttpPool *bench_http_pool_new     (guint                    connections);
/* Queues a request; @scheduled_at_us is where its latency starts, so a
 * request that waits for a free connection counts the wait too.
 */
void        bench_http_request         (BenchHttpPool           *pool,
                                        const char              *method,
                                        const char              *path,
                                        const char              *token,
                                        const char              *body,
                                        gint64                   scheduled_at_us,
                                        BenchHttpCallback        callback,
                                        gpointer                 user_data);
guint       bench_http_pool_pending    (BenchHttpPool           *pool);
guint       bench_http_pool_failures   (BenchHttpPool           *pool);
