/* cfs-counting-output-stream.c: an output stream that counts what reaches
 * the socket.
 *
 * libsoup 3.2 keeps a WebSocket's send queue private. This stream parses
 * the unmasked server frames as they are written and counts the bytes of
 * data frames, headers included. The owner reports each frame it queues,
 * and the difference is what still waits in libsoup's queue. Control
 * frames (pings, pongs, close) are not counted, because the owner does not
 * queue them itself.
 *
 * The stream also records when the queue was last empty. On Linux a socket
 * whose reader stopped still takes a few bytes now and then, as the kernel
 * grows its send buffer, so "no write for a while" does not find a stuck
 * reader but "not drained for a while" does.
 */
#define G_LOG_DOMAIN "confab-hub"

#include "config.h"

#include "cfs-counting-output-stream.h"

struct _CfsCountingOutputStream
{
  GFilterOutputStream parent_instance;

  guint64             queued;
  guint64             written;
  gint64              last_drained;

  /* Parser state of the outgoing frames. */
  guint8              header[10];
  gsize               header_len;
  guint64             payload_left;
  gboolean            in_data_frame;
};

static void cfs_counting_output_stream_pollable_iface_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CfsCountingOutputStream, cfs_counting_output_stream, G_TYPE_FILTER_OUTPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                      cfs_counting_output_stream_pollable_iface_init))

static GOutputStream *
get_base_stream (CfsCountingOutputStream *self)
{
  return g_filter_output_stream_get_base_stream (G_FILTER_OUTPUT_STREAM (self));
}

static gsize
get_header_size (CfsCountingOutputStream *self)
{
  guint8 length_code;

  if (self->header_len < 2)
    return 2;

  length_code = self->header[1] & 0x7f;
  if (length_code == 126)
    return 4;
  if (length_code == 127)
    return 10;

  return 2;
}

static void
finish_header (CfsCountingOutputStream *self)
{
  guint8 length_code = self->header[1] & 0x7f;
  guint64 length = length_code;

  if (length_code == 126)
    {
      length = ((guint64) self->header[2] << 8) | self->header[3];
    }
  else if (length_code == 127)
    {
      length = 0;
      for (guint i = 2; i < 10; i++)
        length = (length << 8) | self->header[i];
    }

  self->in_data_frame = (self->header[0] & 0x08) == 0;
  if (self->in_data_frame)
    self->written += self->header_len;

  self->payload_left = length;
  self->header_len = 0;
}

static void
count_written (CfsCountingOutputStream *self,
               const guint8            *data,
               gssize                   n)
{
  gsize length;

  if (n <= 0)
    return;

  for (length = n; length > 0;)
    {
      if (self->payload_left == 0)
        {
          self->header[self->header_len++] = *data;
          data++;
          length--;

          if (self->header_len == get_header_size (self))
            finish_header (self);
        }
      else
        {
          gsize chunk = (gsize) MIN ((guint64) length, self->payload_left);

          if (self->in_data_frame)
            self->written += chunk;

          self->payload_left -= chunk;
          data += chunk;
          length -= chunk;
        }
    }

  if (self->written >= self->queued)
    self->last_drained = g_get_monotonic_time ();
}

static gssize
write_nonblocking (GPollableOutputStream  *pollable,
                   const void             *buffer,
                   gsize                   count,
                   GError                **error)
{
  CfsCountingOutputStream *self = CFS_COUNTING_OUTPUT_STREAM (pollable);
  gssize n;

  n = g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (get_base_stream (self)),
                                                  buffer, count, NULL, error);
  count_written (self, buffer, n);

  return n;
}

static gssize
cfs_counting_output_stream_write (GOutputStream  *stream,
                                  const void     *buffer,
                                  gsize           count,
                                  GCancellable   *cancellable,
                                  GError        **error)
{
  CfsCountingOutputStream *self = CFS_COUNTING_OUTPUT_STREAM (stream);
  gssize n;

  n = g_output_stream_write (get_base_stream (self), buffer, count, cancellable, error);
  count_written (self, buffer, n);

  return n;
}

static gboolean
is_writable (GPollableOutputStream *pollable)
{
  CfsCountingOutputStream *self = CFS_COUNTING_OUTPUT_STREAM (pollable);

  return g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (get_base_stream (self)));
}

static gboolean
can_poll (GPollableOutputStream *pollable)
{
  CfsCountingOutputStream *self = CFS_COUNTING_OUTPUT_STREAM (pollable);
  GOutputStream *base = get_base_stream (self);

  return G_IS_POLLABLE_OUTPUT_STREAM (base) &&
         g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (base));
}

static GSource *
create_source (GPollableOutputStream *pollable,
               GCancellable          *cancellable)
{
  CfsCountingOutputStream *self = CFS_COUNTING_OUTPUT_STREAM (pollable);
  g_autoptr(GSource) base_source = NULL;

  base_source = g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (get_base_stream (self)),
                                                        NULL);

  return g_pollable_source_new_full (pollable, base_source, cancellable);
}

static void
cfs_counting_output_stream_pollable_iface_init (GPollableOutputStreamInterface *iface)
{
  iface->can_poll = can_poll;
  iface->is_writable = is_writable;
  iface->create_source = create_source;
  iface->write_nonblocking = write_nonblocking;
}

static void
cfs_counting_output_stream_class_init (CfsCountingOutputStreamClass *klass)
{
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  stream_class->write_fn = cfs_counting_output_stream_write;
}

static void
cfs_counting_output_stream_init (CfsCountingOutputStream *self)
{
  self->last_drained = g_get_monotonic_time ();
}

CfsCountingOutputStream *
cfs_counting_output_stream_new (GOutputStream *base_stream)
{
  g_return_val_if_fail (G_IS_POLLABLE_OUTPUT_STREAM (base_stream), NULL);

  return g_object_new (CFS_TYPE_COUNTING_OUTPUT_STREAM,
                       "base-stream", base_stream,
                       NULL);
}

guint64
cfs_counting_output_stream_get_written (CfsCountingOutputStream *self)
{
  g_return_val_if_fail (CFS_IS_COUNTING_OUTPUT_STREAM (self), 0);

  return self->written;
}

void
cfs_counting_output_stream_add_queued (CfsCountingOutputStream *self,
                                       gsize                    frame_size)
{
  g_return_if_fail (CFS_IS_COUNTING_OUTPUT_STREAM (self));

  /* An empty queue was drained until now. */
  if (self->written >= self->queued)
    self->last_drained = g_get_monotonic_time ();

  self->queued += frame_size;
}

guint64
cfs_counting_output_stream_get_pending (CfsCountingOutputStream *self)
{
  g_return_val_if_fail (CFS_IS_COUNTING_OUTPUT_STREAM (self), 0);

  return self->queued > self->written ? self->queued - self->written : 0;
}

gint64
cfs_counting_output_stream_get_last_drained (CfsCountingOutputStream *self)
{
  g_return_val_if_fail (CFS_IS_COUNTING_OUTPUT_STREAM (self), 0);

  if (self->written >= self->queued)
    return g_get_monotonic_time ();

  return self->last_drained;
}
