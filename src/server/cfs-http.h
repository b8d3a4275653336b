/* cfs-http.h: JSON responses and errors, request bodies and fields,
 * bearer authentication and the client address.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cfs-store.h"

G_BEGIN_DECLS

#define CFS_HTTP_ERROR (cfs_http_error_quark ())

/* Too Many Requests (RFC 6585), which libsoup 3.2 has no name for. */
#define CFS_HTTP_STATUS_TOO_MANY_REQUESTS 429

/* Each code maps to one HTTP status and protocol error code, see
 * cfs_http_send_gerror().
 */
typedef enum {
  CFS_HTTP_ERROR_INVALID_JSON,      /* 400 invalid-json */
  CFS_HTTP_ERROR_INVALID_FIELD,     /* 400 invalid-field */
  CFS_HTTP_ERROR_BODY_TOO_LARGE,    /* 413 body-too-large */
} CfsHttpError;

GQuark       cfs_http_error_quark        (void);

void         cfs_http_send_json          (SoupServerMessage  *msg,
                                          guint               status,
                                          JsonNode           *node);
void         cfs_http_send_builder       (SoupServerMessage  *msg,
                                          guint               status,
                                          JsonBuilder        *builder);
void         cfs_http_send_no_content    (SoupServerMessage  *msg);
void         cfs_http_forbid_caching     (SoupServerMessage  *msg);
void         cfs_http_send_error         (SoupServerMessage  *msg,
                                          guint               status,
                                          const char         *code,
                                          const char         *format,
                                          ...) G_GNUC_PRINTF (4, 5);
void         cfs_http_send_gerror        (SoupServerMessage  *msg,
                                          const GError       *error);
void         cfs_http_send_internal_error (SoupServerMessage *msg,
                                          const char         *what,
                                          const GError       *error);
void         cfs_http_send_unauthorized  (SoupServerMessage  *msg);

JsonObject  *cfs_http_read_json_object   (SoupServerMessage  *msg,
                                          gboolean            allow_empty,
                                          GError            **error);

gboolean     cfs_http_get_string_field   (JsonObject         *object,
                                          const char         *name,
                                          gboolean            required,
                                          gsize               min_chars,
                                          gsize               max_chars,
                                          const char        **value_out,
                                          GError            **error);
gboolean     cfs_http_get_int_field      (JsonObject         *object,
                                          const char         *name,
                                          gint64              min,
                                          gint64              max,
                                          gboolean           *present_out,
                                          gint64             *value_out,
                                          GError            **error);
gboolean     cfs_http_get_bool_field     (JsonObject         *object,
                                          const char         *name,
                                          gboolean           *present_out,
                                          gboolean           *value_out,
                                          GError            **error);
gboolean     cfs_http_check_url          (const char         *name,
                                          const char         *url,
                                          GError            **error);

const char  *cfs_http_get_bearer_token   (SoupServerMessage  *msg);
CfsUser     *cfs_http_authenticate       (SoupServerMessage  *msg,
                                          CfsStore           *store,
                                          char              **token_hash_out);
char        *cfs_http_get_client_address (SoupServerMessage  *msg,
                                          const char * const *trusted_proxies);
gboolean     cfs_http_is_loopback        (SoupServerMessage  *msg);

G_END_DECLS
