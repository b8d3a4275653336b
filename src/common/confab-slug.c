/* confab-slug.c: the Jitsi room name of a Confab room.
 *
 * Jitsi's web client lowercases room names with full Unicode rules,
 * NFKC-normalises and percent-encodes them, while Prosody lowercases the
 * token's `room` claim with an ASCII-only lower. Any non-ASCII or upper-case
 * letter can therefore make the claim and the joined room differ. The slug
 * keeps only [a-z0-9-], so both sides see the same bytes, and ends with the
 * room id, so that two rooms never share a Jitsi room.
 */
#include "config.h"

#include "confab-slug.h"

/* Keeps meeting URLs readable; the id suffix keeps slugs unique anyway. */
#define SLUG_MAX_NAME_CHARS 40

/**
 * confab_slug_jitsi_room:
 * @room_name: the room's display name, UTF-8
 * @room_id: the room's id, positive
 *
 * Derives the Jitsi room name: the display name transliterated to ASCII
 * (accents dropped), lowercased, runs of anything but letters and digits
 * turned into one dash, trimmed to 40 characters, then `-<id>`. A name with
 * nothing left after this gives `room-<id>`.
 *
 * Returns: (transfer full): the slug
 */
char *
confab_slug_jitsi_room (const char *room_name,
                        gint64      room_id)
{
  g_autofree char *normalized = NULL;
  g_autofree char *ascii = NULL;
  g_autoptr(GString) slug = g_string_new (NULL);
  gboolean pending_dash = FALSE;

  g_return_val_if_fail (room_name != NULL, NULL);
  g_return_val_if_fail (room_id > 0, NULL);

  /* NFC first, so that decomposed and precomposed accents give the same
   * result; g_str_to_ascii() then drops the accents.
   */
  normalized = g_utf8_normalize (room_name, -1, G_NORMALIZE_NFC);
  if (normalized == NULL)
    normalized = g_strdup ("");
  ascii = g_str_to_ascii (normalized, "C");

  for (const char *p = ascii; *p != '\0' && slug->len < SLUG_MAX_NAME_CHARS; p++)
    {
      if (g_ascii_isalnum (*p))
        {
          if (pending_dash && slug->len > 0)
            g_string_append_c (slug, '-');
          g_string_append_c (slug, g_ascii_tolower (*p));
          pending_dash = FALSE;
        }
      else
        {
          pending_dash = TRUE;
        }
    }

  if (slug->len == 0)
    g_string_append (slug, "room");

  g_string_append_printf (slug, "-%" G_GINT64_FORMAT, room_id);

  return g_string_free (g_steal_pointer (&slug), FALSE);
}
