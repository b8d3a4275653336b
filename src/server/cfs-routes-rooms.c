/* cfs-routes-rooms.c: rooms, roles, bans and meeting tokens.
 *
 * Every change that connected clients must see is passed to the hub, which
 * notifies lobby watchers and the room's participants.
 */
#define G_LOG_DOMAIN "confab-http"

#include "config.h"

#include "cfs-http.h"
#include "cfs-jitsi.h"
#include "cfs-routes.h"
#include "confab-protocol.h"

static gboolean
is_host_role (const char *role)
{
  return g_strcmp0 (role, CONFAB_ROLE_OWNER) == 0 || g_strcmp0 (role, CONFAB_ROLE_MODERATOR) == 0;
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Loads the room of the path's first id, or responds with 404 or 500. A
 * private room that the user may not see gets the same 404 as a missing
 * one, so that its existence stays unknown to the uninvited.
 */
CfsRoom *
cfs_routes_load_room (CfsRequest *request)
{
  g_autoptr(GError) error = NULL;
  CfsRoom *room;

  room = cfs_store_get_room (request->server->store, request->ids[0], &error);
  if (room != NULL && !cfs_store_can_see_room (request->server->store, room, request->user->id))
    {
      g_clear_pointer (&room, cfs_room_free);
      g_set_error (&error, CFS_STORE_ERROR, CFS_STORE_ERROR_NOT_FOUND, "Room not visible");
    }

  if (g_error_matches (error, CFS_STORE_ERROR, CFS_STORE_ERROR_NOT_FOUND))
    cfs_http_send_error (request->msg, SOUP_STATUS_NOT_FOUND, CONFAB_ERR_NOT_FOUND,
                         "Room %" G_GINT64_FORMAT " does not exist, or it is private and you "
                         "have no invite: ask one of its hosts for an invite link.",
                         request->ids[0]);
  else if (room == NULL)
    cfs_http_send_internal_error (request->msg, "read the room", error);

  return room;
}

/* Loads the user of the path's second id, or responds with 404 or 500. */
static CfsUser *
load_target_user (CfsRequest *request)
{
  g_autoptr(GError) error = NULL;
  CfsUser *user;

  user = cfs_store_get_user (request->server->store, request->ids[1], &error);
  if (g_error_matches (error, CFS_STORE_ERROR, CFS_STORE_ERROR_NOT_FOUND))
    cfs_http_send_error (request->msg, SOUP_STATUS_NOT_FOUND, CONFAB_ERR_NOT_FOUND,
                         "User %" G_GINT64_FORMAT " does not exist.", request->ids[1]);
  else if (user == NULL)
    cfs_http_send_internal_error (request->msg, "read the user", error);

  return user;
}

static void
send_forbidden (CfsRequest *request,
                const char *what)
{
  cfs_http_send_error (request->msg, SOUP_STATUS_FORBIDDEN, CONFAB_ERR_FORBIDDEN,
                       "Only %s of room %" G_GINT64_FORMAT " can do this.", what, request->ids[0]);
}

static gboolean
check_owner (CfsRequest    *request,
             const CfsRoom *room)
{
  if (room->owner_id == request->user->id || request->user->is_admin)
    return TRUE;

  send_forbidden (request, "the owner and site admins");
  return FALSE;
}

gboolean
cfs_routes_check_host (CfsRequest    *request,
                       const CfsRoom *room)
{
  if (is_host_role (cfs_store_get_role (request->server->store, room->id, request->user->id)))
    return TRUE;

  send_forbidden (request, "the owner and moderators");
  return FALSE;
}

static void
add_nullable_time (JsonBuilder *builder,
                   const char  *name,
                   gint64       time)
{
  json_builder_set_member_name (builder, name);
  if (time > 0)
    json_builder_add_int_value (builder, time);
  else
    json_builder_add_null_value (builder);
}

void
cfs_routes_add_user_ref (JsonBuilder *builder,
              const char  *member,
              gint64       id,
              const char  *name)
{
  json_builder_set_member_name (builder, member);
  if (id <= 0)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name != NULL ? name : "");
  json_builder_end_object (builder);
}

void
cfs_routes_add_room_json (JsonBuilder   *builder,
                          CfsRequest    *request,
                          const CfsRoom *room)
{
  CfsServer *server = request->server;
  gint64 banned_until = 0;
  gboolean banned = cfs_store_get_ban (server->store, room->id, request->user->id, &banned_until);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, room->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, room->name);
  json_builder_set_member_name (builder, "topic");
  json_builder_add_string_value (builder, room->topic);
  json_builder_set_member_name (builder, "capacity");
  json_builder_add_int_value (builder, room->capacity);
  json_builder_set_member_name (builder, "jitsi_room");
  json_builder_add_string_value (builder, room->jitsi_room);
  cfs_routes_add_user_ref (builder, "owner", room->owner_id, room->owner_name);
  json_builder_set_member_name (builder, "participants");
  json_builder_add_int_value (builder, cfs_hub_count_participants (server->hub, room->id));
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_int_value (builder, room->created_at);
  json_builder_set_member_name (builder, "private");
  json_builder_add_boolean_value (builder, room->is_private);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, cfs_store_get_role (server->store, room->id,
                                                              request->user->id));
  add_nullable_time (builder, "banned_until", banned ? banned_until : 0);
  json_builder_set_member_name (builder, "banned");
  json_builder_add_boolean_value (builder, banned);
  json_builder_end_object (builder);
}

static void
send_room (CfsRequest *request,
           guint       status,
           gint64      room_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CfsRoom) room = NULL;

  room = cfs_store_get_room (request->server->store, room_id, &error);
  if (room == NULL)
    {
      cfs_http_send_internal_error (request->msg, "read the room", error);
      return;
    }

  cfs_routes_add_room_json (builder, request, room);
  cfs_http_send_builder (request->msg, status, builder);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return FALSE;
    }

  return TRUE;
}

/* Reads name, topic, capacity and private; absent members stay NULL, 0
 * or -1.
 */
static gboolean
read_room_fields (JsonObject  *body,
                  gboolean     name_required,
                  const char **name_out,
                  const char **topic_out,
                  guint       *capacity_out,
                  int         *is_private_out,
                  GError     **error)
{
  gboolean has_capacity = FALSE;
  gint64 capacity = 0;
  gboolean has_private = FALSE;
  gboolean is_private = FALSE;

  if (!cfs_http_get_string_field (body, "name", name_required, 1, CONFAB_ROOM_NAME_MAX_CHARS,
                                  name_out, error) ||
      !cfs_http_get_string_field (body, "topic", FALSE, 0, CONFAB_ROOM_TOPIC_MAX_CHARS,
                                  topic_out, error) ||
      !cfs_http_get_int_field (body, "capacity", CONFAB_ROOM_CAPACITY_MIN, CONFAB_ROOM_CAPACITY_MAX,
                               &has_capacity, &capacity, error) ||
      !cfs_http_get_bool_field (body, "private", &has_private, &is_private, error))
    return FALSE;

  if (*name_out != NULL && is_blank (*name_out))
    {
      g_set_error (error, CFS_HTTP_ERROR, CFS_HTTP_ERROR_INVALID_FIELD,
                   "Field “name” must contain more than spaces.");
      return FALSE;
    }

  *capacity_out = has_capacity ? (guint) capacity : 0;
  *is_private_out = has_private ? is_private : -1;
  return TRUE;
}

/* Sends {"rooms": [...]} with the rooms of @rooms the user may see. */
static void
send_rooms (CfsRequest *request,
            GPtrArray  *rooms)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "rooms");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rooms->len; i++)
    {
      CfsRoom *room = g_ptr_array_index (rooms, i);

      if (cfs_store_can_see_room (request->server->store, room, request->user->id))
        cfs_routes_add_room_json (builder, request, room);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  cfs_http_send_builder (request->msg, SOUP_STATUS_OK, builder);
}

void
cfs_routes_list_rooms (CfsRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rooms = NULL;

  rooms = cfs_store_list_rooms (request->server->store, &error);
  if (rooms == NULL)
    {
      cfs_http_send_internal_error (request->msg, "list the rooms", error);
      return;
    }

  send_rooms (request, rooms);
}

/* Serves GET /api/v1/me/rooms: the rooms the user owns or moderates. */
void
cfs_routes_list_hosted_rooms (CfsRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rooms = NULL;

  rooms = cfs_store_list_hosted_rooms (request->server->store, request->user->id, &error);
  if (rooms == NULL)
    {
      cfs_http_send_internal_error (request->msg, "list the rooms", error);
      return;
    }

  send_rooms (request, rooms);
}

void
cfs_routes_create_room (CfsRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfsRoom) room = NULL;
  const char *name = NULL;
  const char *topic = NULL;
  guint capacity = 0;
  int is_private = -1;

  if (!read_room_fields (request->body, TRUE, &name, &topic, &capacity, &is_private, &error))
    {
      cfs_http_send_gerror (request->msg, error);
      return;
    }

  room = cfs_store_create_room (request->server->store, name, topic,
                                capacity > 0 ? capacity : CONFAB_ROOM_CAPACITY_DEFAULT,
                                is_private == 1, request->user->id, &error);
  if (room == NULL)
    {
      cfs_http_send_internal_error (request->msg, "create the room", error);
      return;
    }

  g_message ("User %" G_GINT64_FORMAT " created %s room %" G_GINT64_FORMAT " (%s)",
             request->user->id, room->is_private ? "private" : "public", room->id, room->jitsi_room);
  cfs_hub_room_changed (request->server->hub, room->id);
  send_room (request, SOUP_STATUS_CREATED, room->id);
}

void
cfs_routes_get_room (CfsRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(CfsRoom) room = cfs_routes_load_room (request);

  if (room == NULL)
    return;

  cfs_routes_add_room_json (builder, request, room);
  cfs_http_send_builder (request->msg, SOUP_STATUS_OK, builder);
}

void
cfs_routes_update_room (CfsRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfsRoom) room = cfs_routes_load_room (request);
  const char *name = NULL;
  const char *topic = NULL;
  guint capacity = 0;
  int is_private = -1;

  if (room == NULL || !check_owner (request, room))
    return;

  if (!read_room_fields (request->body, FALSE, &name, &topic, &capacity, &is_private, &error))
    {
      cfs_http_send_gerror (request->msg, error);
      return;
    }

  if (!cfs_store_update_room (request->server->store, room->id, name, topic, capacity, is_private,
                              &error))
    {
      cfs_http_send_internal_error (request->msg, "update the room", error);
      return;
    }

  g_message ("User %" G_GINT64_FORMAT " updated room %" G_GINT64_FORMAT,
             request->user->id, room->id);

  /* Users seated in a room that turns private keep their seat until they
   * leave; the lobby of everyone else drops it at once.
   */
  if (is_private == 1 && !room->is_private)
    cfs_hub_room_hidden (request->server->hub, room->id);
  else
    cfs_hub_room_changed (request->server->hub, room->id);
  send_room (request, SOUP_STATUS_OK, room->id);
}

void
cfs_routes_delete_room (CfsRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfsRoom) room = cfs_routes_load_room (request);
  g_autoptr(GHashTable) audience = NULL;

  if (room == NULL || !check_owner (request, room))
    return;

  /* The audience must be read before the delete removes the room's rows. */
  if (room->is_private)
    {
      audience = cfs_store_list_room_audience (request->server->store, room->id, &error);
      if (audience == NULL)
        {
          cfs_http_send_internal_error (request->msg, "list who may see the room", error);
          return;
        }
    }

  if (!cfs_store_delete_room (request->server->store, room->id, &error))
    {
      cfs_http_send_internal_error (request->msg, "delete the room", error);
      return;
    }

  g_message ("User %" G_GINT64_FORMAT " deleted room %" G_GINT64_FORMAT,
             request->user->id, room->id);
  cfs_hub_room_deleted (request->server->hub, room->id, audience);
  cfs_http_send_no_content (request->msg);
}

static void
send_banned (CfsRequest *request,
             gint64      until)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *message = NULL;

  if (until > 0)
    {
      g_autoptr(GDateTime) end = g_date_time_new_from_unix_utc (until);
      g_autofree char *end_text = g_date_time_format_iso8601 (end);

      message = g_strdup_printf ("You are banned from room %" G_GINT64_FORMAT " until %s.",
                                 request->ids[0], end_text);
    }
  else
    {
      message = g_strdup_printf ("You are banned from room %" G_GINT64_FORMAT
                                 " until a host lifts the ban.", request->ids[0]);
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, CONFAB_ERR_BANNED);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  add_nullable_time (builder, "until", until);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  cfs_http_send_builder (request->msg, SOUP_STATUS_FORBIDDEN, builder);
}

/* The seat rule: only a user who holds a seat (joinRoom over the
 * WebSocket) gets a token, so everyone in the meeting shows in the lobby.
 * A full room is reported as such, because joining first would fail too.
 */
static gboolean
check_seat (CfsRequest    *request,
            const CfsRoom *room)
{
  CfsHub *hub = request->server->hub;

  if (cfs_hub_user_has_seat (hub, room->id, request->user->id))
    return TRUE;

  if (cfs_hub_count_participants (hub, room->id) >= room->capacity)
    cfs_http_send_error (request->msg, SOUP_STATUS_CONFLICT, CONFAB_ERR_ROOM_FULL,
                         "Room %" G_GINT64_FORMAT " is full (%u of %u seats taken); try again later.",
                         room->id, cfs_hub_count_participants (hub, room->id), room->capacity);
  else
    cfs_http_send_error (request->msg, SOUP_STATUS_CONFLICT, CONFAB_ERR_NOT_SEATED,
                         "Join room %" G_GINT64_FORMAT " first: send joinRoom over the "
                         "WebSocket, wait for roomState, then request the token.", room->id);

  return FALSE;
}

void
cfs_routes_create_token (CfsRequest *request)
{
  CfsServer *server = request->server;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CfsRoom) room = cfs_routes_load_room (request);
  g_autofree char *jwt = NULL;
  const char *role;
  gint64 until = 0;
  gint64 expires_at = 0;

  if (room == NULL)
    return;

  if (cfs_store_get_ban (server->store, room->id, request->user->id, &until))
    {
      g_message ("Refused a meeting token to banned user %" G_GINT64_FORMAT " in room %" G_GINT64_FORMAT,
                 request->user->id, room->id);
      send_banned (request, until);
      return;
    }

  if (server->config->jitsi_domain == NULL)
    {
      cfs_http_send_error (request->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, CONFAB_ERR_JITSI_NOT_CONFIGURED,
                           "This server has no Jitsi deployment: its admin sets “domain” in "
                           "group [jitsi] of the config file, or --jitsi-domain.");
      return;
    }

  if (!check_seat (request, room))
    return;

  role = cfs_store_get_role (server->store, room->id, request->user->id);
  jwt = cfs_jitsi_create_token (server->config, request->user, room, role, now_seconds (),
                                &expires_at, &error);
  if (jwt == NULL)
    {
      cfs_http_send_internal_error (request->msg, "sign the meeting token", error);
      return;
    }

  g_message ("Issued a meeting token to user %" G_GINT64_FORMAT " for room %" G_GINT64_FORMAT
             " as %s", request->user->id, room->id, role);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jwt");
  json_builder_add_string_value (builder, jwt);
  json_builder_set_member_name (builder, "domain");
  json_builder_add_string_value (builder, server->config->jitsi_domain);
  json_builder_set_member_name (builder, "jitsi_room");
  json_builder_add_string_value (builder, room->jitsi_room);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, role);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_int_value (builder, expires_at);
  json_builder_end_object (builder);

  cfs_http_forbid_caching (request->msg);
  cfs_http_send_builder (request->msg, SOUP_STATUS_OK, builder);
}

static void
set_moderator (CfsRequest *request,
               gboolean    moderator)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfsRoom) room = cfs_routes_load_room (request);
  g_autoptr(CfsUser) target = NULL;

  if (room == NULL || !check_owner (request, room) || (target = load_target_user (request)) == NULL)
    return;

  if (target->id == room->owner_id)
    {
      cfs_http_send_error (request->msg, SOUP_STATUS_BAD_REQUEST, CONFAB_ERR_INVALID_FIELD,
                           "User %" G_GINT64_FORMAT " owns room %" G_GINT64_FORMAT
                           "; the owner's role cannot change.", target->id, room->id);
      return;
    }

  if (!cfs_store_set_moderator (request->server->store, room->id, target->id, request->user->id,
                                moderator, &error))
    {
      cfs_http_send_internal_error (request->msg, "change the role", error);
      return;
    }

  g_message ("User %" G_GINT64_FORMAT " %s moderator for user %" G_GINT64_FORMAT
             " in room %" G_GINT64_FORMAT, request->user->id, moderator ? "granted" : "revoked",
             target->id, room->id);
  cfs_hub_role_changed (request->server->hub, room->id, target->id, request->user->id);
  cfs_http_send_no_content (request->msg);
}

void
cfs_routes_grant_moderator (CfsRequest *request)
{
  set_moderator (request, TRUE);
}

void
cfs_routes_revoke_moderator (CfsRequest *request)
{
  set_moderator (request, FALSE);
}

/* Serves GET /api/v1/rooms/{id}/moderators (hosts). */
void
cfs_routes_list_moderators (CfsRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CfsRoom) room = cfs_routes_load_room (request);
  g_autoptr(GPtrArray) moderators = NULL;

  if (room == NULL || !cfs_routes_check_host (request, room))
    return;

  moderators = cfs_store_list_moderators (request->server->store, room->id, &error);
  if (moderators == NULL)
    {
      cfs_http_send_internal_error (request->msg, "list the moderators", error);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "moderators");
  json_builder_begin_array (builder);
  for (guint i = 0; i < moderators->len; i++)
    {
      CfsModerator *moderator = g_ptr_array_index (moderators, i);

      json_builder_begin_object (builder);
      cfs_routes_add_user_ref (builder, "user", moderator->user_id, moderator->user_name);
      cfs_routes_add_user_ref (builder, "granted_by", moderator->by_user_id, moderator->by_name);
      json_builder_set_member_name (builder, "granted_at");
      json_builder_add_int_value (builder, moderator->granted_at);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  cfs_http_send_builder (request->msg, SOUP_STATUS_OK, builder);
}

void
cfs_routes_list_bans (CfsRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CfsRoom) room = cfs_routes_load_room (request);
  g_autoptr(GPtrArray) bans = NULL;

  if (room == NULL || !cfs_routes_check_host (request, room))
    return;

  bans = cfs_store_list_bans (request->server->store, room->id, &error);
  if (bans == NULL)
    {
      cfs_http_send_internal_error (request->msg, "list the bans", error);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "bans");
  json_builder_begin_array (builder);
  for (guint i = 0; i < bans->len; i++)
    {
      CfsBan *ban = g_ptr_array_index (bans, i);

      json_builder_begin_object (builder);
      cfs_routes_add_user_ref (builder, "user", ban->user_id, ban->user_name);
      cfs_routes_add_user_ref (builder, "by", ban->by_user_id, ban->by_name);
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, ban->reason);
      json_builder_set_member_name (builder, "created_at");
      json_builder_add_int_value (builder, ban->created_at);
      add_nullable_time (builder, "until", ban->until);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  cfs_http_send_builder (request->msg, SOUP_STATUS_OK, builder);
}

void
cfs_routes_ban_user (CfsRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfsRoom) room = cfs_routes_load_room (request);
  g_autoptr(CfsUser) target = NULL;
  const char *reason = NULL;
  gboolean has_duration = FALSE;
  gint64 duration = 0;
  gint64 until;

  if (room == NULL || !cfs_routes_check_host (request, room) || (target = load_target_user (request)) == NULL)
    return;

  if (!cfs_http_get_int_field (request->body, "duration", 0, G_MAXINT32, &has_duration,
                               &duration, &error) ||
      !cfs_http_get_string_field (request->body, "reason", FALSE, 0, CONFAB_KICK_REASON_MAX_CHARS,
                                  &reason, &error))
    {
      cfs_http_send_gerror (request->msg, error);
      return;
    }

  if (target->id == room->owner_id)
    {
      cfs_http_send_error (request->msg, SOUP_STATUS_FORBIDDEN, CONFAB_ERR_FORBIDDEN,
                           "User %" G_GINT64_FORMAT " owns room %" G_GINT64_FORMAT
                           " and cannot be banned from it.", target->id, room->id);
      return;
    }

  until = duration > 0 ? now_seconds () + duration : 0;
  if (!cfs_store_set_ban (request->server->store, room->id, target->id, request->user->id,
                          until, reason, &error))
    {
      cfs_http_send_internal_error (request->msg, "ban the user", error);
      return;
    }

  g_message ("User %" G_GINT64_FORMAT " banned user %" G_GINT64_FORMAT " from room %"
             G_GINT64_FORMAT " for %" G_GINT64_FORMAT " s (0: until lifted)",
             request->user->id, target->id, room->id, duration);
  cfs_hub_ban_changed (request->server->hub, room->id, target->id, request->user->id);
  cfs_http_send_no_content (request->msg);
}

void
cfs_routes_unban_user (CfsRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfsRoom) room = cfs_routes_load_room (request);
  g_autoptr(CfsUser) target = NULL;

  if (room == NULL || !cfs_routes_check_host (request, room) || (target = load_target_user (request)) == NULL)
    return;

  if (!cfs_store_remove_ban (request->server->store, room->id, target->id, &error))
    {
      cfs_http_send_internal_error (request->msg, "lift the ban", error);
      return;
    }

  g_message ("User %" G_GINT64_FORMAT " lifted the ban of user %" G_GINT64_FORMAT
             " from room %" G_GINT64_FORMAT, request->user->id, target->id, room->id);
  cfs_hub_ban_changed (request->server->hub, room->id, target->id, request->user->id);
  cfs_http_send_no_content (request->msg);
}
