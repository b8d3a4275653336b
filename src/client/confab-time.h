/* confab-time.h: dates and times as the client shows them */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *confab_time_format_date_time (gint64 unix_time);
char *confab_time_format_clock     (gint64 unix_time);

G_END_DECLS
