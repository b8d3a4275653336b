/* confab-time.c: dates and times as the client shows them
 *
 * Every date in the client goes through one translatable format, so that
 * the lobby, the People dialog, the chat and the history read alike.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "confab-time.h"

/**
 * confab_time_format_date_time:
 * @unix_time: seconds since the Unix epoch
 *
 * Formats @unix_time as a date and time in the user's time zone, such as
 * "Dec 5, 2026 01:05".
 *
 * Returns: (transfer full): the text, or "?" when @unix_time is out of range
 */
char *
confab_time_format_date_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  if (time == NULL)
    return g_strdup ("?");

  /* Translators: a date and time as g_date_time_format() writes it, such
   * as "Jan 5, 2026 14:30".
   */
  return g_date_time_format (time, _("%b %-d, %Y %H:%M"));
}

/**
 * confab_time_format_clock:
 * @unix_time: seconds since the Unix epoch
 *
 * Formats @unix_time as a time of day in the user's time zone, such as
 * "14:30", for times of today.
 *
 * Returns: (transfer full): the text, or "?" when @unix_time is out of range
 */
char *
confab_time_format_clock (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  if (time == NULL)
    return g_strdup ("?");

  /* Translators: a time of day as g_date_time_format() writes it. */
  return g_date_time_format (time, _("%H:%M"));
}
