/* confab-delete-room.h: deleting a room after the user confirms it */
#pragma once

#include <adwaita.h>

#include "confab-api.h"

G_BEGIN_DECLS

void     confab_delete_room_async  (GtkWindow            *parent,
                                    ConfabApi            *api,
                                    gint64                room_id,
                                    const char           *room_name,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
gboolean confab_delete_room_finish (ConfabApi            *api,
                                    GAsyncResult         *result,
                                    GError              **error);

G_END_DECLS
