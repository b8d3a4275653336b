/* confab-session-store.h: session tokens in the keyring */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

#define CONFAB_TYPE_SESSION_STORE (confab_session_store_get_type ())

G_DECLARE_FINAL_TYPE (ConfabSessionStore, confab_session_store, CONFAB, SESSION_STORE, GObject)

ConfabSessionStore *confab_session_store_new            (void);
gboolean            confab_session_store_get_available  (ConfabSessionStore   *self);

void                confab_session_store_save_async     (ConfabSessionStore   *self,
                                                         const char           *server_url,
                                                         const char           *email,
                                                         const char           *token,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean            confab_session_store_save_finish    (ConfabSessionStore   *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

void                confab_session_store_lookup_async   (ConfabSessionStore   *self,
                                                         const char           *server_url,
                                                         const char           *email,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
char               *confab_session_store_lookup_finish  (ConfabSessionStore   *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

void                confab_session_store_clear_async    (ConfabSessionStore   *self,
                                                         const char           *server_url,
                                                         const char           *email,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean            confab_session_store_clear_finish   (ConfabSessionStore   *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

const SecretSchema *confab_session_store_get_schema     (void);

G_END_DECLS
