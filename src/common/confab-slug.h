#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *confab_slug_jitsi_room (const char *room_name,
                              gint64      room_id);

G_END_DECLS
