/* cfs-smtp-client.h: sends plain-text mail through the SMTP server of
 * the [smtp] config group.
 */
#pragma once

#include <gio/gio.h>

#include "cfs-config.h"

G_BEGIN_DECLS

#define CFS_SMTP_ERROR (cfs_smtp_error_quark ())

typedef enum {
  CFS_SMTP_ERROR_SETTINGS,   /* the [smtp] settings cannot work */
  CFS_SMTP_ERROR_PROTOCOL,   /* the SMTP server rejected a command or spoke no SMTP */
} CfsSmtpError;

#define CFS_TYPE_SMTP_CLIENT (cfs_smtp_client_get_type ())
G_DECLARE_FINAL_TYPE (CfsSmtpClient, cfs_smtp_client, CFS, SMTP_CLIENT, GObject)

GQuark         cfs_smtp_error_quark         (void);

CfsSmtpClient *cfs_smtp_client_new          (const CfsConfig      *config,
                                             GError              **error);

void           cfs_smtp_client_send_async   (CfsSmtpClient        *self,
                                             const char           *to,
                                             const char           *subject,
                                             const char           *body,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean       cfs_smtp_client_send_finish  (CfsSmtpClient        *self,
                                             GAsyncResult         *result,
                                             GError              **error);

/* Formats the message (headers and a base64 body) as sent after DATA,
 * with CRLF line ends and without the final ".".
 */
char          *cfs_smtp_format_message      (const char           *from,
                                             const char           *to,
                                             const char           *subject,
                                             const char           *body,
                                             gint64                date);

G_END_DECLS
