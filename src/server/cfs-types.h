/* cfs-types.h: plain records shared by the store, the REST routes and the hub. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  gint64    id;
  char     *name;
  char     *email;
  char     *avatar_url;     /* nullable */
  gboolean  is_admin;
  gboolean  disabled;
  gint64    created_at;
} CfsUser;

typedef struct {
  gint64    id;
  char     *name;
  char     *topic;          /* "" when unset */
  guint     capacity;
  char     *jitsi_room;
  gint64    owner_id;
  char     *owner_name;
  gint64    created_at;
  gboolean  is_private;     /* seen only by its hosts, site admins and invited users */
} CfsRoom;

CfsUser *cfs_user_copy (const CfsUser *user);
void     cfs_user_free (CfsUser       *user);
CfsRoom *cfs_room_copy (const CfsRoom *room);
void     cfs_room_free (CfsRoom       *room);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfsUser, cfs_user_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfsRoom, cfs_room_free)

G_END_DECLS
