/* cfs-types.c: copying and freeing the plain records of cfs-types.h. */
#include "config.h"

#include "cfs-types.h"

CfsUser *
cfs_user_copy (const CfsUser *user)
{
  CfsUser *copy;

  g_return_val_if_fail (user != NULL, NULL);

  copy = g_new0 (CfsUser, 1);
  *copy = *user;
  copy->name = g_strdup (user->name);
  copy->email = g_strdup (user->email);
  copy->avatar_url = g_strdup (user->avatar_url);

  return copy;
}

void
cfs_user_free (CfsUser *user)
{
  if (user == NULL)
    return;

  g_free (user->name);
  g_free (user->email);
  g_free (user->avatar_url);
  g_free (user);
}

CfsRoom *
cfs_room_copy (const CfsRoom *room)
{
  CfsRoom *copy;

  g_return_val_if_fail (room != NULL, NULL);

  copy = g_new0 (CfsRoom, 1);
  *copy = *room;
  copy->name = g_strdup (room->name);
  copy->topic = g_strdup (room->topic);
  copy->jitsi_room = g_strdup (room->jitsi_room);
  copy->owner_name = g_strdup (room->owner_name);

  return copy;
}

void
cfs_room_free (CfsRoom *room)
{
  if (room == NULL)
    return;

  g_free (room->name);
  g_free (room->topic);
  g_free (room->jitsi_room);
  g_free (room->owner_name);
  g_free (room);
}
