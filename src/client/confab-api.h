/* confab-api.h: the REST client of confab-server
 *
 * One ConfabApi per signed-in window. It holds the server URL, the session
 * token and the SoupSession that the window's WebSocket shares.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define CONFAB_API_ERROR (confab_api_error_quark ())

/* The GError message is the server's `message` when the server sent one, or
 * a client-side text that says what failed.
 */
typedef enum {
  CONFAB_API_ERROR_NETWORK,
  CONFAB_API_ERROR_UNAUTHORIZED,
  CONFAB_API_ERROR_FORBIDDEN,
  CONFAB_API_ERROR_BANNED,
  CONFAB_API_ERROR_NOT_FOUND,
  CONFAB_API_ERROR_ROOM_FULL,
  CONFAB_API_ERROR_NOT_SEATED,
  CONFAB_API_ERROR_JITSI_NOT_CONFIGURED,
  CONFAB_API_ERROR_RATE_LIMITED,
  CONFAB_API_ERROR_INVALID,
  CONFAB_API_ERROR_CONFLICT,
  CONFAB_API_ERROR_SERVER,
} ConfabApiError;

typedef struct {
  char   *jwt;
  char   *domain;
  char   *jitsi_room;
  char   *role;
  gint64  expires_at;
} ConfabMeetingToken;

#define CONFAB_TYPE_API (confab_api_get_type ())

G_DECLARE_FINAL_TYPE (ConfabApi, confab_api, CONFAB, API, GObject)

GQuark              confab_api_error_quark            (void);

ConfabApi          *confab_api_new                    (const char           *server_url);
const char         *confab_api_get_server_url         (ConfabApi            *self);
SoupSession        *confab_api_get_session            (ConfabApi            *self);
const char         *confab_api_get_token              (ConfabApi            *self);
void                confab_api_set_token              (ConfabApi            *self,
                                                       const char           *token);
SoupMessage        *confab_api_new_message            (ConfabApi            *self,
                                                       const char           *method,
                                                       const char           *path);

void                confab_api_request_async          (ConfabApi            *self,
                                                       const char           *method,
                                                       const char           *path,
                                                       JsonObject           *body,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
JsonNode           *confab_api_request_finish         (ConfabApi            *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void                confab_api_request_bytes_async    (ConfabApi            *self,
                                                       const char           *path,
                                                       const char           *accept,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GBytes             *confab_api_request_bytes_finish   (ConfabApi            *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void                confab_api_request_token_async    (ConfabApi            *self,
                                                       gint64                room_id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
ConfabMeetingToken *confab_api_request_token_finish   (ConfabApi            *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void                confab_meeting_token_free         (ConfabMeetingToken   *token);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfabMeetingToken, confab_meeting_token_free)

G_END_DECLS
