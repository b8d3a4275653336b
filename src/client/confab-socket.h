/* confab-socket.h: the WebSocket of a signed-in window */
#pragma once

#include <json-glib/json-glib.h>

#include "confab-api.h"

G_BEGIN_DECLS

typedef enum {
  CONFAB_SOCKET_DISCONNECTED,
  CONFAB_SOCKET_CONNECTING,
  CONFAB_SOCKET_CONNECTED,
  CONFAB_SOCKET_RECONNECTING,
} ConfabSocketState;

#define CONFAB_TYPE_SOCKET_STATE (confab_socket_state_get_type ())
#define CONFAB_TYPE_SOCKET (confab_socket_get_type ())

G_DECLARE_FINAL_TYPE (ConfabSocket, confab_socket, CONFAB, SOCKET, GObject)

GType              confab_socket_state_get_type  (void) G_GNUC_CONST;

ConfabSocket      *confab_socket_new             (ConfabApi    *api);
ConfabApi         *confab_socket_get_api         (ConfabSocket *self);
void               confab_socket_start           (ConfabSocket *self);
void               confab_socket_stop            (ConfabSocket *self);
ConfabSocketState  confab_socket_get_state       (ConfabSocket *self);
const char        *confab_socket_get_problem     (ConfabSocket *self);
JsonObject        *confab_socket_get_hello_user  (ConfabSocket *self);
void               confab_socket_send            (ConfabSocket *self,
                                                  JsonObject   *message);
char              *confab_socket_send_request    (ConfabSocket *self,
                                                  JsonObject   *message);
void               confab_socket_reconnect_now   (ConfabSocket *self);

G_END_DECLS
