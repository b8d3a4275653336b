/* cfs-auth.h: password hashing off the main thread, and login rate limits. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Failed logins allowed within CFS_AUTH_FAILURE_WINDOW_S before 429. */
#define CFS_AUTH_MAX_FAILURES_PER_ACCOUNT 5
#define CFS_AUTH_MAX_FAILURES_PER_ADDRESS 20
#define CFS_AUTH_FAILURE_WINDOW_S (15 * 60)

#define CFS_TYPE_AUTH (cfs_auth_get_type ())
G_DECLARE_FINAL_TYPE (CfsAuth, cfs_auth, CFS, AUTH, GObject)

CfsAuth  *cfs_auth_new                     (void);

void      cfs_auth_hash_password_async     (CfsAuth              *self,
                                            const char           *password,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
char     *cfs_auth_hash_password_finish    (CfsAuth              *self,
                                            GAsyncResult         *result,
                                            GError              **error);
char     *cfs_auth_hash_password           (const char           *password,
                                            GError              **error);

void      cfs_auth_verify_password_async   (CfsAuth              *self,
                                            const char           *password_hash,
                                            const char           *password,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean  cfs_auth_verify_password_finish  (CfsAuth              *self,
                                            GAsyncResult         *result,
                                            GError              **error);

gboolean  cfs_auth_check_login_allowed     (CfsAuth              *self,
                                            const char           *email_key,
                                            const char           *address,
                                            guint                *retry_after_out);
void      cfs_auth_record_login_failure    (CfsAuth              *self,
                                            const char           *email_key,
                                            const char           *address);
void      cfs_auth_record_login_success    (CfsAuth              *self,
                                            const char           *email_key);

G_END_DECLS
