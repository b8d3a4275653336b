/* confab-account-fields.c: client-side checks of account fields
 *
 * Each check applies the limits that confab-server applies to an account
 * (docs/protocol.md, "Accounts"). It returns a message for the user that
 * names the field by its label, so a form rejects a value before sending
 * it rather than showing the server's message about a JSON field.
 */
#define G_LOG_DOMAIN "confab-account"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "confab-account-fields.h"
#include "confab-protocol.h"

static gboolean
has_control_characters (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_iscntrl (g_utf8_get_char (p)))
        return TRUE;
    }

  return FALSE;
}

/**
 * confab_account_fields_check_name:
 * @name: the name with surrounding spaces removed
 * @label: the label of the field, for the message
 *
 * Checks a user's name: 1 to %CONFAB_USER_NAME_MAX_CHARS characters
 * without control characters.
 *
 * Returns: (transfer full) (nullable): a message for the user, or %NULL
 *   when @name is valid
 */
char *
confab_account_fields_check_name (const char *name,
                                  const char *label)
{
  glong length;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (label != NULL, NULL);

  length = g_utf8_strlen (name, -1);
  if (length == 0)
    /* Translators: %s is the label of a form field, such as "Name". */
    return g_strdup_printf (_("“%s” is empty. Enter the name that others will see."), label);

  if (length > CONFAB_USER_NAME_MAX_CHARS)
    /* Translators: %s is the label of a form field, %ld and %d are numbers of characters. */
    return g_strdup_printf (_("“%s” is %ld characters long. Shorten it to at most %d characters."),
                            label, length, CONFAB_USER_NAME_MAX_CHARS);

  if (has_control_characters (name))
    /* Translators: %s is the label of a form field. */
    return g_strdup_printf (_("“%s” contains a control character such as a tab. Remove it."), label);

  return NULL;
}

/**
 * confab_account_fields_check_email:
 * @email: the address with surrounding spaces removed
 * @label: the label of the field, for the message
 *
 * Checks an email address as the server does: one `@` with text on both
 * sides, no spaces or control characters, at most %CONFAB_EMAIL_MAX bytes.
 *
 * Returns: (transfer full) (nullable): a message for the user, or %NULL
 *   when @email is valid
 */
char *
confab_account_fields_check_email (const char *email,
                                   const char *label)
{
  const char *at;
  gboolean valid;

  g_return_val_if_fail (email != NULL, NULL);
  g_return_val_if_fail (label != NULL, NULL);

  if (strlen (email) > CONFAB_EMAIL_MAX)
    /* Translators: %s is the label of a form field, %zu and %d are numbers of bytes. */
    return g_strdup_printf (_("“%s” is %zu bytes long. Shorten it to at most %d bytes."),
                            label, strlen (email), CONFAB_EMAIL_MAX);

  at = strchr (email, '@');
  valid = at != NULL && at != email && at[1] != '\0' && strchr (at + 1, '@') == NULL;
  for (const char *p = email; valid && *p != '\0'; p++)
    valid = !g_ascii_isspace (*p) && (guchar) *p >= 0x20 && *p != 0x7f;

  if (!valid)
    /* Translators: %s is the label of a form field. */
    return g_strdup_printf (_("“%s” is not an email address. Enter one such as ada@example.org."), label);

  return NULL;
}

/**
 * confab_account_fields_check_password:
 * @password: the password as typed
 * @label: the label of the field, for the message
 *
 * Checks a new password's length: %CONFAB_PASSWORD_MIN to
 * %CONFAB_PASSWORD_MAX bytes, counted in bytes like the server does.
 *
 * Returns: (transfer full) (nullable): a message for the user, or %NULL
 *   when @password is valid
 */
char *
confab_account_fields_check_password (const char *password,
                                      const char *label)
{
  g_return_val_if_fail (password != NULL, NULL);
  g_return_val_if_fail (label != NULL, NULL);

  if (strlen (password) < CONFAB_PASSWORD_MIN)
    /* Translators: %s is the label of a form field, %d a number of characters. */
    return g_strdup_printf (_("“%s” is too short. Choose a password of at least %d characters."),
                            label, CONFAB_PASSWORD_MIN);

  if (strlen (password) > CONFAB_PASSWORD_MAX)
    /* Translators: %s is the label of a form field, %d a number of bytes. */
    return g_strdup_printf (_("“%s” is too long. Shorten it to at most %d bytes."),
                            label, CONFAB_PASSWORD_MAX);

  return NULL;
}
