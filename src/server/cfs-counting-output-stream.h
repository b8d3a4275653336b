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
guint64                  cfs_counting_output_stream_get_written    (CfsCountingOutputStream *self);

/* Returns the monotonic time (µs) of the last write that made progress. */
gint64                   cfs_counting_output_stream_get_last_write (CfsCountingOutputStream *self);

G_END_DECLS
