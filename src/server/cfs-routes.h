/* cfs-routes.h: the REST API, dispatched by path and method. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cfs-server-private.h"
#include "cfs-types.h"

G_BEGIN_DECLS

/* One REST request on its way through a handler. Handlers that respond
 * later pause the message and keep a reference with cfs_request_ref().
 */
typedef struct {
  CfsServer         *server;
  SoupServerMessage *msg;
  CfsUser           *user;        /* NULL on routes without authentication */
  char              *token_hash;  /* the session's, with @user */
  gint64             ids[2];      /* the {id} segments of the path, in order */
  JsonObject        *body;        /* NULL on routes without a body */
  char              *code;        /* the {code} segment of the path, or NULL */
} CfsRequest;

CfsRequest *cfs_request_ref        (CfsRequest  *request);
void        cfs_request_unref      (CfsRequest  *request);
void        cfs_request_pause      (CfsRequest  *request);
void        cfs_request_unpause    (CfsRequest  *request);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfsRequest, cfs_request_unref)

void cfs_routes_handle             (CfsServer         *server,
                                    SoupServerMessage *msg);
void cfs_routes_check_headers      (CfsServer         *server,
                                    SoupServerMessage *msg);

/* cfs-routes-accounts.c */
void cfs_routes_get_server_info    (CfsRequest *request);
void cfs_routes_register           (CfsRequest *request);
void cfs_routes_login              (CfsRequest *request);
void cfs_routes_logout             (CfsRequest *request);
void cfs_routes_logout_all         (CfsRequest *request);
void cfs_routes_get_me             (CfsRequest *request);
void cfs_routes_update_me          (CfsRequest *request);
void cfs_routes_change_password    (CfsRequest *request);
void cfs_routes_create_user        (CfsRequest *request);
void cfs_routes_add_user_json      (JsonBuilder *builder,
                                    const CfsUser *user);
gboolean cfs_routes_check_email    (const char  *email,
                                    const char  *field,
                                    GError     **error);

/* cfs-routes-users.c: site administration. */
void cfs_routes_list_users         (CfsRequest *request);
void cfs_routes_update_user        (CfsRequest *request);

/* cfs-routes-rooms.c */
void cfs_routes_list_rooms         (CfsRequest *request);
void cfs_routes_list_hosted_rooms  (CfsRequest *request);
void cfs_routes_create_room        (CfsRequest *request);
void cfs_routes_get_room           (CfsRequest *request);
void cfs_routes_update_room        (CfsRequest *request);
void cfs_routes_delete_room        (CfsRequest *request);
void cfs_routes_create_token       (CfsRequest *request);
void cfs_routes_grant_moderator    (CfsRequest *request);
void cfs_routes_revoke_moderator   (CfsRequest *request);
void cfs_routes_list_moderators    (CfsRequest *request);
void cfs_routes_list_bans          (CfsRequest *request);
void cfs_routes_ban_user           (CfsRequest *request);
void cfs_routes_unban_user         (CfsRequest *request);
CfsRoom *cfs_routes_load_room      (CfsRequest *request);
gboolean cfs_routes_check_host     (CfsRequest    *request,
                                    const CfsRoom *room);
void cfs_routes_add_room_json      (JsonBuilder   *builder,
                                    CfsRequest    *request,
                                    const CfsRoom *room);
void cfs_routes_add_user_ref       (JsonBuilder   *builder,
                                    const char    *member,
                                    gint64         id,
                                    const char    *name);

/* cfs-routes-invites.c: invites, room access and the invite link page. */
void cfs_routes_create_invite      (CfsRequest *request);
void cfs_routes_list_invites       (CfsRequest *request);
void cfs_routes_delete_invite      (CfsRequest *request);
void cfs_routes_accept_invite      (CfsRequest *request);
void cfs_routes_list_access        (CfsRequest *request);
void cfs_routes_revoke_access      (CfsRequest *request);
void cfs_routes_get_join_page      (CfsRequest *request);

G_END_DECLS
