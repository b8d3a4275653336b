/* cfs-config.h: confab-server settings, from the config file and flags. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  CFS_REGISTRATION_OPEN,
  CFS_REGISTRATION_CLOSED,
} CfsRegistration;

typedef struct {
  char            *listen_address;      /* default "127.0.0.1" */
  guint16          port;                /* default 8470; 0 picks a free port */
  char            *database_path;       /* default: <user data dir>/confab-server/confab.db */
  char            *state_dir;           /* default: <user data dir>/confab-server */

  char            *jitsi_domain;        /* NULL: no Jitsi deployment configured */
  char            *jitsi_app_id;        /* default "confab" */
  char            *jitsi_sub;           /* default: jitsi_domain */
  char            *jitsi_secret_file;   /* nullable: CONFAB_JITSI_SECRET or <state_dir>/jitsi-secret */
  char            *jitsi_secret;        /* the HMAC key; never logged */
  guint            token_ttl_seconds;   /* default 900, at most 3600 */

  CfsRegistration  registration;        /* default open */
  guint            session_ttl_seconds; /* default 30 days */
  char           **trusted_proxies;     /* addresses whose X-Forwarded-For is believed */
  char            *metrics_token;       /* nullable; never logged */

  guint            lobby_interval_ms;   /* default 250 */
  guint            presence_grace_ms;   /* default 5000 */
  guint            ping_interval_s;     /* default 10 */
  guint            pong_timeout_s;      /* default 25 */
  gsize            max_pending_output;  /* default 4 MiB */
  guint            max_connections_per_user; /* default 32 */

  char            *public_url;          /* nullable: the server's address for users, such as https://confab.example.org */

  char            *smtp_host;           /* NULL: no email invites */
  guint16          smtp_port;           /* default 587 */
  gboolean         smtp_starttls;       /* default TRUE */
  char            *smtp_username;       /* nullable */
  char            *smtp_password_file;  /* nullable; the password itself is never logged */
  char            *smtp_from;           /* the From header of invite mail */
  char            *smtp_ca_file;        /* nullable: CAs to trust instead of the system's */
} CfsConfig;

#define CFS_CONFIG_ERROR (cfs_config_error_quark ())

typedef enum {
  CFS_CONFIG_ERROR_INVALID,
} CfsConfigError;

GQuark     cfs_config_error_quark (void);

CfsConfig *cfs_config_new         (void);
gboolean   cfs_config_load_file   (CfsConfig   *config,
                                   const char  *path,
                                   GError     **error);
gboolean   cfs_config_set_registration (CfsConfig *config,
                                   const char  *value,
                                   GError     **error);
gboolean   cfs_config_validate    (CfsConfig   *config,
                                   GError     **error);
void       cfs_config_free        (CfsConfig   *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfsConfig, cfs_config_free)

G_END_DECLS
