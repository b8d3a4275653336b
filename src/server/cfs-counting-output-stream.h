/* cfs-counting-output-stream.h: an output stream that counts what reaches
 * the socket.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CFS_TYPE_COUNTING_OUTPUT_STREAM (cfs_counting_output_stream_get_type ())
G_DECLARE_FINAL_TYPE (CfsCountingOutputStream, cfs_counting_output_stream, CFS, COUNTING_OUTPUT_STREAM, GFilterOutputStream)

CfsCountingOutputStream *cfs_counting_output_stream_new            (GOutputStream           *base_stream);

/* Returns the bytes of data frames (text, binary, continuation), headers
 * included, written to the base stream so far.
 */
guint64                  cfs_counting_output_stream_get_written      (CfsCountingOutputStream *self);

/* Records that a data frame of @frame_size bytes, header included, was
 * queued for this stream.
 */
void                     cfs_counting_output_stream_add_queued       (CfsCountingOutputStream *self,
                                                                      gsize                    frame_size);

/* Returns the queued bytes that have not been written yet. */
guint64                  cfs_counting_output_stream_get_pending      (CfsCountingOutputStream *self);

/* Returns the monotonic time (µs) at which nothing was pending last. */
gint64                   cfs_counting_output_stream_get_last_drained (CfsCountingOutputStream *self);

G_END_DECLS
