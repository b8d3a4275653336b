/* cfs-frame-input-stream.c: the server side of a WebSocket's input, with a
 * bound on whole messages.
 *
 * libsoup 3.2.3 (Debian 12) checks max-incoming-payload-size per frame, in
 * process_frame(), and appends continuation frames to the message it is
 * reassembling without any total limit. A single frame over the limit makes
 * it drop the socket without a close frame, which a test showed as a
 * connection reset on the client. So neither memory nor the client's view
 * is bounded by libsoup alone.
 *
 * This stream sits between the socket and SoupWebsocketConnection and
 * parses the RFC 6455 frame headers as the bytes pass. Once the frames of
 * one data message add up to more than the bound, the rest of that message
 * (headers and payloads, up to its final fragment) never reaches libsoup.
 * The stream then emits "message-too-large", so that the owner can close
 * the connection with 1009. Control frames always pass, so the client's
 * close frame still completes the closing handshake. libsoup thus buffers
 * at most the bound for one message, plus the frame it is reading.
 *
 * The stream also records when bytes last arrived: any frame, including a
 * pong to libsoup's keepalive ping, shows that the peer is alive.
 */
#define G_LOG_DOMAIN "confab-hub"

#include "config.h"

#include <string.h>

#include "cfs-frame-input-stream.h"

#define SCRATCH_SIZE   (16 * 1024)
#define MAX_HEADER     14

/* A drained buffer larger than this is freed rather than kept, so that an
 * idle connection costs little memory after a large message.
 */
#define KEEP_READY_MAX 4096

typedef enum {
  PARSE_HEADER,
  PARSE_PAYLOAD,
} ParseState;

struct _CfsFrameInputStream
{
  GFilterInputStream  parent_instance;

  gsize               max_message;

  ParseState          state;
  guint8              header[MAX_HEADER];
  gsize               header_len;
  guint64             payload_left;
  gboolean            dropping_frame;
  gboolean            dropping_message;
  guint64             message_total;

  /* Parsed bytes that libsoup has not read yet. */
  GByteArray         *ready;
  gsize               ready_offset;

  gint64              last_read;
  gboolean            overflowed;
  GSource            *notify_source;
};

static void cfs_frame_input_stream_pollable_iface_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CfsFrameInputStream, cfs_frame_input_stream, G_TYPE_FILTER_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      cfs_frame_input_stream_pollable_iface_init))

enum {
  MESSAGE_TOO_LARGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GInputStream *
get_base_stream (CfsFrameInputStream *self)
{
  return g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (self));
}

static gsize
count_ready (CfsFrameInputStream *self)
{
  return self->ready->len - self->ready_offset;
}

static gsize
take_ready (CfsFrameInputStream *self,
            void                *buffer,
            gsize                count)
{
  gsize n = MIN (count, count_ready (self));

  memcpy (buffer, self->ready->data + self->ready_offset, n);
  self->ready_offset += n;

  if (self->ready_offset == self->ready->len)
    {
      if (self->ready->len > KEEP_READY_MAX)
        {
          g_byte_array_unref (self->ready);
          self->ready = g_byte_array_new ();
        }
      else
        {
          g_byte_array_set_size (self->ready, 0);
        }

      self->ready_offset = 0;
    }

  return n;
}

/* Returns the size of the frame header being collected: 2 bytes, plus the
 * extended length, plus the masking key.
 */
static gsize
get_header_size (CfsFrameInputStream *self)
{
  guint8 length_code;
  gsize size = 2;

  if (self->header_len < 2)
    return 2;

  length_code = self->header[1] & 0x7f;
  if (length_code == 126)
    size += 2;
  else if (length_code == 127)
    size += 8;

  if (self->header[1] & 0x80)
    size += 4;

  return size;
}

static guint64
get_payload_length (CfsFrameInputStream *self)
{
  guint8 length_code = self->header[1] & 0x7f;
  guint64 length = 0;

  if (length_code < 126)
    return length_code;

  if (length_code == 126)
    return ((guint64) self->header[2] << 8) | self->header[3];

  for (guint i = 2; i < 10; i++)
    length = (length << 8) | self->header[i];

  return length;
}

static gboolean
emit_message_too_large_cb (gpointer user_data)
{
  CfsFrameInputStream *self = user_data;

  g_clear_pointer (&self->notify_source, g_source_unref);
  g_signal_emit (self, signals[MESSAGE_TOO_LARGE], 0);

  return G_SOURCE_REMOVE;
}

/* The signal is emitted from an idle callback, not from inside libsoup's
 * read loop, so that its handler may close the connection.
 */
static void
report_overflow (CfsFrameInputStream *self)
{
  if (self->overflowed)
    return;

  self->overflowed = TRUE;
  self->notify_source = g_idle_source_new ();
  g_source_set_callback (self->notify_source, emit_message_too_large_cb,
                         g_object_ref (self), g_object_unref);
  g_source_set_static_name (self->notify_source, "[confab] message too large");
  g_source_attach (self->notify_source, g_main_context_get_thread_default ());
}

/* Decides, once a frame header is complete, whether the frame goes on to
 * libsoup or is dropped with the rest of its message.
 */
static void
finish_header (CfsFrameInputStream *self)
{
  gboolean fin = (self->header[0] & 0x80) != 0;
  guint8 opcode = self->header[0] & 0x0f;
  gboolean control = (opcode & 0x08) != 0;
  guint64 payload_length = get_payload_length (self);
  gboolean drop = FALSE;

  if (!control)
    {
      if (opcode != 0)
        {
          self->message_total = 0;
          self->dropping_message = FALSE;
        }

      if (self->dropping_message)
        {
          drop = TRUE;
        }
      else if (payload_length > self->max_message - self->message_total)
        {
          drop = TRUE;
          self->dropping_message = TRUE;
          report_overflow (self);
        }
      else
        {
          self->message_total += payload_length;
        }

      if (fin)
        self->dropping_message = FALSE;
    }

  if (!drop)
    g_byte_array_append (self->ready, self->header, self->header_len);

  self->dropping_frame = drop;
  self->payload_left = payload_length;
  self->header_len = 0;
  self->state = payload_length > 0 ? PARSE_PAYLOAD : PARSE_HEADER;
}

static void
parse_bytes (CfsFrameInputStream *self,
             const guint8        *data,
             gsize                length)
{
  while (length > 0)
    {
      if (self->state == PARSE_HEADER)
        {
          self->header[self->header_len++] = *data;
          data++;
          length--;

          if (self->header_len == get_header_size (self))
            finish_header (self);
        }
      else
        {
          gsize n = (gsize) MIN ((guint64) length, self->payload_left);

          if (!self->dropping_frame)
            g_byte_array_append (self->ready, data, n);

          self->payload_left -= n;
          data += n;
          length -= n;

          if (self->payload_left == 0)
            self->state = PARSE_HEADER;
        }
    }
}

static gssize
read_nonblocking (GPollableInputStream  *pollable,
                  void                  *buffer,
                  gsize                  count,
                  GError               **error)
{
  CfsFrameInputStream *self = CFS_FRAME_INPUT_STREAM (pollable);
  GPollableInputStream *base = G_POLLABLE_INPUT_STREAM (get_base_stream (self));
  guint8 scratch[SCRATCH_SIZE];

  /* Bytes that were dropped or held back as part of a header do not count
   * as a read, so keep reading until some can be returned.
   */
  while (count_ready (self) == 0)
    {
      gssize n = g_pollable_input_stream_read_nonblocking (base, scratch, sizeof scratch, NULL, error);

      if (n <= 0)
        return n;

      self->last_read = g_get_monotonic_time ();
      parse_bytes (self, scratch, n);
    }

  return take_ready (self, buffer, count);
}

static gssize
cfs_frame_input_stream_read (GInputStream  *stream,
                             void          *buffer,
                             gsize          count,
                             GCancellable  *cancellable,
                             GError       **error)
{
  CfsFrameInputStream *self = CFS_FRAME_INPUT_STREAM (stream);
  guint8 scratch[SCRATCH_SIZE];

  while (count_ready (self) == 0)
    {
      gssize n = g_input_stream_read (get_base_stream (self), scratch, sizeof scratch, cancellable, error);

      if (n <= 0)
        return n;

      self->last_read = g_get_monotonic_time ();
      parse_bytes (self, scratch, n);
    }

  return take_ready (self, buffer, count);
}

static gssize
cfs_frame_input_stream_skip (GInputStream  *stream,
                             gsize          count,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autofree guint8 *buffer = g_malloc (MIN (count, SCRATCH_SIZE));

  return cfs_frame_input_stream_read (stream, buffer, MIN (count, SCRATCH_SIZE), cancellable, error);
}

static gboolean
is_readable (GPollableInputStream *pollable)
{
  CfsFrameInputStream *self = CFS_FRAME_INPUT_STREAM (pollable);

  return count_ready (self) > 0 ||
         g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (get_base_stream (self)));
}

static gboolean
can_poll (GPollableInputStream *pollable)
{
  CfsFrameInputStream *self = CFS_FRAME_INPUT_STREAM (pollable);
  GInputStream *base = get_base_stream (self);

  return G_IS_POLLABLE_INPUT_STREAM (base) &&
         g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (base));
}

static GSource *
create_source (GPollableInputStream *pollable,
               GCancellable         *cancellable)
{
  CfsFrameInputStream *self = CFS_FRAME_INPUT_STREAM (pollable);
  g_autoptr(GSource) base_source = NULL;

  /* Parsed bytes waiting here make the stream readable at once. */
  if (count_ready (self) > 0)
    base_source = g_timeout_source_new (0);
  else
    base_source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (get_base_stream (self)),
                                                         NULL);

  return g_pollable_source_new_full (pollable, base_source, cancellable);
}

static void
cfs_frame_input_stream_pollable_iface_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = can_poll;
  iface->is_readable = is_readable;
  iface->create_source = create_source;
  iface->read_nonblocking = read_nonblocking;
}

static void
cfs_frame_input_stream_finalize (GObject *object)
{
  CfsFrameInputStream *self = CFS_FRAME_INPUT_STREAM (object);

  if (self->notify_source != NULL)
    {
      g_source_destroy (self->notify_source);
      g_source_unref (self->notify_source);
    }

  g_byte_array_unref (self->ready);

  G_OBJECT_CLASS (cfs_frame_input_stream_parent_class)->finalize (object);
}

static void
cfs_frame_input_stream_class_init (CfsFrameInputStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = cfs_frame_input_stream_finalize;
  stream_class->read_fn = cfs_frame_input_stream_read;
  stream_class->skip = cfs_frame_input_stream_skip;

  /**
   * CfsFrameInputStream::message-too-large:
   *
   * Emitted once, from an idle callback, when the frames of one message
   * add up to more than the bound; the message was dropped.
   */
  signals[MESSAGE_TOO_LARGE] =
    g_signal_new ("message-too-large",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
cfs_frame_input_stream_init (CfsFrameInputStream *self)
{
  self->ready = g_byte_array_new ();
  self->last_read = g_get_monotonic_time ();
}

/**
 * cfs_frame_input_stream_new:
 * @base_stream: a pollable stream of client frames
 * @max_message: the most payload bytes one message may carry, all its
 *   frames together
 */
CfsFrameInputStream *
cfs_frame_input_stream_new (GInputStream *base_stream,
                            gsize         max_message)
{
  CfsFrameInputStream *self;

  g_return_val_if_fail (G_IS_POLLABLE_INPUT_STREAM (base_stream), NULL);

  self = g_object_new (CFS_TYPE_FRAME_INPUT_STREAM,
                       "base-stream", base_stream,
                       NULL);
  self->max_message = max_message;

  return self;
}

gint64
cfs_frame_input_stream_get_last_read (CfsFrameInputStream *self)
{
  g_return_val_if_fail (CFS_IS_FRAME_INPUT_STREAM (self), 0);

  return self->last_read;
}

gboolean
cfs_frame_input_stream_get_overflowed (CfsFrameInputStream *self)
{
  g_return_val_if_fail (CFS_IS_FRAME_INPUT_STREAM (self), FALSE);

  return self->overflowed;
}
