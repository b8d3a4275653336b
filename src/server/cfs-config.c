/* cfs-config.c: confab-server settings from a GKeyFile.
 *
 * Defaults come first, then the config file, then command-line flags
 * (main.c), then cfs_config_validate() fills in derived values and checks
 * every range, so that a wrong setting stops the server with a message that
 * names the key.
 */
#define G_LOG_DOMAIN "confab-server"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cfs-config.h"

#define DEFAULT_PORT 8470
#define DEFAULT_TOKEN_TTL_S (15 * 60)
#define MAX_TOKEN_TTL_S (60 * 60)
#define MIN_TOKEN_TTL_S 60
#define DEFAULT_SESSION_TTL_S (30 * 24 * 60 * 60)

typedef enum {
  KEY_STRING,
  KEY_STRING_LIST,
  KEY_UINT,
  KEY_REGISTRATION,
  KEY_BOOL,
} KeyKind;

typedef struct {
  const char *group;
  const char *key;
  KeyKind     kind;
  gsize       offset;
  guint64     min;
  guint64     max;
  gsize       size;      /* of the integer field, in bytes */
} KeySpec;

#define STRING_KEY(g, k, field) \
  { g, k, KEY_STRING, G_STRUCT_OFFSET (CfsConfig, field), 0, 0, 0 }
#define UINT_KEY(g, k, field, lo, hi) \
  { g, k, KEY_UINT, G_STRUCT_OFFSET (CfsConfig, field), lo, hi, sizeof (((CfsConfig *) 0)->field) }

static const KeySpec keys[] = {
  STRING_KEY ("server", "listen", listen_address),
  UINT_KEY ("server", "port", port, 0, 65535),
  STRING_KEY ("server", "database", database_path),
  STRING_KEY ("server", "state_dir", state_dir),
  { "server", "trusted_proxies", KEY_STRING_LIST, G_STRUCT_OFFSET (CfsConfig, trusted_proxies), 0, 0, 0 },
  STRING_KEY ("server", "metrics_token", metrics_token),
  STRING_KEY ("server", "public_url", public_url),

  STRING_KEY ("jitsi", "domain", jitsi_domain),
  STRING_KEY ("jitsi", "app_id", jitsi_app_id),
  STRING_KEY ("jitsi", "sub", jitsi_sub),
  STRING_KEY ("jitsi", "secret_file", jitsi_secret_file),
  UINT_KEY ("jitsi", "token_ttl", token_ttl_seconds, MIN_TOKEN_TTL_S, MAX_TOKEN_TTL_S),

  { "accounts", "registration", KEY_REGISTRATION, G_STRUCT_OFFSET (CfsConfig, registration), 0, 0, 0 },
  UINT_KEY ("accounts", "session_ttl", session_ttl_seconds, 60, 365 * 24 * 60 * 60),

  UINT_KEY ("lobby", "interval_ms", lobby_interval_ms, 10, 60000),
  UINT_KEY ("lobby", "presence_grace_ms", presence_grace_ms, 0, 600000),
  UINT_KEY ("lobby", "ping_interval", ping_interval_s, 1, 3600),
  UINT_KEY ("lobby", "pong_timeout", pong_timeout_s, 1, 3600),
  UINT_KEY ("lobby", "max_pending_output", max_pending_output, 4096, G_GUINT64_CONSTANT (1) << 32),
  UINT_KEY ("lobby", "max_connections_per_user", max_connections_per_user, 1, 100000),

  STRING_KEY ("smtp", "host", smtp_host),
  UINT_KEY ("smtp", "port", smtp_port, 1, 65535),
  { "smtp", "starttls", KEY_BOOL, G_STRUCT_OFFSET (CfsConfig, smtp_starttls), 0, 0, 0 },
  STRING_KEY ("smtp", "username", smtp_username),
  STRING_KEY ("smtp", "password_file", smtp_password_file),
  STRING_KEY ("smtp", "from", smtp_from),
  STRING_KEY ("smtp", "ca_file", smtp_ca_file),
};

G_DEFINE_QUARK (cfs-config-error-quark, cfs_config_error)

static const KeySpec *
find_key (const char *group,
          const char *key)
{
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      if (g_str_equal (keys[i].group, group) && g_str_equal (keys[i].key, key))
        return &keys[i];
    }

  return NULL;
}

static void
store_uint (CfsConfig     *config,
            const KeySpec *spec,
            guint64        value)
{
  gpointer field = G_STRUCT_MEMBER_P (config, spec->offset);

  switch (spec->size)
    {
    case sizeof (guint16):
      *(guint16 *) field = value;
      break;
    case sizeof (guint32):
      *(guint32 *) field = value;
      break;
    case sizeof (guint64):
      *(guint64 *) field = value;
      break;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
load_key (CfsConfig      *config,
          GKeyFile       *file,
          const char     *path,
          const KeySpec  *spec,
          GError        **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;

  switch (spec->kind)
    {
    case KEY_STRING:
      text = g_key_file_get_string (file, spec->group, spec->key, &local_error);
      if (text == NULL)
        break;
      g_strstrip (text);
      g_free (G_STRUCT_MEMBER (char *, config, spec->offset));
      G_STRUCT_MEMBER (char *, config, spec->offset) = *text != '\0' ? g_steal_pointer (&text) : NULL;
      return TRUE;

    case KEY_STRING_LIST:
      g_strfreev (G_STRUCT_MEMBER (char **, config, spec->offset));
      G_STRUCT_MEMBER (char **, config, spec->offset) =
        g_key_file_get_string_list (file, spec->group, spec->key, NULL, &local_error);
      if (local_error != NULL)
        break;
      if (G_STRUCT_MEMBER (char **, config, spec->offset) == NULL)
        G_STRUCT_MEMBER (char **, config, spec->offset) = g_new0 (char *, 1);
      return TRUE;

    case KEY_UINT:
      {
        guint64 value = g_key_file_get_uint64 (file, spec->group, spec->key, &local_error);

        if (local_error != NULL)
          break;
        if (value < spec->min || value > spec->max)
          {
            g_set_error (error, CFS_CONFIG_ERROR, CFS_CONFIG_ERROR_INVALID,
                         _("Invalid value %llu for “%s” in group [%s] of %s: use a number from %llu to %llu"),
                         (unsigned long long) value, spec->key, spec->group, path,
                         (unsigned long long) spec->min, (unsigned long long) spec->max);
            return FALSE;
          }
        store_uint (config, spec, value);
        return TRUE;
      }

    case KEY_BOOL:
      {
        gboolean value = g_key_file_get_boolean (file, spec->group, spec->key, &local_error);

        if (local_error != NULL)
          break;
        G_STRUCT_MEMBER (gboolean, config, spec->offset) = value;
        return TRUE;
      }

    case KEY_REGISTRATION:
      text = g_key_file_get_string (file, spec->group, spec->key, &local_error);
      if (text == NULL)
        break;
      if (!cfs_config_set_registration (config, g_strstrip (text), error))
        {
          g_prefix_error (error, "%s: ", path);
          return FALSE;
        }
      return TRUE;

    default:
      g_assert_not_reached ();
    }

  g_set_error (error, CFS_CONFIG_ERROR, CFS_CONFIG_ERROR_INVALID,
               _("Invalid value for “%s” in group [%s] of %s: %s"),
               spec->key, spec->group, path, local_error->message);
  return FALSE;
}

static gboolean
validate_utf8_setting (const char  *value,
                             const char  *name,
                             GError     **error)
{
  if (value == NULL || g_utf8_validate (value, -1, NULL))
    return TRUE;

  g_set_error (error, CFS_CONFIG_ERROR, CFS_CONFIG_ERROR_INVALID,
               _("The setting “%s” is not valid UTF-8"), name);
  return FALSE;
}

static gboolean
check_public_url (const char  *url,
                  GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;

  if (uri != NULL && (g_strcmp0 (scheme, "https") == 0 || g_strcmp0 (scheme, "http") == 0) &&
      g_uri_get_host (uri) != NULL && g_uri_get_host (uri)[0] != '\0' &&
      g_uri_get_userinfo (uri) == NULL && g_uri_get_query (uri) == NULL &&
      (g_uri_get_path (uri)[0] == '\0' || g_str_equal (g_uri_get_path (uri), "/")))
    return TRUE;

  g_set_error (error, CFS_CONFIG_ERROR, CFS_CONFIG_ERROR_INVALID,
               _("Invalid public URL “%s” (“public_url” in group [server]): give the scheme, "
                 "host and port that users open, such as https://confab.example.org"), url);
  return FALSE;
}

CfsConfig *
cfs_config_new (void)
{
  CfsConfig *config = g_new0 (CfsConfig, 1);

  config->listen_address = g_strdup ("127.0.0.1");
  config->port = DEFAULT_PORT;
  config->jitsi_app_id = g_strdup ("confab");
  config->token_ttl_seconds = DEFAULT_TOKEN_TTL_S;
  config->registration = CFS_REGISTRATION_OPEN;
  config->session_ttl_seconds = DEFAULT_SESSION_TTL_S;
  config->trusted_proxies = g_new0 (char *, 1);
  config->lobby_interval_ms = 250;
  config->presence_grace_ms = 5000;
  config->ping_interval_s = 10;
  config->pong_timeout_s = 25;
  config->max_connections_per_user = 32;
  config->max_pending_output = 4 * 1024 * 1024;
  config->smtp_port = 587;
  config->smtp_starttls = TRUE;

  return config;
}

/**
 * cfs_config_set_registration:
 * @value: "open" or "closed"
 */
gboolean
cfs_config_set_registration (CfsConfig   *config,
                             const char  *value,
                             GError     **error)
{
  if (g_strcmp0 (value, "open") == 0)
    config->registration = CFS_REGISTRATION_OPEN;
  else if (g_strcmp0 (value, "closed") == 0)
    config->registration = CFS_REGISTRATION_CLOSED;
  else
    {
      g_set_error (error, CFS_CONFIG_ERROR, CFS_CONFIG_ERROR_INVALID,
                   _("Invalid registration setting “%s”: use “open” or “closed”"), value);
      return FALSE;
    }

  return TRUE;
}

/**
 * cfs_config_load_file:
 * @path: a GKeyFile with the groups [server], [jitsi], [accounts], [lobby], [smtp]
 *
 * Overrides @config with the keys set in @path. Unknown keys are logged and
 * ignored, so that a newer config file still starts an older server.
 */
gboolean
cfs_config_load_file (CfsConfig   *config,
                      const char  *path,
                      GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_auto(GStrv) groups = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, _("Failed to read the config file %s: "), path);
      return FALSE;
    }

  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_auto(GStrv) names = g_key_file_get_keys (file, groups[i], NULL, NULL);

      for (guint j = 0; names[j] != NULL; j++)
        {
          const KeySpec *spec = find_key (groups[i], names[j]);

          if (spec == NULL)
            {
              g_warning ("Ignoring unknown key “%s” in group [%s] of %s",
                         names[j], groups[i], path);
              continue;
            }

          if (!load_key (config, file, path, spec, error))
            return FALSE;
        }
    }

  return TRUE;
}

/**
 * cfs_config_validate:
 *
 * Fills in the defaults that depend on other settings (the database and
 * state directory, the Jitsi `sub`) and checks the ranges that flags can
 * set. The Jitsi secret is loaded separately, by cfs_jitsi_load_secret().
 */
gboolean
cfs_config_validate (CfsConfig  *config,
                     GError    **error)
{
  if (config->state_dir == NULL)
    config->state_dir = g_build_filename (g_get_user_data_dir (), "confab-server", NULL);
  if (config->database_path == NULL)
    config->database_path = g_build_filename (config->state_dir, "confab.db", NULL);
  if (config->jitsi_sub == NULL && config->jitsi_domain != NULL)
    config->jitsi_sub = g_strdup (config->jitsi_domain);

  if (config->listen_address == NULL ||
      !g_hostname_is_ip_address (config->listen_address))
    {
      g_set_error (error, CFS_CONFIG_ERROR, CFS_CONFIG_ERROR_INVALID,
                   _("Invalid listen address “%s”: use an IP address such as 127.0.0.1, 0.0.0.0 or ::1"),
                   config->listen_address != NULL ? config->listen_address : "");
      return FALSE;
    }

  if (config->token_ttl_seconds < MIN_TOKEN_TTL_S || config->token_ttl_seconds > MAX_TOKEN_TTL_S)
    {
      g_set_error (error, CFS_CONFIG_ERROR, CFS_CONFIG_ERROR_INVALID,
                   _("Invalid token lifetime %u s: use %d to %d seconds"),
                   config->token_ttl_seconds, MIN_TOKEN_TTL_S, MAX_TOKEN_TTL_S);
      return FALSE;
    }

  if (config->jitsi_app_id == NULL)
    {
      g_set_error (error, CFS_CONFIG_ERROR, CFS_CONFIG_ERROR_INVALID,
                   _("The Jitsi app id is empty: set “app_id” in group [jitsi]"));
      return FALSE;
    }

  for (guint i = 0; config->trusted_proxies[i] != NULL; i++)
    {
      g_strstrip (config->trusted_proxies[i]);
      if (!g_hostname_is_ip_address (config->trusted_proxies[i]))
        {
          g_set_error (error, CFS_CONFIG_ERROR, CFS_CONFIG_ERROR_INVALID,
                       _("Invalid trusted proxy “%s”: list IP addresses, separated by “;”"),
                       config->trusted_proxies[i]);
          return FALSE;
        }
    }

  if (config->public_url != NULL && !check_public_url (config->public_url, error))
    return FALSE;

  return validate_utf8_setting (config->jitsi_domain, "jitsi domain", error) &&
         validate_utf8_setting (config->jitsi_app_id, "jitsi app_id", error) &&
         validate_utf8_setting (config->jitsi_sub, "jitsi sub", error);
}

void
cfs_config_free (CfsConfig *config)
{
  if (config == NULL)
    return;

  g_free (config->listen_address);
  g_free (config->database_path);
  g_free (config->state_dir);
  g_free (config->jitsi_domain);
  g_free (config->jitsi_app_id);
  g_free (config->jitsi_sub);
  g_free (config->jitsi_secret_file);
  if (config->jitsi_secret != NULL)
    {
      memset (config->jitsi_secret, 0, strlen (config->jitsi_secret));
      g_free (config->jitsi_secret);
    }
  g_strfreev (config->trusted_proxies);
  g_free (config->metrics_token);
  g_free (config->public_url);
  g_free (config->smtp_host);
  g_free (config->smtp_username);
  g_free (config->smtp_password_file);
  g_free (config->smtp_from);
  g_free (config->smtp_ca_file);
  g_free (config);
}
