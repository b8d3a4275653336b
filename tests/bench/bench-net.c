/* bench-net.c: the load generator's sockets, on one epoll loop.
 *
 * One thread serves every connection, so the generator uses at most one of
 * the machine's cores and the server keeps the other. Client frames carry
 * the all-zero masking key, which RFC 6455 allows, so payloads go out as
 * they are.
 */
#define _GNU_SOURCE
#include "bench-net.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define TAG_WS   1
#define TAG_HTTP 2

#define SCRATCH_SIZE (256 * 1024)
#define MAX_EVENTS   512
#define MAX_READS_PER_EVENT 4

static struct {
  BenchStack               stack;
  guint16                  port;
  const BenchConnHandlers *handlers;
  int                      epoll_fd;
  guint8                  *scratch;
  BenchNetCounters         counters;
} net;

/* ---- sockets ---- */

static int
open_socket (void)
{
  struct sockaddr_in address = { 0 };
  int one = 1;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

  if (fd < 0)
    return -1;

  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

  address.sin_family = AF_INET;
  address.sin_port = htons (net.port);
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);

  if (connect (fd, (struct sockaddr *) &address, sizeof address) < 0 && errno != EINPROGRESS)
    {
      close (fd);
      return -1;
    }

  return fd;
}

static void
watch_fd (int       fd,
          int       operation,
          guint32   events,
          gpointer  data)
{
  struct epoll_event event = { .events = events, .data.ptr = data };

  epoll_ctl (net.epoll_fd, operation, fd, &event);
}

static gboolean
connect_finished (int fd)
{
  int error = 0;
  socklen_t length = sizeof error;

  getsockopt (fd, SOL_SOCKET, SO_ERROR, &error, &length);
  return error == 0;
}

/* Writes what the socket takes now and keeps the rest in @out. Returns
 * FALSE when the peer is gone.
 */
static gboolean
write_or_queue (int         fd,
                GByteArray *out,
                const void *data,
                gsize       length)
{
  gssize written = 0;

  if (out->len == 0)
    {
      written = send (fd, data, length, MSG_NOSIGNAL);
      if (written < 0)
        {
          if (errno != EAGAIN && errno != EWOULDBLOCK)
            return FALSE;
          written = 0;
        }
    }

  if ((gsize) written < length)
    g_byte_array_append (out, (const guint8 *) data + written, length - written);

  return TRUE;
}

static gboolean
flush_out (int         fd,
           GByteArray *out)
{
  while (out->len > 0)
    {
      gssize written = send (fd, out->data, out->len, MSG_NOSIGNAL);

      if (written < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK;

      g_byte_array_remove_range (out, 0, written);
    }

  return TRUE;
}

/* ---- WebSocket connections ---- */

static void
update_interest (BenchConn *conn)
{
  guint32 events = 0;

  if (!conn->paused || conn->state < BENCH_CONN_HANDSHAKING)
    events |= EPOLLIN;
  if (conn->state == BENCH_CONN_CONNECTING || conn->out->len > 0)
    events |= EPOLLOUT;

  watch_fd (conn->fd, EPOLL_CTL_MOD, events, conn);
}

static void
finish_conn (BenchConn  *conn,
             const char *reason)
{
  if (conn->fd < 0)
    return;

  conn->state = conn->state >= BENCH_CONN_READY ? BENCH_CONN_CLOSED : BENCH_CONN_FAILED;
  epoll_ctl (net.epoll_fd, EPOLL_CTL_DEL, conn->fd, NULL);
  close (conn->fd);
  conn->fd = -1;
  g_byte_array_set_size (conn->in, 0);
  g_byte_array_set_size (conn->out, 0);
  g_clear_pointer (&conn->fragments, g_byte_array_unref);

  net.handlers->closed (conn, reason);
}

static void
send_frame (BenchConn  *conn,
            guint8      opcode,
            const char *payload,
            gsize       length)
{
  guint8 header[14];
  gsize header_length = 2;

  header[0] = 0x80 | opcode;
  if (length < 126)
    {
      header[1] = 0x80 | length;
    }
  else if (length < 65536)
    {
      header[1] = 0x80 | 126;
      header[2] = length >> 8;
      header[3] = length & 0xff;
      header_length = 4;
    }
  else
    {
      header[1] = 0x80 | 127;
      for (int i = 0; i < 8; i++)
        header[2 + i] = (guint64) length >> (56 - 8 * i);
      header_length = 10;
    }

  /* The masking key: all zero, so the payload needs no XOR. */
  memset (header + header_length, 0, 4);
  header_length += 4;

  if (conn->out->len == 0)
    {
      guint8 small[4096];

      /* One send for header and payload, so that each frame is one segment. */
      if (header_length + length <= sizeof small)
        {
          memcpy (small, header, header_length);
          memcpy (small + header_length, payload, length);
          if (!write_or_queue (conn->fd, conn->out, small, header_length + length))
            goto failed;
        }
      else if (!write_or_queue (conn->fd, conn->out, header, header_length) ||
               !write_or_queue (conn->fd, conn->out, payload, length))
        goto failed;
    }
  else
    {
      g_byte_array_append (conn->out, header, header_length);
      g_byte_array_append (conn->out, (const guint8 *) payload, length);
    }

  net.counters.frames_out++;
  if (conn->out->len > 0)
    update_interest (conn);
  return;

failed:
  finish_conn (conn, "write failed");
}

static void
send_text (BenchConn  *conn,
           const char *text)
{
  send_frame (conn, 0x1, text, strlen (text));
}

static BenchMessageKind
classify (const char *name,
          gsize       length)
{
  static const struct { const char *name; BenchMessageKind kind; } kinds[] = {
    { "chatMessage", BENCH_MSG_CHAT_MESSAGE },
    { "chatAck", BENCH_MSG_CHAT_ACK },
    { "handRaised", BENCH_MSG_HAND_RAISED },
    { "roomUpdated", BENCH_MSG_ROOM_UPDATED },
    { "roomState", BENCH_MSG_ROOM_STATE },
    { "userJoined", BENCH_MSG_USER_JOINED },
    { "userLeft", BENCH_MSG_USER_LEFT },
    { "lobby", BENCH_MSG_LOBBY },
    { "hello", BENCH_MSG_HELLO },
    { "error", BENCH_MSG_ERROR },
    { "pong", BENCH_MSG_PONG },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (strlen (kinds[i].name) == length && memcmp (kinds[i].name, name, length) == 0)
      return kinds[i].kind;

  return BENCH_MSG_OTHER;
}

static void
become_ready (BenchConn *conn)
{
  conn->state = BENCH_CONN_READY;
  update_interest (conn);
  net.handlers->ready (conn);
}

/* Confab: {"type":"chatMessage",...}, with "type" first. */
static void
handle_confab_text (BenchConn  *conn,
                    const char *text,
                    gsize       length)
{
  static const char prefix[] = "{\"type\":\"";
  const char *name = text + sizeof prefix - 1;
  const char *end;
  BenchMessageKind kind;

  if (length < sizeof prefix || memcmp (text, prefix, sizeof prefix - 1) != 0)
    return;

  end = memchr (name, '"', length - (sizeof prefix - 1));
  if (end == NULL)
    return;

  kind = classify (name, end - name);
  if (kind == BENCH_MSG_HELLO && conn->state == BENCH_CONN_HANDSHAKING)
    {
      become_ready (conn);
      return;
    }

  net.handlers->message (conn, kind, text, length);
}

/* socket.io over Engine.IO 4: "0{...}" open, "2" ping, "40{...}" connected,
 * "44{...}" refused, "42[\"name\",{...}]" an event.
 */
static void
handle_peer_text (BenchConn  *conn,
                  const char *text,
                  gsize       length)
{
  const char *name;
  const char *end;

  if (length == 0)
    return;

  switch (text[0])
    {
    case '0':
      {
        g_autofree char *connect = g_strdup_printf ("40{\"token\":\"%s\"}", conn->token);
        send_text (conn, connect);
      }
      return;

    case '2':
      send_text (conn, "3");
      return;

    case '4':
      break;

    default:
      return;
    }

  if (length >= 2 && text[1] == '0' && conn->state == BENCH_CONN_HANDSHAKING)
    {
      become_ready (conn);
      return;
    }

  if (length >= 2 && text[1] == '4')
    {
      finish_conn (conn, "socket.io refused the connection");
      return;
    }

  if (length < 5 || text[1] != '2' || text[2] != '[' || text[3] != '"')
    return;

  name = text + 4;
  end = memchr (name, '"', length - 4);
  if (end == NULL)
    return;

  net.handlers->message (conn, classify (name, end - name), text, length);
}

static void
handle_text (BenchConn  *conn,
             const char *text,
             gsize       length)
{
  net.counters.frames_in++;

  if (net.stack == BENCH_STACK_CONFAB)
    handle_confab_text (conn, text, length);
  else
    handle_peer_text (conn, text, length);
}

/* Handles every whole frame in @data; returns the bytes consumed, or -1
 * when the connection ended.
 */
static gssize
parse_frames (BenchConn    *conn,
              const guint8 *data,
              gsize         length)
{
  gsize at = 0;

  while (length - at >= 2)
    {
      const guint8 *frame = data + at;
      guint8 opcode = frame[0] & 0x0f;
      gboolean fin = (frame[0] & 0x80) != 0;
      guint64 payload_length = frame[1] & 0x7f;
      gsize header_length = 2;
      const guint8 *payload;

      if (payload_length == 126)
        {
          if (length - at < 4)
            break;
          payload_length = (frame[2] << 8) | frame[3];
          header_length = 4;
        }
      else if (payload_length == 127)
        {
          if (length - at < 10)
            break;
          payload_length = 0;
          for (int i = 0; i < 8; i++)
            payload_length = (payload_length << 8) | frame[2 + i];
          header_length = 10;
        }

      if (length - at < header_length + payload_length)
        break;

      payload = frame + header_length;
      at += header_length + payload_length;

      switch (opcode)
        {
        case 0x0:
        case 0x1:
        case 0x2:
          if (!fin || conn->fragments != NULL)
            {
              if (conn->fragments == NULL)
                conn->fragments = g_byte_array_new ();
              g_byte_array_append (conn->fragments, payload, payload_length);
              if (fin)
                {
                  g_autoptr(GByteArray) whole = g_steal_pointer (&conn->fragments);
                  handle_text (conn, (const char *) whole->data, whole->len);
                }
            }
          else
            {
              handle_text (conn, (const char *) payload, payload_length);
            }
          break;

        case 0x8:
          conn->close_code = payload_length >= 2 ? (payload[0] << 8) | payload[1] : 1005;
          finish_conn (conn, "closed by the server");
          return -1;

        case 0x9:
          send_frame (conn, 0xa, (const char *) payload, payload_length);
          break;

        default:
          break;
        }

      if (conn->fd < 0)
        return -1;
    }

  return at;
}

/* Checks the upgrade answer; returns the bytes it took, 0 while it is
 * incomplete, or -1 when the server refused.
 */
static gssize
parse_upgrade (BenchConn    *conn,
               const guint8 *data,
               gsize         length)
{
  const guint8 *end = memmem (data, length, "\r\n\r\n", 4);

  if (end == NULL)
    return 0;

  if (length < 12 || memcmp (data + 9, "101", 3) != 0)
    {
      char status[4] = { 0 };

      memcpy (status, data + 9, MIN (length - 9, 3));
      if (g_str_equal (status, "503"))
        finish_conn (conn, "upgrade refused: 503");
      else
        finish_conn (conn, "upgrade refused");
      return -1;
    }

  conn->state = BENCH_CONN_HANDSHAKING;
  return end + 4 - data;
}

static gssize
parse_input (BenchConn    *conn,
             const guint8 *data,
             gsize         length)
{
  gssize upgrade = 0;
  gssize frames;

  if (conn->state == BENCH_CONN_UPGRADING)
    {
      upgrade = parse_upgrade (conn, data, length);
      if (upgrade <= 0)
        return upgrade;
    }

  frames = parse_frames (conn, data + upgrade, length - upgrade);
  if (frames < 0)
    return -1;

  return upgrade + frames;
}

static void
send_upgrade (BenchConn *conn)
{
  g_autofree char *request = NULL;

  if (net.stack == BENCH_STACK_CONFAB)
    request = g_strdup_printf ("GET /api/v1/ws HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                               "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                               "Sec-WebSocket-Key: Y29uZmFiLWJlbmNoLWtleQ==\r\n"
                               "Sec-WebSocket-Version: 13\r\n"
                               "Authorization: Bearer %s\r\n\r\n", net.port, conn->token);
  else
    request = g_strdup_printf ("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
                               "Host: 127.0.0.1:%u\r\n"
                               "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                               "Sec-WebSocket-Key: Y29uZmFiLWJlbmNoLWtleQ==\r\n"
                               "Sec-WebSocket-Version: 13\r\n\r\n", net.port);

  conn->state = BENCH_CONN_UPGRADING;
  if (!write_or_queue (conn->fd, conn->out, request, strlen (request)))
    {
      finish_conn (conn, "connection reset before the upgrade");
      return;
    }
  update_interest (conn);
}

static void
read_conn (BenchConn *conn)
{
  for (int i = 0; i < MAX_READS_PER_EVENT && conn->fd >= 0 && !(conn->paused && conn->state >= BENCH_CONN_HANDSHAKING); i++)
    {
      gssize received = recv (conn->fd, net.scratch, SCRATCH_SIZE, 0);
      gssize consumed;

      if (received == 0 || (received < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
        {
          finish_conn (conn, received == 0 ? "connection closed without a close frame" : g_strerror (errno));
          return;
        }
      if (received < 0)
        return;

      net.counters.bytes_in += received;

      /* Parse straight from the scratch buffer when nothing is left over,
       * and keep only the unfinished tail.
       */
      if (conn->in->len == 0)
        {
          consumed = parse_input (conn, net.scratch, received);
          if (consumed < 0)
            return;
          g_byte_array_append (conn->in, net.scratch + consumed, received - consumed);
        }
      else
        {
          g_byte_array_append (conn->in, net.scratch, received);
          consumed = parse_input (conn, conn->in->data, conn->in->len);
          if (consumed < 0)
            return;
          g_byte_array_remove_range (conn->in, 0, consumed);
        }

      if (received < SCRATCH_SIZE)
        return;
    }
}

static void
handle_conn_event (BenchConn *conn,
                   guint32    events)
{
  if (conn->state == BENCH_CONN_CONNECTING)
    {
      if (!connect_finished (conn->fd))
        {
          finish_conn (conn, "connection refused");
          return;
        }
      send_upgrade (conn);
      return;
    }

  if ((events & EPOLLOUT) && conn->fd >= 0)
    {
      if (!flush_out (conn->fd, conn->out))
        {
          finish_conn (conn, "write failed");
          return;
        }
      if (conn->out->len == 0)
        update_interest (conn);
    }

  if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && conn->fd >= 0)
    read_conn (conn);
}

BenchConn *
bench_conn_new (guint       index,
                const char *token)
{
  BenchConn *conn = g_new0 (BenchConn, 1);

  conn->tag = TAG_WS;
  conn->fd = -1;
  conn->index = index;
  conn->token = token;
  conn->in = g_byte_array_new ();
  conn->out = g_byte_array_new ();

  return conn;
}

void
bench_conn_start (BenchConn *conn)
{
  conn->started_at = g_get_monotonic_time ();
  conn->fd = open_socket ();
  if (conn->fd < 0)
    {
      conn->state = BENCH_CONN_FAILED;
      net.handlers->closed (conn, g_strerror (errno));
      return;
    }

  conn->state = BENCH_CONN_CONNECTING;
  watch_fd (conn->fd, EPOLL_CTL_ADD, EPOLLOUT | EPOLLIN, conn);
}

void
bench_conn_send (BenchConn  *conn,
                 const char *type,
                 const char *fields)
{
  char text[1024];
  int length;

  if (conn->fd < 0 || conn->state != BENCH_CONN_READY)
    return;

  if (net.stack == BENCH_STACK_CONFAB)
    length = g_snprintf (text, sizeof text, "{\"type\":\"%s\"%s%s}", type, *fields ? "," : "", fields);
  else
    length = g_snprintf (text, sizeof text, "42[\"%s\",{%s}]", type, fields);

  g_assert (length < (int) sizeof text);
  send_frame (conn, 0x1, text, length);
}

void
bench_conn_set_paused (BenchConn *conn,
                       gboolean   paused)
{
  conn->paused = paused;
  if (conn->fd >= 0)
    update_interest (conn);
}

void
bench_conn_close (BenchConn *conn)
{
  if (conn->fd >= 0)
    finish_conn (conn, "closed by the generator");
}

/* ---- HTTP/1.1 keep-alive pool ---- */

typedef struct {
  char              *request;
  gsize              length;
  gint64             scheduled_at;
  BenchHttpCallback  callback;
  gpointer           user_data;
} HttpRequest;

typedef struct {
  int            tag;        /* TAG_HTTP, first as in BenchConn */
  int            fd;
  gboolean       connected;
  BenchHttpPool *pool;
  GByteArray    *in;
  GByteArray    *out;
  HttpRequest   *current;
} HttpConn;

struct _BenchHttpPool
{
  HttpConn *conns;
  guint     n_conns;
  GQueue    queue;
  guint     in_flight;
  guint     failures;
};

static void
free_request (HttpRequest *request)
{
  g_free (request->request);
  g_free (request);
}

static void dispatch_requests (BenchHttpPool *pool);

static void
reset_http_conn (HttpConn *conn)
{
  if (conn->fd >= 0)
    {
      epoll_ctl (net.epoll_fd, EPOLL_CTL_DEL, conn->fd, NULL);
      close (conn->fd);
    }
  conn->fd = -1;
  conn->connected = FALSE;
  g_byte_array_set_size (conn->in, 0);
  g_byte_array_set_size (conn->out, 0);
}

static void
complete_request (HttpConn   *conn,
                  int         status,
                  const char *body,
                  gsize       length)
{
  HttpRequest *request = g_steal_pointer (&conn->current);

  conn->pool->in_flight--;
  if (status < 0)
    conn->pool->failures++;

  request->callback (status, body, length, g_get_monotonic_time () - request->scheduled_at,
                     request->user_data);
  free_request (request);
}

static void
fail_http_conn (HttpConn *conn)
{
  reset_http_conn (conn);
  if (conn->current != NULL)
    complete_request (conn, -1, "", 0);
}

static gboolean
start_request (HttpConn *conn)
{
  guint32 events = EPOLLIN;

  if (conn->fd < 0)
    {
      conn->fd = open_socket ();
      if (conn->fd < 0)
        return FALSE;
      watch_fd (conn->fd, EPOLL_CTL_ADD, EPOLLIN | EPOLLOUT, conn);
    }

  if (conn->connected)
    {
      if (!write_or_queue (conn->fd, conn->out, conn->current->request, conn->current->length))
        return FALSE;
    }
  else
    {
      g_byte_array_append (conn->out, (const guint8 *) conn->current->request, conn->current->length);
    }

  if (conn->out->len > 0)
    events |= EPOLLOUT;
  watch_fd (conn->fd, EPOLL_CTL_MOD, events, conn);
  return TRUE;
}

static void
dispatch_requests (BenchHttpPool *pool)
{
  for (guint i = 0; i < pool->n_conns && !g_queue_is_empty (&pool->queue); i++)
    {
      HttpConn *conn = &pool->conns[i];

      if (conn->current != NULL)
        continue;

      conn->current = g_queue_pop_head (&pool->queue);
      pool->in_flight++;
      if (!start_request (conn))
        fail_http_conn (conn);
    }
}

static gssize
find_content_length (const char *headers,
                     gsize       length)
{
  g_autofree char *lower = g_ascii_strdown (headers, length);
  const char *at = strstr (lower, "\r\ncontent-length:");

  if (at == NULL)
    return -1;

  return g_ascii_strtoll (at + strlen ("\r\ncontent-length:"), NULL, 10);
}

static void
parse_response (HttpConn *conn)
{
  const guint8 *end = memmem (conn->in->data, conn->in->len, "\r\n\r\n", 4);
  gsize header_length;
  gssize body_length;
  int status;

  if (end == NULL || conn->current == NULL)
    return;

  header_length = end + 4 - conn->in->data;
  body_length = find_content_length ((const char *) conn->in->data, header_length);
  if (body_length < 0)
    {
      g_printerr ("bench: an HTTP response has no Content-Length; closing that connection\n");
      fail_http_conn (conn);
      return;
    }

  if (conn->in->len < header_length + body_length)
    return;

  status = g_ascii_strtoll ((const char *) conn->in->data + 9, NULL, 10);
  {
    g_autofree char *body = g_strndup ((const char *) conn->in->data + header_length, body_length);

    g_byte_array_remove_range (conn->in, 0, header_length + body_length);
    complete_request (conn, status, body, body_length);
  }

  dispatch_requests (conn->pool);
}

static void
handle_http_event (HttpConn *conn,
                   guint32   events)
{
  if (!conn->connected && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
    {
      if (!connect_finished (conn->fd))
        {
          fail_http_conn (conn);
          dispatch_requests (conn->pool);
          return;
        }
      conn->connected = TRUE;
    }

  if (conn->connected && conn->out->len > 0)
    {
      if (!flush_out (conn->fd, conn->out))
        {
          fail_http_conn (conn);
          dispatch_requests (conn->pool);
          return;
        }
      if (conn->out->len == 0)
        watch_fd (conn->fd, EPOLL_CTL_MOD, EPOLLIN, conn);
    }

  if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
    {
      gssize received = recv (conn->fd, net.scratch, SCRATCH_SIZE, 0);

      if (received == 0 || (received < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
        {
          fail_http_conn (conn);
          dispatch_requests (conn->pool);
          return;
        }
      if (received > 0)
        {
          g_byte_array_append (conn->in, net.scratch, received);
          parse_response (conn);
        }
    }
}

BenchHttpPool *
bench_http_pool_new (guint connections)
{
  BenchHttpPool *pool = g_new0 (BenchHttpPool, 1);

  pool->conns = g_new0 (HttpConn, connections);
  pool->n_conns = connections;
  g_queue_init (&pool->queue);

  for (guint i = 0; i < connections; i++)
    {
      pool->conns[i].tag = TAG_HTTP;
      pool->conns[i].fd = -1;
      pool->conns[i].pool = pool;
      pool->conns[i].in = g_byte_array_new ();
      pool->conns[i].out = g_byte_array_new ();
    }

  return pool;
}

void
bench_http_request (BenchHttpPool     *pool,
                    const char        *method,
                    const char        *path,
                    const char        *token,
                    const char        *body,
                    gint64             scheduled_at_us,
                    BenchHttpCallback  callback,
                    gpointer           user_data)
{
  HttpRequest *request = g_new0 (HttpRequest, 1);
  g_autofree char *authorization = token != NULL
    ? g_strdup_printf ("Authorization: Bearer %s\r\n", token) : g_strdup ("");

  request->request = g_strdup_printf ("%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n%s"
                                      "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                                      method, path, net.port, authorization,
                                      body != NULL ? strlen (body) : 0, body != NULL ? body : "");
  request->length = strlen (request->request);
  request->scheduled_at = scheduled_at_us;
  request->callback = callback;
  request->user_data = user_data;

  g_queue_push_tail (&pool->queue, request);
  dispatch_requests (pool);
}

guint
bench_http_pool_pending (BenchHttpPool *pool)
{
  return pool->in_flight + g_queue_get_length (&pool->queue);
}

guint
bench_http_pool_failures (BenchHttpPool *pool)
{
  return pool->failures;
}

/* ---- the loop ---- */

void
bench_net_init (BenchStack               stack,
                guint16                  port,
                const BenchConnHandlers *handlers)
{
  net.stack = stack;
  net.port = port;
  net.handlers = handlers;
  net.epoll_fd = epoll_create1 (EPOLL_CLOEXEC);
  net.scratch = g_malloc (SCRATCH_SIZE);

  if (net.epoll_fd < 0)
    g_error ("epoll_create1 failed: %s", g_strerror (errno));
}

BenchNetCounters *
bench_net_counters (void)
{
  return &net.counters;
}

void
bench_net_iterate (int timeout_ms)
{
  struct epoll_event events[MAX_EVENTS];
  int n = epoll_wait (net.epoll_fd, events, MAX_EVENTS, timeout_ms);

  for (int i = 0; i < n; i++)
    {
      int tag = *(int *) events[i].data.ptr;

      if (tag == TAG_WS)
        handle_conn_event (events[i].data.ptr, events[i].events);
      else
        handle_http_event (events[i].data.ptr, events[i].events);
    }
}
