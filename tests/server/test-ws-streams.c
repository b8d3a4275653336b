/* test-ws-streams.c: the stream filters under the server's WebSockets. */
#include "config.h"

#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <string.h>
#include <unistd.h>

#include "cfs-counting-output-stream.h"
#include "cfs-frame-input-stream.h"

#define MAX_MESSAGE (96 * 1024)

/* Appends one frame; client frames are masked, server frames are not. */
static void
append_frame (GByteArray *out,
              guint8      opcode,
              gboolean    fin,
              gboolean    masked,
              gsize       length)
{
  const guint8 mask[4] = { 1, 2, 3, 4 };
  guint8 header[10];
  gsize header_length;

  header[0] = (fin ? 0x80 : 0) | opcode;
  if (length < 126)
    {
      header[1] = length;
      header_length = 2;
    }
  else if (length < 65536)
    {
      header[1] = 126;
      header[2] = length >> 8;
      header[3] = length & 0xff;
      header_length = 4;
    }
  else
    {
      header[1] = 127;
      for (guint i = 0; i < 8; i++)
        header[2 + i] = ((guint64) length >> (56 - 8 * i)) & 0xff;
      header_length = 10;
    }

  if (masked)
    header[1] |= 0x80;

  g_byte_array_append (out, header, header_length);
  if (masked)
    g_byte_array_append (out, mask, 4);

  for (gsize i = 0; i < length; i++)
    {
      guint8 byte = 'a' + i % 26;

      g_byte_array_append (out, &byte, 1);
    }
}

static void
count_signal_cb (CfsFrameInputStream *stream,
                 gpointer             user_data)
{
  guint *count = user_data;

  (*count)++;
}

/* Reads everything the filter passes on until the base would block. */
static void
drain_filter (CfsFrameInputStream *filter,
              GByteArray          *out)
{
  for (;;)
    {
      guint8 buffer[1000];
      g_autoptr(GError) error = NULL;
      gssize n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (filter),
                                                           buffer, sizeof buffer, NULL, &error);

      if (n <= 0)
        {
          if (n < 0)
            g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
          return;
        }

      g_byte_array_append (out, buffer, n);
    }
}

static void
iterate_pending (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static void
test_frame_input_passes_messages (void)
{
  g_autoptr(GByteArray) input = g_byte_array_new ();
  g_autoptr(GByteArray) output = g_byte_array_new ();
  g_autoptr(GInputStream) base = NULL;
  g_autoptr(CfsFrameInputStream) filter = NULL;
  guint signals = 0;

  /* A whole message, a fragmented one with a ping in between, and a
   * message of exactly the bound.
   */
  append_frame (input, 0x1, TRUE, TRUE, 20);
  append_frame (input, 0x1, FALSE, TRUE, 200);
  append_frame (input, 0x9, TRUE, TRUE, 4);
  append_frame (input, 0x0, TRUE, TRUE, 70000);
  append_frame (input, 0x1, TRUE, TRUE, MAX_MESSAGE);

  base = g_memory_input_stream_new_from_data (g_memdup2 (input->data, input->len), input->len, g_free);
  filter = cfs_frame_input_stream_new (base, MAX_MESSAGE);
  g_signal_connect (filter, "message-too-large", G_CALLBACK (count_signal_cb), &signals);

  drain_filter (filter, output);
  iterate_pending ();

  g_assert_cmpmem (output->data, output->len, input->data, input->len);
  g_assert_cmpuint (signals, ==, 0);
  g_assert_false (cfs_frame_input_stream_get_overflowed (filter));
}

static void
test_frame_input_drops_oversized (void)
{
  g_autoptr(GByteArray) input = g_byte_array_new ();
  g_autoptr(GByteArray) expected = g_byte_array_new ();
  g_autoptr(GByteArray) output = g_byte_array_new ();
  g_autoptr(GInputStream) base = NULL;
  g_autoptr(CfsFrameInputStream) filter = NULL;
  guint signals = 0;

  /* The first fragment fits; the second pushes the message over the bound,
   * so it and the final fragment are dropped. Control frames in between and
   * a later message still pass.
   */
  append_frame (input, 0x1, FALSE, TRUE, 60000);
  append_frame (expected, 0x1, FALSE, TRUE, 60000);
  append_frame (input, 0x0, FALSE, TRUE, 60000);
  append_frame (input, 0xA, TRUE, TRUE, 3);
  append_frame (expected, 0xA, TRUE, TRUE, 3);
  append_frame (input, 0x0, TRUE, TRUE, 10);
  append_frame (input, 0x8, TRUE, TRUE, 2);
  append_frame (expected, 0x8, TRUE, TRUE, 2);
  append_frame (input, 0x1, TRUE, TRUE, 5);
  append_frame (expected, 0x1, TRUE, TRUE, 5);

  base = g_memory_input_stream_new_from_data (g_memdup2 (input->data, input->len), input->len, g_free);
  filter = cfs_frame_input_stream_new (base, MAX_MESSAGE);
  g_signal_connect (filter, "message-too-large", G_CALLBACK (count_signal_cb), &signals);

  drain_filter (filter, output);

  /* The signal comes from an idle callback, not from inside the read. */
  g_assert_cmpuint (signals, ==, 0);
  iterate_pending ();

  g_assert_cmpmem (output->data, output->len, expected->data, expected->len);
  g_assert_cmpuint (signals, ==, 1);
  g_assert_true (cfs_frame_input_stream_get_overflowed (filter));
}

static void
test_frame_input_byte_by_byte (void)
{
  g_autoptr(GByteArray) input = g_byte_array_new ();
  g_autoptr(GByteArray) expected = g_byte_array_new ();
  g_autoptr(GByteArray) output = g_byte_array_new ();
  g_autoptr(GInputStream) base = NULL;
  g_autoptr(CfsFrameInputStream) filter = NULL;
  int fds[2];

  /* Headers of every length form, split across reads. */
  append_frame (input, 0x1, TRUE, TRUE, 5);
  append_frame (input, 0x1, TRUE, TRUE, 300);
  append_frame (input, 0x1, TRUE, TRUE, 100 * 1024);
  append_frame (input, 0x2, TRUE, TRUE, 1);
  append_frame (expected, 0x1, TRUE, TRUE, 5);
  append_frame (expected, 0x1, TRUE, TRUE, 300);
  append_frame (expected, 0x2, TRUE, TRUE, 1);

  g_assert_cmpint (pipe (fds), ==, 0);
  g_unix_set_fd_nonblocking (fds[0], TRUE, NULL);
  base = g_unix_input_stream_new (fds[0], TRUE);
  filter = cfs_frame_input_stream_new (base, MAX_MESSAGE);

  for (guint i = 0; i < input->len; i++)
    {
      g_assert_cmpint (write (fds[1], input->data + i, 1), ==, 1);
      drain_filter (filter, output);
    }

  close (fds[1]);
  iterate_pending ();
  g_assert_true (cfs_frame_input_stream_get_overflowed (filter));
  g_assert_cmpmem (output->data, output->len, expected->data, expected->len);
}

static void
test_counting_output_data_frames (void)
{
  g_autoptr(GByteArray) frames = g_byte_array_new ();
  g_autoptr(GOutputStream) base = g_memory_output_stream_new_resizable ();
  g_autoptr(CfsCountingOutputStream) counter = cfs_counting_output_stream_new (base);
  gsize expected;

  append_frame (frames, 0x1, TRUE, FALSE, 10);
  append_frame (frames, 0x9, TRUE, FALSE, 4);
  append_frame (frames, 0x1, TRUE, FALSE, 300);
  append_frame (frames, 0xA, TRUE, FALSE, 0);
  append_frame (frames, 0x1, TRUE, FALSE, 70000);
  expected = (2 + 10) + (4 + 300) + (10 + 70000);

  /* The owner reports the data frames it queues, not the control frames. */
  cfs_counting_output_stream_add_queued (counter, 2 + 10);
  cfs_counting_output_stream_add_queued (counter, 4 + 300);
  cfs_counting_output_stream_add_queued (counter, 10 + 70000);
  g_assert_cmpuint (cfs_counting_output_stream_get_pending (counter), ==, expected);

  /* Seven bytes at a time, so headers split across writes. */
  for (gsize offset = 0; offset < frames->len; offset += 7)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (counter),
                                                             frames->data + offset,
                                                             MIN (7, frames->len - offset),
                                                             NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (n, ==, MIN (7, frames->len - offset));
    }

  g_assert_cmpuint (cfs_counting_output_stream_get_written (counter), ==, expected);
  g_assert_cmpuint (cfs_counting_output_stream_get_pending (counter), ==, 0);
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (base)), ==, frames->len);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/frame-input-stream/passes-messages", test_frame_input_passes_messages);
  g_test_add_func ("/server/frame-input-stream/drops-oversized", test_frame_input_drops_oversized);
  g_test_add_func ("/server/frame-input-stream/byte-by-byte", test_frame_input_byte_by_byte);
  g_test_add_func ("/server/counting-output-stream/data-frames", test_counting_output_data_frames);

  return g_test_run ();
}
