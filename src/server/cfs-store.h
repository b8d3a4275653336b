/* cfs-store.h: users, sessions, rooms, roles and bans in SQLite.
 *
 * Every function runs on the main thread. The database is opened in WAL
 * mode with foreign keys on, and migrated to the newest schema on open.
 */
#pragma once

#include <glib-object.h>
#include <sqlite3.h>

#include "cfs-types.h"

G_BEGIN_DECLS

#define CFS_STORE_ERROR (cfs_store_error_quark ())

typedef enum {
  CFS_STORE_ERROR_FAILED,
  CFS_STORE_ERROR_NOT_FOUND,
  CFS_STORE_ERROR_EMAIL_TAKEN,
  CFS_STORE_ERROR_NEWER_SCHEMA,
} CfsStoreError;

/* One ban of a room, as listed to its hosts. */
typedef struct {
  gint64  user_id;
  char   *user_name;
  gint64  by_user_id;     /* 0 when the banning user was deleted */
  char   *by_name;        /* nullable */
  char   *reason;
  gint64  created_at;
  gint64  until;          /* 0: until lifted */
} CfsBan;

void cfs_ban_free (CfsBan *ban);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfsBan, cfs_ban_free)

/* A moderator of a room, granted by its owner or a site admin. */
typedef struct {
  gint64  user_id;
  char   *user_name;
  gint64  by_user_id;     /* who granted the role; 0 when unknown */
  char   *by_name;        /* nullable */
  gint64  granted_at;
} CfsModerator;

void cfs_moderator_free (CfsModerator *moderator);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfsModerator, cfs_moderator_free)

/* A user's access to a private room, granted by accepting an invite. */
typedef struct {
  gint64  user_id;
  char   *user_name;
  gint64  by_user_id;     /* who made the invite; 0 when unknown */
  char   *by_name;        /* nullable */
  gint64  granted_at;
} CfsAccess;

void cfs_access_free (CfsAccess *access);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfsAccess, cfs_access_free)

/* Random bytes in an invite code; the code is their hex form. */
#define CFS_INVITE_CODE_BYTES 16

/* An invite to a room. The code itself is known only to its creator. */
typedef struct {
  gint64  id;
  gint64  room_id;
  gint64  by_user_id;     /* 0 when unknown */
  char   *by_name;        /* nullable */
  gint64  created_at;
  gint64  expires_at;
  guint   max_uses;
  guint   uses;
  char   *email;          /* nullable: where it was sent */
} CfsInvite;

void cfs_invite_free (CfsInvite *invite);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfsInvite, cfs_invite_free)

#define CFS_TYPE_STORE (cfs_store_get_type ())
G_DECLARE_FINAL_TYPE (CfsStore, cfs_store, CFS, STORE, GObject)

GQuark      cfs_store_error_quark        (void);

/* Returns the newest schema version this build can migrate to. */
int         cfs_store_schema_version     (void);

CfsStore   *cfs_store_open               (const char  *path,
                                          GError     **error);
sqlite3    *cfs_store_get_db             (CfsStore    *self);

/* Users. */
CfsUser    *cfs_store_create_user        (CfsStore    *self,
                                          const char  *name,
                                          const char  *email,
                                          const char  *password_hash,
                                          const char  *avatar_url,
                                          gboolean     is_admin,
                                          GError     **error);
CfsUser    *cfs_store_get_user           (CfsStore    *self,
                                          gint64       user_id,
                                          GError     **error);
CfsUser    *cfs_store_find_user_by_email (CfsStore    *self,
                                          const char  *email,
                                          char       **password_hash_out,
                                          GError     **error);
char       *cfs_store_get_password_hash  (CfsStore    *self,
                                          gint64       user_id,
                                          GError     **error);
gboolean    cfs_store_update_user        (CfsStore    *self,
                                          gint64       user_id,
                                          const char  *name,
                                          gboolean     set_avatar,
                                          const char  *avatar_url,
                                          GError     **error);
gboolean    cfs_store_set_password_hash  (CfsStore    *self,
                                          gint64       user_id,
                                          const char  *password_hash,
                                          GError     **error);
gboolean    cfs_store_set_admin          (CfsStore    *self,
                                          gint64       user_id,
                                          gboolean     is_admin,
                                          GError     **error);
char       *cfs_store_make_email_key     (const char  *email);

/* Sessions. Tokens are returned once and stored only as SHA-256 hashes. */
char       *cfs_store_create_session     (CfsStore    *self,
                                          gint64       user_id,
                                          guint        ttl_seconds,
                                          gint64      *expires_at_out,
                                          GError     **error);
CfsUser    *cfs_store_lookup_session     (CfsStore    *self,
                                          const char  *token,
                                          char       **token_hash_out,
                                          GError     **error);
gboolean    cfs_store_delete_session     (CfsStore    *self,
                                          const char  *token_hash,
                                          GError     **error);
gboolean    cfs_store_delete_sessions    (CfsStore    *self,
                                          gint64       user_id,
                                          const char  *except_token_hash,
                                          GError     **error);
GStrv       cfs_store_list_session_hashes (CfsStore   *self,
                                          gint64       user_id,
                                          const char  *except_token_hash,
                                          GError     **error);
char       *cfs_store_hash_token         (const char  *token);

/* Rooms. */
CfsRoom    *cfs_store_create_room        (CfsStore    *self,
                                          const char  *name,
                                          const char  *topic,
                                          guint        capacity,
                                          gboolean     is_private,
                                          gint64       owner_id,
                                          GError     **error);
CfsRoom    *cfs_store_get_room           (CfsStore    *self,
                                          gint64       room_id,
                                          GError     **error);
GPtrArray  *cfs_store_list_rooms         (CfsStore    *self,
                                          GError     **error);
gboolean    cfs_store_update_room        (CfsStore    *self,
                                          gint64       room_id,
                                          const char  *name,
                                          const char  *topic,
                                          guint        capacity,
                                          int          is_private,
                                          GError     **error);
gboolean    cfs_store_delete_room        (CfsStore    *self,
                                          gint64       room_id,
                                          GError     **error);

/* Roles and bans. */
const char *cfs_store_get_role           (CfsStore    *self,
                                          gint64       room_id,
                                          gint64       user_id);
gboolean    cfs_store_set_moderator      (CfsStore    *self,
                                          gint64       room_id,
                                          gint64       user_id,
                                          gint64       by_user_id,
                                          gboolean     moderator,
                                          GError     **error);
GPtrArray  *cfs_store_list_moderators    (CfsStore    *self,
                                          gint64       room_id,
                                          GError     **error);
gboolean    cfs_store_get_ban            (CfsStore    *self,
                                          gint64       room_id,
                                          gint64       user_id,
                                          gint64      *until_out);
gboolean    cfs_store_set_ban            (CfsStore    *self,
                                          gint64       room_id,
                                          gint64       user_id,
                                          gint64       by_user_id,
                                          gint64       until,
                                          const char  *reason,
                                          GError     **error);
gboolean    cfs_store_remove_ban         (CfsStore    *self,
                                          gint64       room_id,
                                          gint64       user_id,
                                          GError     **error);
GPtrArray  *cfs_store_list_bans          (CfsStore    *self,
                                          gint64       room_id,
                                          GError     **error);

/* Private rooms and the access that invites grant. */
gboolean    cfs_store_can_see_room       (CfsStore      *self,
                                          const CfsRoom *room,
                                          gint64         user_id);
GHashTable *cfs_store_list_room_audience (CfsStore    *self,
                                          gint64       room_id,
                                          GError     **error);
gboolean    cfs_store_revoke_access      (CfsStore    *self,
                                          gint64       room_id,
                                          gint64       user_id,
                                          GError     **error);
GPtrArray  *cfs_store_list_access        (CfsStore    *self,
                                          gint64       room_id,
                                          GError     **error);
GPtrArray  *cfs_store_list_hosted_rooms  (CfsStore    *self,
                                          gint64       user_id,
                                          GError     **error);

/* Invites. Codes are returned once and stored only as SHA-256 hashes. */
CfsInvite  *cfs_store_create_invite      (CfsStore    *self,
                                          gint64       room_id,
                                          gint64       by_user_id,
                                          gint64       expires_at,
                                          guint        max_uses,
                                          const char  *email,
                                          char       **code_out,
                                          GError     **error);
CfsInvite  *cfs_store_find_invite        (CfsStore    *self,
                                          const char  *code,
                                          GError     **error);
gboolean    cfs_store_accept_invite      (CfsStore    *self,
                                          gint64       invite_id,
                                          gint64       user_id,
                                          gboolean    *used_out,
                                          GError     **error);
GPtrArray  *cfs_store_list_invites       (CfsStore    *self,
                                          gint64       room_id,
                                          GError     **error);
gboolean    cfs_store_delete_invite      (CfsStore    *self,
                                          gint64       room_id,
                                          gint64       invite_id,
                                          GError     **error);

/* Site administration. */
GPtrArray  *cfs_store_list_users         (CfsStore    *self,
                                          gint64       after_id,
                                          guint        limit,
                                          GError     **error);
gboolean    cfs_store_set_disabled       (CfsStore    *self,
                                          gint64       user_id,
                                          gboolean     disabled,
                                          GError     **error);

G_END_DECLS
