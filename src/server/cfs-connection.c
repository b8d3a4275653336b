/* cfs-connection.c: one client's WebSocket: limits, keepalive, pending
 * output and rate limits.
 *
 * The connection runs on the stream that SoupServer hands over after the
 * upgrade, wrapped in two filters. CfsFrameInputStream bounds whole
 * messages, because libsoup 3.2 bounds only frames, and records when bytes
 * last arrived. CfsCountingOutputStream counts the data bytes that reach
 * the socket, because libsoup 3.2 keeps its send queue private.
 *
 * Keepalive: libsoup sends a ping every ping_interval_s and replies to the
 * client's pings itself, but version 3.2 has no pong timeout. Any bytes
 * from the client, a pong included, count as a sign of life; the hub calls
 * cfs_connection_check_alive() every second, and a connection silent for
 * pong_timeout_s is closed. A connection whose queued output has not
 * drained for as long, or is over max_pending_output, is closed with
 * CONFAB_CLOSE_SLOW_CONSUMER. Pending output counts the bytes in libsoup's
 * queue only: the socket's kernel buffer is bounded by the kernel
 * (net.ipv4.tcp_wmem) and does not grow the server's heap.
 */
#define G_LOG_DOMAIN "confab-hub"

#include "config.h"

#include <string.h>

#include "confab-protocol.h"

#include "cfs-connection.h"
#include "cfs-counting-output-stream.h"
#include "cfs-frame-input-stream.h"

/* Rate-limited errors tolerated within RATE_ABUSE_WINDOW before the
 * connection is closed with 1008.
 */
#define RATE_ABUSE_COUNT   20
#define RATE_ABUSE_WINDOW  (10 * G_USEC_PER_SEC)

typedef struct {
  double per_second;
  double burst;
} RateSpec;

/* Kept in step with the limits table of docs/protocol.md. */
static const RateSpec rate_specs[CFS_N_RATES] = {
  [CFS_RATE_CHAT] = { 5.0, 10.0 },
  [CFS_RATE_HAND] = { 2.0, 5.0 },
  [CFS_RATE_NOTES] = { 5.0, 10.0 },
};

typedef struct {
  double tokens;
  gint64 refilled_at;
} TokenBucket;

struct _CfsConnection
{
  GObject                  parent_instance;

  guint64                  id;
  CfsUser                 *user;
  char                    *session_hash;
  const CfsConfig         *config;
  CfsWsCounters           *counters;

  GIOStream               *base_stream;
  CfsFrameInputStream     *input;
  CfsCountingOutputStream *output;
  SoupWebsocketConnection *websocket;

  gint64                   session_expiry;
  gint64                   room_id;
  gboolean                 watching_lobby;
  gboolean                 closing;
  gboolean                 timed_out;
  gboolean                 closed_emitted;
  guint                    closed_source;

  TokenBucket              buckets[CFS_N_RATES];
  gint64                   rate_errors[RATE_ABUSE_COUNT];
  guint                    rate_error_next;
};

G_DEFINE_FINAL_TYPE (CfsConnection, cfs_connection, G_TYPE_OBJECT)

enum {
  MESSAGE,
  CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static guint64 next_connection_id = 1;

static gsize
get_frame_size (gsize payload_length)
{
  if (payload_length < 126)
    return 2 + payload_length;
  if (payload_length < 65536)
    return 4 + payload_length;

  return 10 + payload_length;
}

static void
emit_closed (CfsConnection *self)
{
  self->closing = TRUE;
  g_clear_handle_id (&self->closed_source, g_source_remove);

  if (self->closed_emitted)
    return;

  self->closed_emitted = TRUE;
  g_signal_emit (self, signals[CLOSED], 0);
}

static gboolean
emit_closed_cb (gpointer user_data)
{
  CfsConnection *self = user_data;

  self->closed_source = 0;
  emit_closed (self);

  return G_SOURCE_REMOVE;
}

/* Stops all input and output at once, and emits "closed" from an idle
 * callback, so that a close decided while the hub walks its connections
 * or a room's participants does not change them under its feet. libsoup
 * may take a few more seconds to finish the closing handshake, but the hub
 * drops the connection on the next main-loop turn.
 */
static void
mark_closing (CfsConnection *self)
{
  if (self->closing)
    return;

  self->closing = TRUE;
  self->closed_source = g_idle_add_full (G_PRIORITY_DEFAULT, emit_closed_cb,
                                         g_object_ref (self), g_object_unref);
}

/* Finds the requestId of a message that failed validation, so that the
 * error can carry it; NULL when the message has none that is valid.
 */
static char *
dup_request_id (const char *data,
                gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;
  const char *request_id;

  if (!json_parser_load_from_data (parser, data, length, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  request_id = json_object_get_string_member_with_default (json_node_get_object (root),
                                                           "requestId", NULL);
  if (request_id == NULL || strlen (request_id) == 0 || strlen (request_id) > CONFAB_REQUEST_ID_MAX)
    return NULL;

  return g_strdup (request_id);
}

static void
record_rate_error (CfsConnection *self)
{
  gint64 now = g_get_monotonic_time ();
  gint64 oldest;

  self->counters->rate_limited++;

  /* rate_errors is a ring of the last RATE_ABUSE_COUNT error times. */
  oldest = self->rate_errors[self->rate_error_next];
  self->rate_errors[self->rate_error_next] = now;
  self->rate_error_next = (self->rate_error_next + 1) % RATE_ABUSE_COUNT;

  if (oldest != 0 && now - oldest < RATE_ABUSE_WINDOW)
    {
      g_message ("Closing connection %" G_GUINT64_FORMAT " of user %" G_GINT64_FORMAT
                 ": %d rate-limited messages within 10 s",
                 self->id, self->user->id, RATE_ABUSE_COUNT);
      cfs_connection_close (self, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                            "Too many messages: slow down and reconnect.");
    }
}

static void
on_websocket_message_cb (SoupWebsocketConnection *websocket,
                         SoupWebsocketDataType    data_type,
                         GBytes                  *message,
                         gpointer                 user_data)
{
  CfsConnection *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = NULL;
  const char *data;
  const char *type = NULL;
  gsize length;

  if (self->closing)
    return;

  self->counters->messages_in++;
  data = g_bytes_get_data (message, &length);

  if (data_type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      cfs_connection_send_error (self, NULL, CONFAB_ERR_INVALID_JSON,
                                 "Messages must be JSON text frames, not binary frames.");
      return;
    }

  object = confab_protocol_parse_client_message (data, length, &type, &error);
  if (object == NULL)
    {
      g_autofree char *request_id = dup_request_id (data, length);

      g_debug ("Connection %" G_GUINT64_FORMAT ": rejected message: %s", self->id, error->message);
      cfs_connection_send_error (self, request_id,
                                 confab_protocol_error_code (error->code), error->message);
      return;
    }

  g_signal_emit (self, signals[MESSAGE], 0, object, type);
}

static void
on_message_too_large_cb (CfsFrameInputStream *input,
                         gpointer             user_data)
{
  CfsConnection *self = user_data;

  g_message ("Closing connection %" G_GUINT64_FORMAT " of user %" G_GINT64_FORMAT
             ": a message over %d bytes", self->id, self->user->id, CONFAB_WS_MAX_MESSAGE);
  cfs_connection_close (self, SOUP_WEBSOCKET_CLOSE_TOO_BIG,
                        "Messages may be at most 98304 bytes.");
}

static void
on_websocket_error_cb (SoupWebsocketConnection *websocket,
                       GError                  *error,
                       gpointer                 user_data)
{
  CfsConnection *self = user_data;

  g_debug ("Connection %" G_GUINT64_FORMAT ": %s", self->id, error->message);
}

static void
on_websocket_closed_cb (SoupWebsocketConnection *websocket,
                        gpointer                 user_data)
{
  CfsConnection *self = user_data;

  g_debug ("Connection %" G_GUINT64_FORMAT " closed with code %u",
           self->id, soup_websocket_connection_get_close_code (websocket));

  /* The hub drops the connection before the socket closes, so a client
   * that saw the close finds the hub's state already updated.
   */
  emit_closed (self);

  /* The filters do not close their base streams; this closes the socket. */
  g_io_stream_close (self->base_stream, NULL, NULL);

  /* Drops the reference that kept the connection alive while libsoup
   * finished the closing handshake.
   */
  g_object_unref (self);
}

static void
cfs_connection_dispose (GObject *object)
{
  CfsConnection *self = CFS_CONNECTION (object);

  g_clear_handle_id (&self->closed_source, g_source_remove);

  if (self->websocket != NULL)
    g_signal_handlers_disconnect_by_data (self->websocket, self);
  if (self->input != NULL)
    g_signal_handlers_disconnect_by_data (self->input, self);

  g_clear_object (&self->websocket);
  g_clear_object (&self->input);
  g_clear_object (&self->output);
  g_clear_object (&self->base_stream);

  G_OBJECT_CLASS (cfs_connection_parent_class)->dispose (object);
}

static void
cfs_connection_finalize (GObject *object)
{
  CfsConnection *self = CFS_CONNECTION (object);

  g_clear_pointer (&self->user, cfs_user_free);
  g_free (self->session_hash);

  G_OBJECT_CLASS (cfs_connection_parent_class)->finalize (object);
}

static void
cfs_connection_class_init (CfsConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cfs_connection_dispose;
  object_class->finalize = cfs_connection_finalize;

  /**
   * CfsConnection::message:
   * @message: a client message that passed confab_protocol_parse_client_message()
   * @type: its type
   */
  signals[MESSAGE] =
    g_signal_new ("message",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  JSON_TYPE_OBJECT, G_TYPE_STRING);

  /**
   * CfsConnection::closed:
   *
   * Emitted once, on the main-loop turn after the server started closing
   * the connection, or when the peer has closed it.
   */
  signals[CLOSED] =
    g_signal_new ("closed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
cfs_connection_init (CfsConnection *self)
{
  self->id = next_connection_id++;
}

/**
 * cfs_connection_new:
 * @stream: the stream taken over from the upgraded request
 * @counters: the hub's counters, which must outlive the connection
 *
 * Starts a server WebSocket on @stream. The connection keeps itself alive
 * until the socket is closed.
 */
CfsConnection *
cfs_connection_new (GIOStream       *stream,
                    GUri            *uri,
                    const CfsUser   *user,
                    const char      *session_hash,
                    const CfsConfig *config,
                    CfsWsCounters   *counters)
{
  CfsConnection *self;
  g_autoptr(GIOStream) filtered = NULL;
  gint64 now = g_get_monotonic_time ();

  g_return_val_if_fail (G_IS_IO_STREAM (stream), NULL);
  g_return_val_if_fail (user != NULL, NULL);

  self = g_object_new (CFS_TYPE_CONNECTION, NULL);
  self->user = cfs_user_copy (user);
  self->session_hash = g_strdup (session_hash);
  self->config = config;
  self->counters = counters;
  self->base_stream = g_object_ref (stream);

  for (guint i = 0; i < CFS_N_RATES; i++)
    {
      self->buckets[i].tokens = rate_specs[i].burst;
      self->buckets[i].refilled_at = now;
    }

  /* Wrap the stream. */
  self->input = cfs_frame_input_stream_new (g_io_stream_get_input_stream (stream),
                                            CONFAB_WS_MAX_MESSAGE);
  self->output = cfs_counting_output_stream_new (g_io_stream_get_output_stream (stream));
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (self->input), FALSE);
  g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (self->output), FALSE);
  filtered = g_simple_io_stream_new (G_INPUT_STREAM (self->input), G_OUTPUT_STREAM (self->output));

  /* Start the WebSocket. No extensions: permessage-deflate costs about
   * 290 KiB of zlib state per connection. The frame limit only backs up the
   * whole-message bound of the input filter.
   */
  self->websocket = soup_websocket_connection_new (filtered, uri, SOUP_WEBSOCKET_CONNECTION_SERVER,
                                                   NULL, NULL, NULL);
  soup_websocket_connection_set_max_incoming_payload_size (self->websocket, CONFAB_WS_MAX_MESSAGE + 1);
  soup_websocket_connection_set_keepalive_interval (self->websocket, config->ping_interval_s);

  g_signal_connect (self->websocket, "message", G_CALLBACK (on_websocket_message_cb), self);
  g_signal_connect (self->websocket, "error", G_CALLBACK (on_websocket_error_cb), self);
  g_signal_connect (self->websocket, "closed", G_CALLBACK (on_websocket_closed_cb), self);
  g_signal_connect (self->input, "message-too-large", G_CALLBACK (on_message_too_large_cb), self);

  /* Released in on_websocket_closed_cb(). */
  return g_object_ref (self);
}

guint64
cfs_connection_get_id (CfsConnection *self)
{
  g_return_val_if_fail (CFS_IS_CONNECTION (self), 0);

  return self->id;
}

const CfsUser *
cfs_connection_get_user (CfsConnection *self)
{
  g_return_val_if_fail (CFS_IS_CONNECTION (self), NULL);

  return self->user;
}

const char *
cfs_connection_get_session_hash (CfsConnection *self)
{
  g_return_val_if_fail (CFS_IS_CONNECTION (self), NULL);

  return self->session_hash;
}

gboolean
cfs_connection_is_open (CfsConnection *self)
{
  g_return_val_if_fail (CFS_IS_CONNECTION (self), FALSE);

  return !self->closing;
}

void
cfs_connection_set_session_expiry (CfsConnection *self,
                                   gint64         expires_at)
{
  g_return_if_fail (CFS_IS_CONNECTION (self));

  self->session_expiry = expires_at;
}

gboolean
cfs_connection_get_timed_out (CfsConnection *self)
{
  g_return_val_if_fail (CFS_IS_CONNECTION (self), FALSE);

  return self->timed_out;
}

gint64
cfs_connection_get_room_id (CfsConnection *self)
{
  g_return_val_if_fail (CFS_IS_CONNECTION (self), 0);

  return self->room_id;
}

void
cfs_connection_set_room_id (CfsConnection *self,
                            gint64         room_id)
{
  g_return_if_fail (CFS_IS_CONNECTION (self));

  self->room_id = room_id;
}

gboolean
cfs_connection_get_watching_lobby (CfsConnection *self)
{
  g_return_val_if_fail (CFS_IS_CONNECTION (self), FALSE);

  return self->watching_lobby;
}

void
cfs_connection_set_watching_lobby (CfsConnection *self,
                                   gboolean       watching)
{
  g_return_if_fail (CFS_IS_CONNECTION (self));

  self->watching_lobby = watching;
}

void
cfs_connection_send (CfsConnection *self,
                     GBytes        *message)
{
  guint64 pending;

  g_return_if_fail (CFS_IS_CONNECTION (self));
  g_return_if_fail (message != NULL);

  if (self->closing ||
      soup_websocket_connection_get_state (self->websocket) != SOUP_WEBSOCKET_STATE_OPEN)
    return;

  cfs_counting_output_stream_add_queued (self->output, get_frame_size (g_bytes_get_size (message)));
  soup_websocket_connection_send_message (self->websocket, SOUP_WEBSOCKET_DATA_TEXT, message);
  self->counters->messages_out++;

  pending = cfs_connection_get_pending_output (self);
  if (pending > self->config->max_pending_output)
    {
      g_message ("Closing connection %" G_GUINT64_FORMAT " of user %" G_GINT64_FORMAT
                 ": %" G_GUINT64_FORMAT " bytes of output pending",
                 self->id, self->user->id, pending);
      self->counters->dropped_clients++;
      cfs_connection_close (self, CONFAB_CLOSE_SLOW_CONSUMER,
                            "The client is not reading its messages.");
    }
}

void
cfs_connection_send_json (CfsConnection *self,
                          JsonBuilder   *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autoptr(GBytes) message = NULL;
  char *text;

  text = json_to_string (root, FALSE);
  message = g_bytes_new_take (text, strlen (text));
  cfs_connection_send (self, message);
}

/**
 * cfs_connection_send_error:
 * @request_id: (nullable): the requestId of the rejected message
 * @code: one of the CONFAB_ERR_ codes
 * @message: what went wrong and what to do, in English
 */
void
cfs_connection_send_error (CfsConnection *self,
                           const char    *request_id,
                           const char    *code,
                           const char    *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, CONFAB_MSG_ERROR);
  if (request_id != NULL)
    {
      json_builder_set_member_name (builder, "requestId");
      json_builder_add_string_value (builder, request_id);
    }
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);

  cfs_connection_send_json (self, builder);
}

gboolean
cfs_connection_take_token (CfsConnection *self,
                           CfsRateKind    kind,
                           const char    *request_id)
{
  TokenBucket *bucket;
  gint64 now = g_get_monotonic_time ();

  g_return_val_if_fail (CFS_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (kind < CFS_N_RATES, FALSE);

  bucket = &self->buckets[kind];
  bucket->tokens = MIN (rate_specs[kind].burst,
                        bucket->tokens + rate_specs[kind].per_second * (now - bucket->refilled_at) / G_USEC_PER_SEC);
  bucket->refilled_at = now;

  if (bucket->tokens >= 1.0)
    {
      bucket->tokens -= 1.0;
      return TRUE;
    }

  cfs_connection_send_error (self, request_id, CONFAB_ERR_RATE_LIMITED,
                             "Too many messages of this kind: wait a moment and send it again.");
  record_rate_error (self);

  return FALSE;
}

guint64
cfs_connection_get_pending_output (CfsConnection *self)
{
  g_return_val_if_fail (CFS_IS_CONNECTION (self), 0);

  return cfs_counting_output_stream_get_pending (self->output);
}

void
cfs_connection_check_alive (CfsConnection *self,
                            gint64         now)
{
  gint64 timeout = (gint64) self->config->pong_timeout_s * G_USEC_PER_SEC;

  g_return_if_fail (CFS_IS_CONNECTION (self));

  if (self->closing)
    return;

  if (self->session_expiry != 0 && g_get_real_time () / G_USEC_PER_SEC >= self->session_expiry)
    {
      g_message ("Closing connection %" G_GUINT64_FORMAT " of user %" G_GINT64_FORMAT
                 ": the session expired", self->id, self->user->id);
      cfs_connection_close (self, CONFAB_CLOSE_SESSION_ENDED, CONFAB_SESSION_END_EXPIRED);
      return;
    }

  if (now - cfs_frame_input_stream_get_last_read (self->input) > timeout)
    {
      g_message ("Closing connection %" G_GUINT64_FORMAT " of user %" G_GINT64_FORMAT
                 ": no traffic for %u s", self->id, self->user->id, self->config->pong_timeout_s);
      self->counters->dropped_clients++;
      self->timed_out = TRUE;
      cfs_connection_close (self, SOUP_WEBSOCKET_CLOSE_GOING_AWAY,
                            "No reply to pings.");
      return;
    }

  if (now - cfs_counting_output_stream_get_last_drained (self->output) > timeout)
    {
      g_message ("Closing connection %" G_GUINT64_FORMAT " of user %" G_GINT64_FORMAT
                 ": output not drained for %u s", self->id, self->user->id, self->config->pong_timeout_s);
      self->counters->dropped_clients++;
      cfs_connection_close (self, CONFAB_CLOSE_SLOW_CONSUMER,
                            "The client is not reading its messages.");
    }
}

void
cfs_connection_close (CfsConnection *self,
                      gushort        code,
                      const char    *reason)
{
  g_return_if_fail (CFS_IS_CONNECTION (self));

  if (soup_websocket_connection_get_state (self->websocket) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->websocket, code, reason);

  mark_closing (self);
}
