/* cfs-frame-input-stream.h: the server side of a WebSocket's input, with a
 * bound on whole messages.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CFS_TYPE_FRAME_INPUT_STREAM (cfs_frame_input_stream_get_type ())
G_DECLARE_FINAL_TYPE (CfsFrameInputStream, cfs_frame_input_stream, CFS, FRAME_INPUT_STREAM, GFilterInputStream)

CfsFrameInputStream *cfs_frame_input_stream_new               (GInputStream        *base_stream,
                                                               gsize                max_message);

/* Returns the monotonic time (µs) at which bytes last arrived. */
gint64               cfs_frame_input_stream_get_last_read     (CfsFrameInputStream *self);

/* Returns whether a message over the bound was seen and dropped. */
gboolean             cfs_frame_input_stream_get_overflowed    (CfsFrameInputStream *self);

G_END_DECLS
