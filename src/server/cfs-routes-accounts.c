/* cfs-routes-accounts.c: registration, login, logout and the signed-in
 * user's own account.
 *
 * Password hashing and verification run on cfs-auth's worker threads; the
 * handlers pause the message meanwhile and respond from the callback.
 */
#define G_LOG_DOMAIN "confab-auth"

#include "config.h"

#include <string.h>

#include "cfs-http.h"
#include "cfs-routes.h"
#include "confab-protocol.h"

typedef struct {
  const char *name;
  const char *email;
  const char *password;
  const char *avatar_url;
  gboolean    is_admin;
} AccountFields;

typedef struct {
  CfsRequest    *request;
  AccountFields  fields;      /* borrowed from request->body */
  CfsUser       *user;        /* login: the account, NULL when unknown */
  char          *email_key;
  char          *address;
  gboolean       with_session;
} AccountJob;

static void
account_job_free (AccountJob *job)
{
  cfs_request_unpause (job->request);
  cfs_user_free (job->user);
  g_free (job->email_key);
  g_free (job->address);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AccountJob, account_job_free)

static AccountJob *
account_job_new (CfsRequest *request)
{
  AccountJob *job = g_new0 (AccountJob, 1);

  cfs_request_pause (request);
  job->request = request;

  return job;
}

/**
 * cfs_routes_check_email:
 * @field: the field's name, for the error message
 *
 * Checks that @email looks like an address: one `@` with text on both
 * sides, no spaces or control characters, at most %CONFAB_EMAIL_MAX bytes.
 */
gboolean
cfs_routes_check_email (const char  *email,
                        const char  *field,
                        GError     **error)
{
  const char *at = strchr (email, '@');
  gboolean valid = at != NULL && at != email && at[1] != '\0' &&
                   strchr (at + 1, '@') == NULL && strlen (email) <= CONFAB_EMAIL_MAX;

  for (const char *p = email; valid && *p != '\0'; p++)
    valid = !g_ascii_isspace (*p) && (guchar) *p >= 0x20 && *p != 0x7f;

  if (!valid)
    g_set_error (error, CFS_HTTP_ERROR, CFS_HTTP_ERROR_INVALID_FIELD,
                 "Field “%s” must be an email address like name@example.org, "
                 "at most %d bytes.", field, CONFAB_EMAIL_MAX);

  return valid;
}

static gboolean
get_password_field (JsonObject  *body,
                    const char  *name,
                    gsize        min_bytes,
                    const char **value_out,
                    GError     **error)
{
  JsonNode *node = json_object_get_member (body, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING ||
      strlen (json_node_get_string (node)) < min_bytes ||
      strlen (json_node_get_string (node)) > CONFAB_PASSWORD_MAX)
    {
      g_set_error (error, CFS_HTTP_ERROR, CFS_HTTP_ERROR_INVALID_FIELD,
                   "Field “%s” must be a string of %zu to %d bytes.",
                   name, min_bytes, CONFAB_PASSWORD_MAX);
      return FALSE;
    }

  *value_out = json_node_get_string (node);
  return TRUE;
}

static gboolean
read_account_fields (JsonObject     *body,
                     AccountFields  *fields,
                     GError        **error)
{
  gboolean present;

  return cfs_http_get_string_field (body, "name", TRUE, 1, CONFAB_USER_NAME_MAX_CHARS,
                                    &fields->name, error) &&
         cfs_http_get_string_field (body, "email", TRUE, 1, CONFAB_EMAIL_MAX,
                                    &fields->email, error) &&
         cfs_routes_check_email (fields->email, "email", error) &&
         get_password_field (body, "password", CONFAB_PASSWORD_MIN, &fields->password, error) &&
         cfs_http_get_string_field (body, "avatar_url", FALSE, 1, CONFAB_URL_MAX,
                                    &fields->avatar_url, error) &&
         (fields->avatar_url == NULL || cfs_http_check_url ("avatar_url", fields->avatar_url, error)) &&
         cfs_http_get_bool_field (body, "is_admin", &present, &fields->is_admin, error);
}

static void
send_user (SoupServerMessage *msg,
           guint              status,
           const CfsUser     *user)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  cfs_routes_add_user_json (builder, user);
  cfs_http_send_builder (msg, status, builder);
}

/* Starts a session for @user and responds with its token. */
static void
send_new_session (CfsRequest    *request,
                  guint          status,
                  const CfsUser *user)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  gint64 expires_at = 0;

  token = cfs_store_create_session (request->server->store, user->id,
                                    request->server->config->session_ttl_seconds,
                                    &expires_at, &error);
  if (token == NULL)
    {
      cfs_http_send_internal_error (request->msg, "start a session", error);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_int_value (builder, expires_at);
  json_builder_set_member_name (builder, "user");
  cfs_routes_add_user_json (builder, user);
  json_builder_end_object (builder);

  cfs_http_forbid_caching (request->msg);
  cfs_http_send_builder (request->msg, status, builder);
}

static void
send_email_taken (SoupServerMessage *msg,
                  const char        *email)
{
  cfs_http_send_error (msg, SOUP_STATUS_CONFLICT, CONFAB_ERR_EMAIL_TAKEN,
                       "An account with the email “%s” already exists; sign in instead.", email);
}

static gboolean
is_email_taken (CfsRequest *request,
                const char *email)
{
  g_autoptr(CfsUser) existing = NULL;

  existing = cfs_store_find_user_by_email (request->server->store, email, NULL, NULL);

  return existing != NULL;
}

static void
create_account_hashed_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(AccountJob) job = user_data;
  CfsRequest *request = job->request;
  g_autoptr(GError) error = NULL;
  g_autofree char *password_hash = NULL;
  g_autoptr(CfsUser) user = NULL;

  password_hash = cfs_auth_hash_password_finish (CFS_AUTH (source), result, &error);
  if (password_hash == NULL)
    {
      cfs_http_send_internal_error (request->msg, "hash the password", error);
      return;
    }

  user = cfs_store_create_user (request->server->store, job->fields.name, job->fields.email,
                                password_hash, job->fields.avatar_url, job->fields.is_admin,
                                &error);
  if (g_error_matches (error, CFS_STORE_ERROR, CFS_STORE_ERROR_EMAIL_TAKEN))
    {
      send_email_taken (request->msg, job->fields.email);
      return;
    }
  if (user == NULL)
    {
      cfs_http_send_internal_error (request->msg, "create the account", error);
      return;
    }

  if (job->with_session)
    {
      g_message ("Registered user %" G_GINT64_FORMAT, user->id);
      send_new_session (request, SOUP_STATUS_CREATED, user);
    }
  else
    {
      g_message ("User %" G_GINT64_FORMAT " created account %" G_GINT64_FORMAT "%s",
                 request->user->id, user->id, user->is_admin ? " (site admin)" : "");
      send_user (request->msg, SOUP_STATUS_CREATED, user);
    }
}

static void
create_account (CfsRequest *request,
                gboolean    with_session)
{
  AccountJob *job;
  g_autoptr(GError) error = NULL;
  AccountFields fields = { 0 };

  if (!read_account_fields (request->body, &fields, &error))
    {
      cfs_http_send_gerror (request->msg, error);
      return;
    }

  /* Checked before hashing too, so a taken email costs no Argon2 work; the
   * UNIQUE constraint still decides when two registrations race.
   */
  if (is_email_taken (request, fields.email))
    {
      send_email_taken (request->msg, fields.email);
      return;
    }

  job = account_job_new (request);
  job->fields = fields;
  job->with_session = with_session;
  cfs_auth_hash_password_async (request->server->auth, fields.password, NULL,
                                create_account_hashed_cb, job);
}

static void
send_rate_limited (SoupServerMessage *msg,
                   guint              retry_after)
{
  g_autofree char *seconds = g_strdup_printf ("%u", retry_after);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Retry-After", seconds);
  cfs_http_send_error (msg, CFS_HTTP_STATUS_TOO_MANY_REQUESTS, CONFAB_ERR_RATE_LIMITED,
                       "Too many failed logins; try again in %u seconds.", retry_after);
}

static void
login_verified_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(AccountJob) job = user_data;
  CfsRequest *request = job->request;
  g_autoptr(GError) error = NULL;
  gboolean match;

  match = cfs_auth_verify_password_finish (CFS_AUTH (source), result, &error);
  if (error != NULL)
    {
      cfs_http_send_internal_error (request->msg, "verify the password", error);
      return;
    }

  if (!match)
    {
      cfs_auth_record_login_failure (request->server->auth, job->email_key, job->address);
      if (job->user != NULL)
        g_message ("Failed login for user %" G_GINT64_FORMAT " from %s", job->user->id, job->address);
      else
        g_message ("Failed login for an unknown email from %s", job->address);

      cfs_http_send_error (request->msg, SOUP_STATUS_UNAUTHORIZED, CONFAB_ERR_INVALID_CREDENTIALS,
                           "Wrong email or password.");
      return;
    }

  /* Only the right password learns that the account is disabled, and that
   * attempt does not count as a failed login.
   */
  if (job->user->disabled)
    {
      g_message ("Rejected a login for disabled user %" G_GINT64_FORMAT " from %s",
                 job->user->id, job->address);
      cfs_http_send_error (request->msg, SOUP_STATUS_FORBIDDEN, CONFAB_ERR_ACCOUNT_DISABLED,
                           "A site admin disabled this account. Ask a site admin to enable it again.");
      return;
    }

  cfs_auth_record_login_success (request->server->auth, job->email_key);
  g_message ("User %" G_GINT64_FORMAT " signed in from %s", job->user->id, job->address);
  send_new_session (request, SOUP_STATUS_OK, job->user);
}

void
cfs_routes_login (CfsRequest *request)
{
  CfsServer *server = request->server;
  g_autoptr(GError) error = NULL;
  g_autofree char *password_hash = NULL;
  const char *email;
  const char *password;
  AccountJob *job;
  guint retry_after = 0;

  if (!cfs_http_get_string_field (request->body, "email", TRUE, 1, CONFAB_EMAIL_MAX,
                                  &email, &error) ||
      !get_password_field (request->body, "password", 1, &password, &error))
    {
      cfs_http_send_gerror (request->msg, error);
      return;
    }

  job = account_job_new (request);
  job->email_key = cfs_store_make_email_key (email);
  job->address = cfs_http_get_client_address (request->msg,
                                              (const char * const *) server->config->trusted_proxies);

  if (!cfs_auth_check_login_allowed (server->auth, job->email_key, job->address, &retry_after))
    {
      g_message ("Rejected a login from %s: too many failures", job->address);
      send_rate_limited (request->msg, retry_after);
      account_job_free (job);
      return;
    }

  job->user = cfs_store_find_user_by_email (server->store, email, &password_hash, &error);
  if (job->user == NULL && !g_error_matches (error, CFS_STORE_ERROR, CFS_STORE_ERROR_NOT_FOUND))
    {
      cfs_http_send_internal_error (request->msg, "look up the account", error);
      account_job_free (job);
      return;
    }

  cfs_auth_verify_password_async (server->auth, password_hash, password, NULL,
                                  login_verified_cb, job);
}

void
cfs_routes_add_user_json (JsonBuilder   *builder,
                          const CfsUser *user)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, user->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, user->name);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, user->email);
  json_builder_set_member_name (builder, "avatar_url");
  if (user->avatar_url != NULL)
    json_builder_add_string_value (builder, user->avatar_url);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "is_admin");
  json_builder_add_boolean_value (builder, user->is_admin);
  json_builder_end_object (builder);
}

void
cfs_routes_get_server_info (CfsRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const CfsConfig *config = request->server->config;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_set_member_name (builder, "registration");
  json_builder_add_string_value (builder,
                                 config->registration == CFS_REGISTRATION_OPEN ? "open" : "closed");
  json_builder_set_member_name (builder, "jitsi_domain");
  if (config->jitsi_domain != NULL)
    json_builder_add_string_value (builder, config->jitsi_domain);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "email_invites");
  json_builder_add_boolean_value (builder, request->server->smtp != NULL);
  json_builder_end_object (builder);

  cfs_http_send_builder (request->msg, SOUP_STATUS_OK, builder);
}

void
cfs_routes_register (CfsRequest *request)
{
  if (request->server->config->registration == CFS_REGISTRATION_CLOSED)
    {
      cfs_http_send_error (request->msg, SOUP_STATUS_FORBIDDEN, CONFAB_ERR_REGISTRATION_CLOSED,
                           "Registration is closed on this server; ask a site admin for an account.");
      return;
    }

  if (json_object_has_member (request->body, "is_admin"))
    {
      cfs_http_send_error (request->msg, SOUP_STATUS_BAD_REQUEST, CONFAB_ERR_INVALID_FIELD,
                           "Field “is_admin” cannot be set at registration; a site admin grants it.");
      return;
    }

  create_account (request, TRUE);
}

void
cfs_routes_create_user (CfsRequest *request)
{
  if (!request->user->is_admin)
    {
      cfs_http_send_error (request->msg, SOUP_STATUS_FORBIDDEN, CONFAB_ERR_FORBIDDEN,
                           "Only site admins can create accounts.");
      return;
    }

  create_account (request, FALSE);
}

void
cfs_routes_logout (CfsRequest *request)
{
  g_autoptr(GError) error = NULL;

  if (!cfs_store_delete_session (request->server->store, request->token_hash, &error))
    {
      cfs_http_send_internal_error (request->msg, "end the session", error);
      return;
    }

  cfs_hub_end_sessions (request->server->hub, request->user->id, request->token_hash,
                        CONFAB_SESSION_END_SIGNED_OUT);
  g_message ("User %" G_GINT64_FORMAT " signed out", request->user->id);
  cfs_http_send_no_content (request->msg);
}

/* Serves POST /api/v1/auth/logout-all: ends every session of the user,
 * this one included, and closes all of the user's WebSockets.
 */
void
cfs_routes_logout_all (CfsRequest *request)
{
  g_autoptr(GError) error = NULL;

  if (!cfs_store_delete_sessions (request->server->store, request->user->id, NULL, &error))
    {
      cfs_http_send_internal_error (request->msg, "end the sessions", error);
      return;
    }

  cfs_hub_end_sessions (request->server->hub, request->user->id, NULL, CONFAB_SESSION_END_EVERYWHERE);
  g_message ("User %" G_GINT64_FORMAT " signed out everywhere", request->user->id);
  cfs_http_send_no_content (request->msg);
}

void
cfs_routes_get_me (CfsRequest *request)
{
  send_user (request->msg, SOUP_STATUS_OK, request->user);
}

/* Room objects carry the owner's name, so lobby watchers need the user's
 * rooms again after a rename.
 */
static void
announce_owned_rooms (CfsRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rooms = cfs_store_list_rooms (request->server->store, &error);

  if (rooms == NULL)
    {
      g_warning ("Failed to list the rooms of user %" G_GINT64_FORMAT " after a rename: %s",
                 request->user->id, error->message);
      return;
    }

  for (guint i = 0; i < rooms->len; i++)
    {
      CfsRoom *room = g_ptr_array_index (rooms, i);

      if (room->owner_id == request->user->id)
        cfs_hub_room_changed (request->server->hub, room->id);
    }
}

void
cfs_routes_update_me (CfsRequest *request)
{
  CfsStore *store = request->server->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(CfsUser) updated = NULL;
  JsonNode *avatar_node = json_object_get_member (request->body, "avatar_url");
  const char *name = NULL;
  const char *avatar_url = NULL;

  if (!cfs_http_get_string_field (request->body, "name", FALSE, 1, CONFAB_USER_NAME_MAX_CHARS,
                                  &name, &error) ||
      !cfs_http_get_string_field (request->body, "avatar_url", FALSE, 1, CONFAB_URL_MAX,
                                  &avatar_url, &error) ||
      (avatar_url != NULL && !cfs_http_check_url ("avatar_url", avatar_url, &error)))
    {
      cfs_http_send_gerror (request->msg, error);
      return;
    }

  if (!cfs_store_update_user (store, request->user->id, name, avatar_node != NULL, avatar_url, &error) ||
      (updated = cfs_store_get_user (store, request->user->id, &error)) == NULL)
    {
      cfs_http_send_internal_error (request->msg, "update the account", error);
      return;
    }

  if (name != NULL && g_strcmp0 (name, request->user->name) != 0)
    announce_owned_rooms (request);

  if (g_strcmp0 (updated->name, request->user->name) != 0 ||
      g_strcmp0 (updated->avatar_url, request->user->avatar_url) != 0)
    cfs_hub_user_updated (request->server->hub, updated);

  send_user (request->msg, SOUP_STATUS_OK, updated);
}

/* Ends the user's other sessions and closes their WebSockets; the session
 * that changed the password stays signed in.
 */
static void
end_other_sessions (CfsRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) hashes = NULL;

  hashes = cfs_store_list_session_hashes (request->server->store, request->user->id,
                                          request->token_hash, &error);
  if (hashes == NULL ||
      !cfs_store_delete_sessions (request->server->store, request->user->id,
                                  request->token_hash, &error))
    {
      g_warning ("Failed to end the other sessions of user %" G_GINT64_FORMAT ": %s",
                 request->user->id, error->message);
      return;
    }

  for (guint i = 0; hashes[i] != NULL; i++)
    cfs_hub_end_sessions (request->server->hub, request->user->id, hashes[i], CONFAB_SESSION_END_PASSWORD);
}

static void
new_password_hashed_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(AccountJob) job = user_data;
  CfsRequest *request = job->request;
  g_autoptr(GError) error = NULL;
  g_autofree char *password_hash = NULL;

  password_hash = cfs_auth_hash_password_finish (CFS_AUTH (source), result, &error);
  if (password_hash == NULL ||
      !cfs_store_set_password_hash (request->server->store, request->user->id, password_hash, &error))
    {
      cfs_http_send_internal_error (request->msg, "change the password", error);
      return;
    }

  end_other_sessions (request);
  g_message ("User %" G_GINT64_FORMAT " changed their password", request->user->id);
  cfs_http_send_no_content (request->msg);
}

static void
current_password_verified_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(AccountJob) job = user_data;
  CfsRequest *request = job->request;
  g_autoptr(GError) error = NULL;
  const char *new_password;

  if (!cfs_auth_verify_password_finish (CFS_AUTH (source), result, &error))
    {
      if (error != NULL)
        cfs_http_send_internal_error (request->msg, "verify the password", error);
      else
        cfs_http_send_error (request->msg, SOUP_STATUS_FORBIDDEN, CONFAB_ERR_INVALID_CREDENTIALS,
                             "The current password is wrong: type the password the account has now.");
      return;
    }

  new_password = job->fields.password;
  cfs_auth_hash_password_async (CFS_AUTH (source), new_password, NULL,
                                new_password_hashed_cb, g_steal_pointer (&job));
}

void
cfs_routes_change_password (CfsRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password_hash = NULL;
  const char *current_password;
  const char *new_password;
  AccountJob *job;

  if (!get_password_field (request->body, "current_password", 1, &current_password, &error) ||
      !get_password_field (request->body, "new_password", CONFAB_PASSWORD_MIN, &new_password, &error))
    {
      cfs_http_send_gerror (request->msg, error);
      return;
    }

  password_hash = cfs_store_get_password_hash (request->server->store, request->user->id, &error);
  if (password_hash == NULL)
    {
      cfs_http_send_internal_error (request->msg, "read the account", error);
      return;
    }

  job = account_job_new (request);
  job->fields.password = new_password;
  cfs_auth_verify_password_async (request->server->auth, password_hash, current_password, NULL,
                                  current_password_verified_cb, job);
}
