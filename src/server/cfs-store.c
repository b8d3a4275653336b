/* cfs-store.c: users, sessions, rooms, roles and bans in SQLite.
 *
 * The store runs on the main thread only: SQLite in WAL mode with
 * synchronous=NORMAL keeps each statement short, and the busy timeout covers
 * a second process (such as `confab-server --grant-admin`) writing at the
 * same time.
 */
#define G_LOG_DOMAIN "confab-store"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "cfs-schema.h"
#include "cfs-store.h"
#include "cfs-store-private.h"
#include "confab-protocol.h"
#include "confab-slug.h"

#define BUSY_TIMEOUT_MS 5000
#define SESSION_TOKEN_BYTES 32

#define USER_COLUMNS "u.id, u.name, u.email, u.avatar_url, u.is_admin, u.disabled, u.created_at"
#define ROOM_COLUMNS "r.id, r.name, r.topic, r.capacity, r.jitsi_room, r.owner_id, u.name, r.created_at, r.private"

struct _CfsStore
{
  GObject  parent_instance;

  sqlite3 *db;
  char    *path;
};

G_DEFINE_FINAL_TYPE (CfsStore, cfs_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (cfs-store-error-quark, cfs_store_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
set_sqlite_error (CfsStore    *self,
                  const char  *what,
                  GError     **error)
{
  int code = sqlite3_extended_errcode (self->db);

  if (code == SQLITE_CONSTRAINT_FOREIGNKEY)
    g_set_error (error, CFS_STORE_ERROR, CFS_STORE_ERROR_NOT_FOUND,
                 "Failed to %s: the room or user does not exist", what);
  else
    g_set_error (error, CFS_STORE_ERROR, CFS_STORE_ERROR_FAILED,
                 "Failed to %s in %s: %s", what, self->path, sqlite3_errmsg (self->db));

  return FALSE;
}

static sqlite3_stmt *
prepare (CfsStore    *self,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, CFS_STORE_ERROR, CFS_STORE_ERROR_FAILED,
                   "Failed to prepare SQL in %s: %s", self->path, sqlite3_errmsg (self->db));
      return NULL;
    }

  return stmt;
}

static gboolean
exec_sql (CfsStore    *self,
          const char  *sql,
          GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, CFS_STORE_ERROR, CFS_STORE_ERROR_FAILED,
                   "Failed to run SQL on %s: %s", self->path, message);
      sqlite3_free (message);
      return FALSE;
    }

  return TRUE;
}

/* Runs a statement that returns no rows, finalizing it. */
static gboolean
step_done (CfsStore      *self,
           sqlite3_stmt  *stmt,
           const char    *what,
           GError       **error)
{
  g_autoptr(sqlite3_stmt) owned = stmt;

  if (sqlite3_step (owned) != SQLITE_DONE)
    return set_sqlite_error (self, what, error);

  return TRUE;
}

static char *
dup_column_text (sqlite3_stmt *stmt,
                 int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static CfsUser *
read_user (sqlite3_stmt *stmt)
{
  CfsUser *user = g_new0 (CfsUser, 1);

  user->id = sqlite3_column_int64 (stmt, 0);
  user->name = dup_column_text (stmt, 1);
  user->email = dup_column_text (stmt, 2);
  user->avatar_url = dup_column_text (stmt, 3);
  user->is_admin = sqlite3_column_int (stmt, 4) != 0;
  user->disabled = sqlite3_column_int (stmt, 5) != 0;
  user->created_at = sqlite3_column_int64 (stmt, 6);

  return user;
}

static CfsRoom *
read_room (sqlite3_stmt *stmt)
{
  CfsRoom *room = g_new0 (CfsRoom, 1);

  room->id = sqlite3_column_int64 (stmt, 0);
  room->name = dup_column_text (stmt, 1);
  room->topic = dup_column_text (stmt, 2);
  room->capacity = sqlite3_column_int (stmt, 3);
  room->jitsi_room = dup_column_text (stmt, 4);
  room->owner_id = sqlite3_column_int64 (stmt, 5);
  room->owner_name = dup_column_text (stmt, 6);
  room->created_at = sqlite3_column_int64 (stmt, 7);
  room->is_private = sqlite3_column_int (stmt, 8) != 0;

  return room;
}

static int
read_schema_version (CfsStore *self)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "PRAGMA user_version", NULL);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return -1;

  return sqlite3_column_int (stmt, 0);
}

static gboolean
run_migration (CfsStore    *self,
               const char  *sql,
               int          version,
               GError     **error)
{
  g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", version);

  if (!exec_sql (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!exec_sql (self, sql, error) || !exec_sql (self, set_version, error))
    {
      exec_sql (self, "ROLLBACK", NULL);
      g_prefix_error (error, "Migration to schema version %d failed: ", version);
      return FALSE;
    }

  return exec_sql (self, "COMMIT", error);
}

/* Brings the database to the newest version in @migrations, refusing one
 * written by a newer confab-server, whose tables this build cannot read.
 */
static gboolean
migrate (CfsStore            *self,
         const char * const  *migrations,
         int                  n_migrations,
         GError             **error)
{
  int version = read_schema_version (self);

  if (version < 0)
    return set_sqlite_error (self, "read the schema version", error);

  if (version > n_migrations)
    {
      g_set_error (error, CFS_STORE_ERROR, CFS_STORE_ERROR_NEWER_SCHEMA,
                   "The database %s has schema version %d, but this confab-server "
                   "supports versions up to %d: upgrade confab-server, or point "
                   "it at another database",
                   self->path, version, n_migrations);
      return FALSE;
    }

  for (int v = version; v < n_migrations; v++)
    {
      if (!run_migration (self, migrations[v], v + 1, error))
        return FALSE;

      g_message ("Migrated database %s to schema version %d", self->path, v + 1);
    }

  return TRUE;
}

static gboolean
configure_connection (CfsStore  *self,
                      GError   **error)
{
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  return exec_sql (self,
                   "PRAGMA journal_mode = WAL;"
                   "PRAGMA synchronous = NORMAL;"
                   "PRAGMA foreign_keys = ON;",
                   error);
}

static char *
generate_token (void)
{
  guchar bytes[SESSION_TOKEN_BYTES];
  char hex[SESSION_TOKEN_BYTES * 2 + 1];

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2hex (hex, sizeof hex, bytes, sizeof bytes);
  sodium_memzero (bytes, sizeof bytes);

  return g_strdup (hex);
}

static void
cfs_store_finalize (GObject *object)
{
  CfsStore *self = CFS_STORE (object);

  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);

  G_OBJECT_CLASS (cfs_store_parent_class)->finalize (object);
}

static void
cfs_store_class_init (CfsStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cfs_store_finalize;
}

static void
cfs_store_init (CfsStore *self)
{
}

void
cfs_ban_free (CfsBan *ban)
{
  if (ban == NULL)
    return;

  g_free (ban->user_name);
  g_free (ban->by_name);
  g_free (ban->reason);
  g_free (ban);
}

int
cfs_store_schema_version (void)
{
  return G_N_ELEMENTS (cfs_schema_migrations);
}

CfsStore *
cfs_store_open_with_migrations (const char          *path,
                                const char * const  *migrations,
                                int                  n_migrations,
                                GError             **error)
{
  g_autoptr(CfsStore) self = g_object_new (CFS_TYPE_STORE, NULL);
  g_autofree char *dir = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Failed to create the database directory %s: %s",
                   dir, g_strerror (saved_errno));
      return NULL;
    }

  self->path = g_strdup (path);
  if (sqlite3_open_v2 (path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, CFS_STORE_ERROR, CFS_STORE_ERROR_FAILED,
                   "Failed to open the database %s: %s", path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }

  if (!configure_connection (self, error) ||
      !migrate (self, migrations, n_migrations, error))
    return NULL;

  exec_sql (self, "DELETE FROM sessions WHERE expires_at <= strftime('%s', 'now')", NULL);

  return g_steal_pointer (&self);
}

/**
 * cfs_store_open:
 * @path: the SQLite database file, created with its directory if missing
 *
 * Opens the database and migrates it to the newest schema.
 *
 * Returns: (transfer full): the store, or %NULL with @error set; the error
 *   is %CFS_STORE_ERROR_NEWER_SCHEMA for a database of a newer release
 */
CfsStore *
cfs_store_open (const char  *path,
                GError     **error)
{
  return cfs_store_open_with_migrations (path, cfs_schema_migrations,
                                         G_N_ELEMENTS (cfs_schema_migrations),
                                         error);
}

sqlite3 *
cfs_store_get_db (CfsStore *self)
{
  g_return_val_if_fail (CFS_IS_STORE (self), NULL);

  return self->db;
}

/**
 * cfs_store_make_email_key:
 * @email: an email address, UTF-8
 *
 * Returns: (transfer full): the case-folded, normalized form under which
 *   emails are unique
 */
char *
cfs_store_make_email_key (const char *email)
{
  g_autofree char *stripped = g_strstrip (g_strdup (email));
  g_autofree char *normalized = g_utf8_normalize (stripped, -1, G_NORMALIZE_NFKC);

  if (normalized == NULL)
    return g_strdup (stripped);

  return g_utf8_casefold (normalized, -1);
}

CfsUser *
cfs_store_create_user (CfsStore    *self,
                       const char  *name,
                       const char  *email,
                       const char  *password_hash,
                       const char  *avatar_url,
                       gboolean     is_admin,
                       GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *email_key = NULL;

  g_return_val_if_fail (CFS_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL && email != NULL && password_hash != NULL, NULL);

  stmt = prepare (self,
                  "INSERT INTO users (name, email, email_key, password_hash, avatar_url,"
                  " is_admin, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                  error);
  if (stmt == NULL)
    return NULL;

  email_key = cfs_store_make_email_key (email);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, email, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, email_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, password_hash, -1, SQLITE_TRANSIENT);
  if (avatar_url != NULL)
    sqlite3_bind_text (stmt, 5, avatar_url, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 5);
  sqlite3_bind_int (stmt, 6, is_admin ? 1 : 0);
  sqlite3_bind_int64 (stmt, 7, now_seconds ());

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_UNIQUE)
        {
          g_set_error (error, CFS_STORE_ERROR, CFS_STORE_ERROR_EMAIL_TAKEN,
                       "An account with the email “%s” already exists", email);
          return NULL;
        }

      set_sqlite_error (self, "create a user", error);
      return NULL;
    }

  return cfs_store_get_user (self, sqlite3_last_insert_rowid (self->db), error);
}

CfsUser *
cfs_store_get_user (CfsStore  *self,
                    gint64     user_id,
                    GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CFS_IS_STORE (self), NULL);

  stmt = prepare (self, "SELECT " USER_COLUMNS " FROM users u WHERE u.id = ?", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, user_id);

  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      return read_user (stmt);

    case SQLITE_DONE:
      g_set_error (error, CFS_STORE_ERROR, CFS_STORE_ERROR_NOT_FOUND,
                   "User %" G_GINT64_FORMAT " not found", user_id);
      return NULL;

    default:
      set_sqlite_error (self, "read a user", error);
      return NULL;
    }
}

/**
 * cfs_store_find_user_by_email:
 * @password_hash_out: (out) (optional): the user's Argon2id hash string
 *
 * Looks a user up by email, compared case-insensitively.
 *
 * Returns: (transfer full): the user, or %NULL with
 *   %CFS_STORE_ERROR_NOT_FOUND
 */
CfsUser *
cfs_store_find_user_by_email (CfsStore    *self,
                              const char  *email,
                              char       **password_hash_out,
                              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *email_key = NULL;

  g_return_val_if_fail (CFS_IS_STORE (self), NULL);
  g_return_val_if_fail (email != NULL, NULL);

  stmt = prepare (self,
                  "SELECT " USER_COLUMNS ", u.password_hash FROM users u WHERE u.email_key = ?",
                  error);
  if (stmt == NULL)
    return NULL;

  email_key = cfs_store_make_email_key (email);
  sqlite3_bind_text (stmt, 1, email_key, -1, SQLITE_TRANSIENT);

  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      if (password_hash_out != NULL)
        *password_hash_out = dup_column_text (stmt, 7);
      return read_user (stmt);

    case SQLITE_DONE:
      g_set_error (error, CFS_STORE_ERROR, CFS_STORE_ERROR_NOT_FOUND,
                   "No account with the email “%s”", email);
      return NULL;

    default:
      set_sqlite_error (self, "find a user by email", error);
      return NULL;
    }
}

char *
cfs_store_get_password_hash (CfsStore  *self,
                             gint64     user_id,
                             GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CFS_IS_STORE (self), NULL);

  stmt = prepare (self, "SELECT password_hash FROM users WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, user_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, CFS_STORE_ERROR, CFS_STORE_ERROR_NOT_FOUND,
                   "User %" G_GINT64_FORMAT " not found", user_id);
      return NULL;
    }

  return dup_column_text (stmt, 0);
}

/**
 * cfs_store_update_user:
 * @name: (nullable): the new name, or %NULL to keep it
 * @set_avatar: whether to replace the avatar URL with @avatar_url
 * @avatar_url: (nullable): the new avatar URL; %NULL removes it
 */
gboolean
cfs_store_update_user (CfsStore    *self,
                       gint64       user_id,
                       const char  *name,
                       gboolean     set_avatar,
                       const char  *avatar_url,
                       GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CFS_IS_STORE (self), FALSE);

  stmt = prepare (self,
                  "UPDATE users SET name = coalesce(?1, name),"
                  " avatar_url = CASE WHEN ?2 THEN ?3 ELSE avatar_url END WHERE id = ?4",
                  error);
  if (stmt == NULL)
    return FALSE;

  if (name != NULL)
    sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, set_avatar ? 1 : 0);
  if (avatar_url != NULL)
    sqlite3_bind_text (stmt, 3, avatar_url, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, user_id);

  return step_done (self, stmt, "update a user", error);
}

gboolean
cfs_store_set_password_hash (CfsStore    *self,
                             gint64       user_id,
                             const char  *password_hash,
                             GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CFS_IS_STORE (self), FALSE);

  stmt = prepare (self, "UPDATE users SET password_hash = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, password_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, user_id);

  return step_done (self, stmt, "change a password", error);
}

gboolean
cfs_store_set_admin (CfsStore  *self,
                     gint64     user_id,
                     gboolean   is_admin,
                     GError   **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CFS_IS_STORE (self), FALSE);

  stmt = prepare (self, "UPDATE users SET is_admin = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int (stmt, 1, is_admin ? 1 : 0);
  sqlite3_bind_int64 (stmt, 2, user_id);

  return step_done (self, stmt, "change the site admin flag", error);
}

/**
 * cfs_store_hash_token:
 * @token: a session token
 *
 * Returns: (transfer full): the hex SHA-256 of @token, the form in which
 *   sessions are stored and named in logs
 */
char *
cfs_store_hash_token (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

/**
 * cfs_store_create_session:
 * @expires_at_out: (out) (optional): when the session ends, Unix time
 *
 * Starts a session for @user_id. Only the token's hash is stored.
 *
 * Returns: (transfer full): the session token, 64 hex digits
 */
char *
cfs_store_create_session (CfsStore  *self,
                          gint64     user_id,
                          guint      ttl_seconds,
                          gint64    *expires_at_out,
                          GError   **error)
{
  g_autofree char *token = generate_token ();
  g_autofree char *token_hash = cfs_store_hash_token (token);
  sqlite3_stmt *stmt;
  sqlite3_stmt *purge;
  gint64 now = now_seconds ();

  g_return_val_if_fail (CFS_IS_STORE (self), NULL);

  stmt = prepare (self,
                  "INSERT INTO sessions (token_hash, user_id, created_at, expires_at)"
                  " VALUES (?, ?, ?, ?)",
                  error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, user_id);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, now + ttl_seconds);
  if (!step_done (self, stmt, "create a session", error))
    return NULL;

  /* Expired sessions are never looked up again and only take space. Each
   * new session deletes them, so the table stays near the live count.
   */
  purge = prepare (self, "DELETE FROM sessions WHERE expires_at <= ?", NULL);
  if (purge != NULL)
    {
      sqlite3_bind_int64 (purge, 1, now);
      step_done (self, purge, "delete expired sessions", NULL);
    }

  if (expires_at_out != NULL)
    *expires_at_out = now + ttl_seconds;

  return g_steal_pointer (&token);
}

/**
 * cfs_store_lookup_session:
 * @token: a session token as the client sent it
 * @token_hash_out: (out) (optional): the hex hash naming the session
 *
 * Returns: (transfer full) (nullable): the session's user, or %NULL without
 *   an error for an unknown or expired session or a disabled user
 */
CfsUser *
cfs_store_lookup_session (CfsStore    *self,
                          const char  *token,
                          char       **token_hash_out,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *token_hash = NULL;

  g_return_val_if_fail (CFS_IS_STORE (self), NULL);
  g_return_val_if_fail (token != NULL, NULL);

  stmt = prepare (self,
                  "SELECT " USER_COLUMNS " FROM sessions s JOIN users u ON u.id = s.user_id"
                  " WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0",
                  error);
  if (stmt == NULL)
    return NULL;

  token_hash = cfs_store_hash_token (token);
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now_seconds ());

  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      if (token_hash_out != NULL)
        *token_hash_out = g_steal_pointer (&token_hash);
      return read_user (stmt);

    case SQLITE_DONE:
      return NULL;

    default:
      set_sqlite_error (self, "look up a session", error);
      return NULL;
    }
}

gboolean
cfs_store_delete_session (CfsStore    *self,
                          const char  *token_hash,
                          GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CFS_IS_STORE (self), FALSE);

  stmt = prepare (self, "DELETE FROM sessions WHERE token_hash = ?", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);

  return step_done (self, stmt, "end a session", error);
}

/**
 * cfs_store_delete_sessions:
 * @except_token_hash: (nullable): a session to keep
 *
 * Ends every session of @user_id but @except_token_hash.
 */
gboolean
cfs_store_delete_sessions (CfsStore    *self,
                           gint64       user_id,
                           const char  *except_token_hash,
                           GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CFS_IS_STORE (self), FALSE);

  stmt = prepare (self,
                  "DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?",
                  error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, user_id);
  if (except_token_hash != NULL)
    sqlite3_bind_text (stmt, 2, except_token_hash, -1, SQLITE_TRANSIENT);

  return step_done (self, stmt, "end sessions", error);
}

/**
 * cfs_store_list_session_hashes:
 * @except_token_hash: (nullable): a session to leave out
 *
 * Returns: (transfer full): the token hashes of @user_id's live sessions
 */
GStrv
cfs_store_list_session_hashes (CfsStore    *self,
                               gint64       user_id,
                               const char  *except_token_hash,
                               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GStrvBuilder) hashes = g_strv_builder_new ();
  int rc;

  g_return_val_if_fail (CFS_IS_STORE (self), NULL);

  stmt = prepare (self,
                  "SELECT token_hash FROM sessions WHERE user_id = ? AND token_hash IS NOT ?"
                  " AND expires_at > ?",
                  error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, user_id);
  if (except_token_hash != NULL)
    sqlite3_bind_text (stmt, 2, except_token_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now_seconds ());

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (hashes, (const char *) sqlite3_column_text (stmt, 0));

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, "list sessions", error);
      return NULL;
    }

  return g_strv_builder_end (hashes);
}

/**
 * cfs_store_create_room:
 *
 * Creates a room owned by @owner_id. Its `jitsi_room` is derived here, once,
 * from the name and the new id, and never changes afterwards.
 *
 * Returns: (transfer full): the room
 */
CfsRoom *
cfs_store_create_room (CfsStore    *self,
                       const char  *name,
                       const char  *topic,
                       guint        capacity,
                       gboolean     is_private,
                       gint64       owner_id,
                       GError     **error)
{
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autofree char *placeholder = generate_token ();
  g_autofree char *jitsi_room = NULL;
  sqlite3_stmt *update;
  gint64 room_id;

  g_return_val_if_fail (CFS_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (!exec_sql (self, "BEGIN IMMEDIATE", error))
    return NULL;

  /* The slug needs the id, which exists only after the insert; a random
   * placeholder satisfies the UNIQUE constraint until the update below.
   */
  insert = prepare (self,
                    "INSERT INTO rooms (id, name, topic, capacity, jitsi_room, owner_id, created_at, private)"
                    " VALUES ((SELECT MAX(COALESCE((SELECT MAX(id) FROM rooms), 0), last_id) + 1"
                    "          FROM room_id_high_water),"
                    "         ?, ?, ?, ?, ?, ?, ?)",
                    error);
  if (insert == NULL)
    goto rollback;

  sqlite3_bind_text (insert, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 2, topic != NULL ? topic : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (insert, 3, capacity);
  sqlite3_bind_text (insert, 4, placeholder, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (insert, 5, owner_id);
  sqlite3_bind_int64 (insert, 6, now_seconds ());
  sqlite3_bind_int (insert, 7, is_private ? 1 : 0);
  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      set_sqlite_error (self, "create a room", error);
      goto rollback;
    }

  room_id = sqlite3_last_insert_rowid (self->db);
  jitsi_room = confab_slug_jitsi_room (name, room_id);

  update = prepare (self, "UPDATE rooms SET jitsi_room = ? WHERE id = ?", error);
  if (update == NULL)
    goto rollback;

  sqlite3_bind_text (update, 1, jitsi_room, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (update, 2, room_id);
  if (!step_done (self, update, "name a room's Jitsi room", error) ||
      !exec_sql (self, "COMMIT", error))
    goto rollback;

  return cfs_store_get_room (self, room_id, error);

rollback:
  exec_sql (self, "ROLLBACK", NULL);
  return NULL;
}

CfsRoom *
cfs_store_get_room (CfsStore  *self,
                    gint64     room_id,
                    GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CFS_IS_STORE (self), NULL);

  stmt = prepare (self,
                  "SELECT " ROOM_COLUMNS " FROM rooms r JOIN users u ON u.id = r.owner_id"
                  " WHERE r.id = ?",
                  error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, room_id);

  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      return read_room (stmt);

    case SQLITE_DONE:
      g_set_error (error, CFS_STORE_ERROR, CFS_STORE_ERROR_NOT_FOUND,
                   "Room %" G_GINT64_FORMAT " not found", room_id);
      return NULL;

    default:
      set_sqlite_error (self, "read a room", error);
      return NULL;
    }
}

/**
 * cfs_store_list_rooms:
 *
 * Returns: (transfer full) (element-type CfsRoom): every room, by id
 */
GPtrArray *
cfs_store_list_rooms (CfsStore  *self,
                      GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) rooms = g_ptr_array_new_with_free_func ((GDestroyNotify) cfs_room_free);
  int rc;

  g_return_val_if_fail (CFS_IS_STORE (self), NULL);

  stmt = prepare (self,
                  "SELECT " ROOM_COLUMNS " FROM rooms r JOIN users u ON u.id = r.owner_id"
                  " ORDER BY r.id",
                  error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rooms, read_room (stmt));

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, "list rooms", error);
      return NULL;
    }

  return g_steal_pointer (&rooms);
}

/**
 * cfs_store_update_room:
 * @name: (nullable): the new name, or %NULL to keep it
 * @topic: (nullable): the new topic, or %NULL to keep it
 * @capacity: the new capacity, or 0 to keep it
 * @is_private: 1 or 0 to make the room private or public, or -1 to keep it
 *
 * Changes a room. The room's `jitsi_room` stays as it was at creation.
 */
gboolean
cfs_store_update_room (CfsStore    *self,
                       gint64       room_id,
                       const char  *name,
                       const char  *topic,
                       guint        capacity,
                       int          is_private,
                       GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CFS_IS_STORE (self), FALSE);

  stmt = prepare (self,
                  "UPDATE rooms SET name = coalesce(?1, name), topic = coalesce(?2, topic),"
                  " capacity = CASE WHEN ?3 > 0 THEN ?3 ELSE capacity END,"
                  " private = CASE WHEN ?5 >= 0 THEN ?5 ELSE private END WHERE id = ?4",
                  error);
  if (stmt == NULL)
    return FALSE;

  if (name != NULL)
    sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (topic != NULL)
    sqlite3_bind_text (stmt, 2, topic, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, capacity);
  sqlite3_bind_int64 (stmt, 4, room_id);
  sqlite3_bind_int (stmt, 5, is_private);

  return step_done (self, stmt, "update a room", error);
}

gboolean
cfs_store_delete_room (CfsStore  *self,
                       gint64     room_id,
                       GError   **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CFS_IS_STORE (self), FALSE);

  stmt = prepare (self, "DELETE FROM rooms WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, room_id);

  return step_done (self, stmt, "delete a room", error);
}

/**
 * cfs_store_get_role:
 *
 * Returns: %CONFAB_ROLE_OWNER for the room's owner, %CONFAB_ROLE_MODERATOR
 *   for granted moderators and site admins, else %CONFAB_ROLE_MEMBER (also
 *   for an unknown room or user, or when the database fails)
 */
const char *
cfs_store_get_role (CfsStore *self,
                    gint64    room_id,
                    gint64    user_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CFS_IS_STORE (self), CONFAB_ROLE_MEMBER);

  stmt = prepare (self,
                  "SELECT (SELECT owner_id FROM rooms WHERE id = ?1) = ?2,"
                  " EXISTS (SELECT 1 FROM room_moderators WHERE room_id = ?1 AND user_id = ?2),"
                  " EXISTS (SELECT 1 FROM users WHERE id = ?2 AND is_admin)",
                  NULL);
  if (stmt == NULL)
    return CONFAB_ROLE_MEMBER;

  sqlite3_bind_int64 (stmt, 1, room_id);
  sqlite3_bind_int64 (stmt, 2, user_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_warning ("Failed to read the role of user %" G_GINT64_FORMAT " in room %" G_GINT64_FORMAT ": %s",
                 user_id, room_id, sqlite3_errmsg (self->db));
      return CONFAB_ROLE_MEMBER;
    }

  if (sqlite3_column_int (stmt, 0))
    return CONFAB_ROLE_OWNER;
  if (sqlite3_column_int (stmt, 1) || sqlite3_column_int (stmt, 2))
    return CONFAB_ROLE_MODERATOR;

  return CONFAB_ROLE_MEMBER;
}

gboolean
cfs_store_set_moderator (CfsStore  *self,
                         gint64     room_id,
                         gint64     user_id,
                         gint64     by_user_id,
                         gboolean   moderator,
                         GError   **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CFS_IS_STORE (self), FALSE);

  if (moderator)
    stmt = prepare (self,
                    "INSERT OR REPLACE INTO room_moderators (room_id, user_id, granted_by, granted_at)"
                    " VALUES (?1, ?2, ?3, ?4)",
                    error);
  else
    stmt = prepare (self, "DELETE FROM room_moderators WHERE room_id = ?1 AND user_id = ?2", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, room_id);
  sqlite3_bind_int64 (stmt, 2, user_id);
  if (moderator)
    {
      if (by_user_id > 0)
        sqlite3_bind_int64 (stmt, 3, by_user_id);
      sqlite3_bind_int64 (stmt, 4, now_seconds ());
    }

  return step_done (self, stmt, moderator ? "grant moderator" : "revoke moderator", error);
}

void
cfs_moderator_free (CfsModerator *moderator)
{
  if (moderator == NULL)
    return;

  g_free (moderator->user_name);
  g_free (moderator->by_name);
  g_free (moderator);
}

/**
 * cfs_store_list_moderators:
 *
 * Returns: (transfer full) (element-type CfsModerator): the users granted
 *   moderator in @room_id, oldest grant first. Site admins, who moderate
 *   every room without a grant, are not listed.
 */
GPtrArray *
cfs_store_list_moderators (CfsStore  *self,
                           gint64     room_id,
                           GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) cfs_moderator_free);
  int rc;

  g_return_val_if_fail (CFS_IS_STORE (self), NULL);

  stmt = prepare (self,
                  "SELECT m.user_id, u.name, coalesce(m.granted_by, 0), by_user.name, m.granted_at"
                  " FROM room_moderators m JOIN users u ON u.id = m.user_id"
                  " LEFT JOIN users by_user ON by_user.id = m.granted_by"
                  " WHERE m.room_id = ? ORDER BY m.granted_at, m.user_id",
                  error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, room_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CfsModerator *moderator = g_new0 (CfsModerator, 1);

      moderator->user_id = sqlite3_column_int64 (stmt, 0);
      moderator->user_name = dup_column_text (stmt, 1);
      moderator->by_user_id = sqlite3_column_int64 (stmt, 2);
      moderator->by_name = dup_column_text (stmt, 3);
      moderator->granted_at = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (list, moderator);
    }

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, "list moderators", error);
      return NULL;
    }

  return g_steal_pointer (&list);
}

/**
 * cfs_store_get_ban:
 * @until_out: (out) (optional): when the ban ends, or 0 for until lifted
 *
 * Returns: %TRUE while @user_id is banned from @room_id; an expired ban is
 *   no ban
 */
gboolean
cfs_store_get_ban (CfsStore *self,
                   gint64    room_id,
                   gint64    user_id,
                   gint64   *until_out)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CFS_IS_STORE (self), FALSE);

  stmt = prepare (self,
                  "SELECT coalesce(until, 0) FROM room_bans WHERE room_id = ? AND user_id = ?"
                  " AND (until IS NULL OR until > ?)",
                  NULL);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, room_id);
  sqlite3_bind_int64 (stmt, 2, user_id);
  sqlite3_bind_int64 (stmt, 3, now_seconds ());
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;

  if (until_out != NULL)
    *until_out = sqlite3_column_int64 (stmt, 0);

  return TRUE;
}

/**
 * cfs_store_set_ban:
 * @until: when the ban ends, Unix time, or 0 for until lifted
 * @reason: (nullable): shown to the room's hosts
 *
 * Bans @user_id from @room_id, replacing an earlier ban.
 */
gboolean
cfs_store_set_ban (CfsStore    *self,
                   gint64       room_id,
                   gint64       user_id,
                   gint64       by_user_id,
                   gint64       until,
                   const char  *reason,
                   GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CFS_IS_STORE (self), FALSE);

  stmt = prepare (self,
                  "INSERT OR REPLACE INTO room_bans (room_id, user_id, banned_by, reason,"
                  " created_at, until) VALUES (?, ?, ?, ?, ?, ?)",
                  error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, room_id);
  sqlite3_bind_int64 (stmt, 2, user_id);
  if (by_user_id > 0)
    sqlite3_bind_int64 (stmt, 3, by_user_id);
  sqlite3_bind_text (stmt, 4, reason != NULL ? reason : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, now_seconds ());
  if (until > 0)
    sqlite3_bind_int64 (stmt, 6, until);

  return step_done (self, stmt, "ban a user", error);
}

gboolean
cfs_store_remove_ban (CfsStore  *self,
                      gint64     room_id,
                      gint64     user_id,
                      GError   **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CFS_IS_STORE (self), FALSE);

  stmt = prepare (self, "DELETE FROM room_bans WHERE room_id = ? AND user_id = ?", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, room_id);
  sqlite3_bind_int64 (stmt, 2, user_id);

  return step_done (self, stmt, "lift a ban", error);
}

/**
 * cfs_store_list_bans:
 *
 * Returns: (transfer full) (element-type CfsBan): the room's bans still in
 *   force, oldest first
 */
GPtrArray *
cfs_store_list_bans (CfsStore  *self,
                     gint64     room_id,
                     GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) bans = g_ptr_array_new_with_free_func ((GDestroyNotify) cfs_ban_free);
  int rc;

  g_return_val_if_fail (CFS_IS_STORE (self), NULL);

  stmt = prepare (self,
                  "SELECT b.user_id, u.name, coalesce(b.banned_by, 0), by_user.name, b.reason,"
                  " b.created_at, coalesce(b.until, 0)"
                  " FROM room_bans b JOIN users u ON u.id = b.user_id"
                  " LEFT JOIN users by_user ON by_user.id = b.banned_by"
                  " WHERE b.room_id = ? AND (b.until IS NULL OR b.until > ?)"
                  " ORDER BY b.created_at, b.user_id",
                  error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, room_id);
  sqlite3_bind_int64 (stmt, 2, now_seconds ());

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CfsBan *ban = g_new0 (CfsBan, 1);

      ban->user_id = sqlite3_column_int64 (stmt, 0);
      ban->user_name = dup_column_text (stmt, 1);
      ban->by_user_id = sqlite3_column_int64 (stmt, 2);
      ban->by_name = dup_column_text (stmt, 3);
      ban->reason = dup_column_text (stmt, 4);
      ban->created_at = sqlite3_column_int64 (stmt, 5);
      ban->until = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (bans, ban);
    }

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, "list bans", error);
      return NULL;
    }

  return g_steal_pointer (&bans);
}

/* Private rooms and room access. */

/**
 * cfs_store_can_see_room:
 *
 * Returns: whether @user_id may see @room in the lobby, join it and get its
 *   meeting token. Every user may see a public room. A private room is seen
 *   by its owner, its moderators, site admins and users granted access by
 *   an invite. A failed query counts as no access.
 */
gboolean
cfs_store_can_see_room (CfsStore      *self,
                        const CfsRoom *room,
                        gint64         user_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CFS_IS_STORE (self), FALSE);
  g_return_val_if_fail (room != NULL, FALSE);

  if (!room->is_private || room->owner_id == user_id)
    return TRUE;

  stmt = prepare (self,
                  "SELECT EXISTS (SELECT 1 FROM room_moderators WHERE room_id = ?1 AND user_id = ?2)"
                  " OR EXISTS (SELECT 1 FROM room_access WHERE room_id = ?1 AND user_id = ?2)"
                  " OR EXISTS (SELECT 1 FROM users WHERE id = ?2 AND is_admin)",
                  NULL);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, room->id);
  sqlite3_bind_int64 (stmt, 2, user_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_warning ("Failed to read the access of user %" G_GINT64_FORMAT " to room %" G_GINT64_FORMAT ": %s",
                 user_id, room->id, sqlite3_errmsg (self->db));
      return FALSE;
    }

  return sqlite3_column_int (stmt, 0) != 0;
}

/**
 * cfs_store_list_room_audience:
 *
 * Returns: (transfer full): the set of user ids (gint64 keys) who may see
 *   private room @room_id: cfs_store_can_see_room() for each of them is %TRUE
 */
GHashTable *
cfs_store_list_room_audience (CfsStore  *self,
                              gint64     room_id,
                              GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) audience = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  int rc;

  g_return_val_if_fail (CFS_IS_STORE (self), NULL);

  stmt = prepare (self,
                  "SELECT owner_id FROM rooms WHERE id = ?1"
                  " UNION SELECT user_id FROM room_moderators WHERE room_id = ?1"
                  " UNION SELECT user_id FROM room_access WHERE room_id = ?1"
                  " UNION SELECT id FROM users WHERE is_admin",
                  error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, room_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 user_id = sqlite3_column_int64 (stmt, 0);

      g_hash_table_add (audience, g_memdup2 (&user_id, sizeof user_id));
    }

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, "list who may see a room", error);
      return NULL;
    }

  return g_steal_pointer (&audience);
}

gboolean
cfs_store_revoke_access (CfsStore  *self,
                         gint64     room_id,
                         gint64     user_id,
                         GError   **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CFS_IS_STORE (self), FALSE);

  stmt = prepare (self, "DELETE FROM room_access WHERE room_id = ? AND user_id = ?", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, room_id);
  sqlite3_bind_int64 (stmt, 2, user_id);

  return step_done (self, stmt, "revoke access to a room", error);
}

void
cfs_access_free (CfsAccess *access)
{
  if (access == NULL)
    return;

  g_free (access->user_name);
  g_free (access->by_name);
  g_free (access);
}

/**
 * cfs_store_list_access:
 *
 * Returns: (transfer full) (element-type CfsAccess): the users granted
 *   access to @room_id by an invite, oldest first
 */
GPtrArray *
cfs_store_list_access (CfsStore  *self,
                       gint64     room_id,
                       GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) cfs_access_free);
  int rc;

  g_return_val_if_fail (CFS_IS_STORE (self), NULL);

  stmt = prepare (self,
                  "SELECT a.user_id, u.name, coalesce(a.granted_by, 0), by_user.name, a.granted_at"
                  " FROM room_access a JOIN users u ON u.id = a.user_id"
                  " LEFT JOIN users by_user ON by_user.id = a.granted_by"
                  " WHERE a.room_id = ? ORDER BY a.granted_at, a.user_id",
                  error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, room_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CfsAccess *access = g_new0 (CfsAccess, 1);

      access->user_id = sqlite3_column_int64 (stmt, 0);
      access->user_name = dup_column_text (stmt, 1);
      access->by_user_id = sqlite3_column_int64 (stmt, 2);
      access->by_name = dup_column_text (stmt, 3);
      access->granted_at = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (list, access);
    }

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, "list room access", error);
      return NULL;
    }

  return g_steal_pointer (&list);
}

/**
 * cfs_store_list_hosted_rooms:
 *
 * Returns: (transfer full) (element-type CfsRoom): the rooms that @user_id
 *   owns or was made moderator of, by id. A site admin's moderator role in
 *   every room does not count here.
 */
GPtrArray *
cfs_store_list_hosted_rooms (CfsStore  *self,
                             gint64     user_id,
                             GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) rooms = g_ptr_array_new_with_free_func ((GDestroyNotify) cfs_room_free);
  int rc;

  g_return_val_if_fail (CFS_IS_STORE (self), NULL);

  stmt = prepare (self,
                  "SELECT " ROOM_COLUMNS " FROM rooms r JOIN users u ON u.id = r.owner_id"
                  " WHERE r.owner_id = ?1"
                  " OR r.id IN (SELECT room_id FROM room_moderators WHERE user_id = ?1)"
                  " ORDER BY r.id",
                  error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, user_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rooms, read_room (stmt));

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, "list hosted rooms", error);
      return NULL;
    }

  return g_steal_pointer (&rooms);
}

/* Invites. */

void
cfs_invite_free (CfsInvite *invite)
{
  if (invite == NULL)
    return;

  g_free (invite->by_name);
  g_free (invite->email);
  g_free (invite);
}

#define INVITE_COLUMNS "i.id, i.room_id, coalesce(i.created_by, 0), u.name, i.created_at," \
                       " i.expires_at, i.max_uses, i.uses, i.email"

static CfsInvite *
read_invite (sqlite3_stmt *stmt)
{
  CfsInvite *invite = g_new0 (CfsInvite, 1);

  invite->id = sqlite3_column_int64 (stmt, 0);
  invite->room_id = sqlite3_column_int64 (stmt, 1);
  invite->by_user_id = sqlite3_column_int64 (stmt, 2);
  invite->by_name = dup_column_text (stmt, 3);
  invite->created_at = sqlite3_column_int64 (stmt, 4);
  invite->expires_at = sqlite3_column_int64 (stmt, 5);
  invite->max_uses = sqlite3_column_int (stmt, 6);
  invite->uses = sqlite3_column_int (stmt, 7);
  invite->email = dup_column_text (stmt, 8);

  return invite;
}

static CfsInvite *
get_invite (CfsStore  *self,
            gint64     invite_id,
            GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = prepare (self,
                  "SELECT " INVITE_COLUMNS " FROM invites i LEFT JOIN users u ON u.id = i.created_by"
                  " WHERE i.id = ?",
                  error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, invite_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      set_sqlite_error (self, "read an invite", error);
      return NULL;
    }

  return read_invite (stmt);
}

/**
 * cfs_store_create_invite:
 * @expires_at: Unix time after which the code stops working
 * @email: (nullable): the address the invite is sent to
 * @code_out: (out): the invite code, 32 hex digits; only its hash is stored
 *
 * Returns: (transfer full): the invite
 */
CfsInvite *
cfs_store_create_invite (CfsStore    *self,
                         gint64       room_id,
                         gint64       by_user_id,
                         gint64       expires_at,
                         guint        max_uses,
                         const char  *email,
                         char       **code_out,
                         GError     **error)
{
  guchar bytes[CFS_INVITE_CODE_BYTES];
  char code[CFS_INVITE_CODE_BYTES * 2 + 1];
  g_autofree char *code_hash = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CFS_IS_STORE (self), NULL);
  g_return_val_if_fail (code_out != NULL, NULL);

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2hex (code, sizeof code, bytes, sizeof bytes);
  sodium_memzero (bytes, sizeof bytes);
  code_hash = cfs_store_hash_token (code);

  stmt = prepare (self,
                  "INSERT INTO invites (room_id, code_hash, created_by, created_at, expires_at,"
                  " max_uses, email) VALUES (?, ?, ?, ?, ?, ?, ?)",
                  error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, room_id);
  sqlite3_bind_text (stmt, 2, code_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, by_user_id);
  sqlite3_bind_int64 (stmt, 4, now_seconds ());
  sqlite3_bind_int64 (stmt, 5, expires_at);
  sqlite3_bind_int (stmt, 6, max_uses);
  if (email != NULL)
    sqlite3_bind_text (stmt, 7, email, -1, SQLITE_TRANSIENT);
  if (!step_done (self, stmt, "create an invite", error))
    return NULL;

  *code_out = g_strdup (code);
  sodium_memzero (code, sizeof code);

  return get_invite (self, sqlite3_last_insert_rowid (self->db), error);
}

/**
 * cfs_store_find_invite:
 * @code: an invite code as the client sent it
 *
 * Returns: (transfer full): the invite, used up or expired ones included,
 *   or %NULL with %CFS_STORE_ERROR_NOT_FOUND
 */
CfsInvite *
cfs_store_find_invite (CfsStore    *self,
                       const char  *code,
                       GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *code_hash = NULL;

  g_return_val_if_fail (CFS_IS_STORE (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  stmt = prepare (self,
                  "SELECT " INVITE_COLUMNS " FROM invites i LEFT JOIN users u ON u.id = i.created_by"
                  " WHERE i.code_hash = ?",
                  error);
  if (stmt == NULL)
    return NULL;

  code_hash = cfs_store_hash_token (code);
  sqlite3_bind_text (stmt, 1, code_hash, -1, SQLITE_TRANSIENT);

  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      return read_invite (stmt);

    case SQLITE_DONE:
      g_set_error (error, CFS_STORE_ERROR, CFS_STORE_ERROR_NOT_FOUND, "Invite not found");
      return NULL;

    default:
      set_sqlite_error (self, "look up an invite", error);
      return NULL;
    }
}

/**
 * cfs_store_accept_invite:
 * @used_out: (out): whether a use of the invite was counted
 *
 * Grants @user_id access to the invite's room and counts one use, in one
 * transaction. A user who already had access keeps it, and no use is
 * counted. When the invite has expired or is used up at this moment,
 * nothing changes and @used_out is %FALSE.
 */
gboolean
cfs_store_accept_invite (CfsStore  *self,
                         gint64     invite_id,
                         gint64     user_id,
                         gboolean  *used_out,
                         GError   **error)
{
  g_autoptr(sqlite3_stmt) grant = NULL;
  sqlite3_stmt *count;
  gint64 now = now_seconds ();

  g_return_val_if_fail (CFS_IS_STORE (self), FALSE);

  if (!exec_sql (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  grant = prepare (self,
                   "INSERT OR IGNORE INTO room_access (room_id, user_id, granted_by, granted_at)"
                   " SELECT room_id, ?2, created_by, ?3 FROM invites"
                   " WHERE id = ?1 AND uses < max_uses AND expires_at > ?3",
                   error);
  if (grant == NULL)
    goto rollback;

  sqlite3_bind_int64 (grant, 1, invite_id);
  sqlite3_bind_int64 (grant, 2, user_id);
  sqlite3_bind_int64 (grant, 3, now);
  if (sqlite3_step (grant) != SQLITE_DONE)
    {
      set_sqlite_error (self, "grant access to a room", error);
      goto rollback;
    }

  *used_out = sqlite3_changes (self->db) > 0;
  if (*used_out)
    {
      count = prepare (self, "UPDATE invites SET uses = uses + 1 WHERE id = ?", error);
      if (count == NULL)
        goto rollback;
      sqlite3_bind_int64 (count, 1, invite_id);
      if (!step_done (self, count, "count an invite's use", error))
        goto rollback;
    }

  return exec_sql (self, "COMMIT", error);

rollback:
  exec_sql (self, "ROLLBACK", NULL);
  return FALSE;
}

/**
 * cfs_store_list_invites:
 *
 * Returns: (transfer full) (element-type CfsInvite): the room's invites
 *   that still work (not expired, not used up), oldest first
 */
GPtrArray *
cfs_store_list_invites (CfsStore  *self,
                        gint64     room_id,
                        GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) invites = g_ptr_array_new_with_free_func ((GDestroyNotify) cfs_invite_free);
  int rc;

  g_return_val_if_fail (CFS_IS_STORE (self), NULL);

  stmt = prepare (self,
                  "SELECT " INVITE_COLUMNS " FROM invites i LEFT JOIN users u ON u.id = i.created_by"
                  " WHERE i.room_id = ? AND i.uses < i.max_uses AND i.expires_at > ?"
                  " ORDER BY i.id",
                  error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, room_id);
  sqlite3_bind_int64 (stmt, 2, now_seconds ());
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (invites, read_invite (stmt));

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, "list invites", error);
      return NULL;
    }

  return g_steal_pointer (&invites);
}

/* Deletes invite @invite_id of @room_id; %CFS_STORE_ERROR_NOT_FOUND when
 * the room has no such invite.
 */
gboolean
cfs_store_delete_invite (CfsStore  *self,
                         gint64     room_id,
                         gint64     invite_id,
                         GError   **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CFS_IS_STORE (self), FALSE);

  stmt = prepare (self, "DELETE FROM invites WHERE id = ? AND room_id = ?", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, invite_id);
  sqlite3_bind_int64 (stmt, 2, room_id);
  if (!step_done (self, stmt, "delete an invite", error))
    return FALSE;

  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, CFS_STORE_ERROR, CFS_STORE_ERROR_NOT_FOUND,
                   "Invite %" G_GINT64_FORMAT " of room %" G_GINT64_FORMAT " not found",
                   invite_id, room_id);
      return FALSE;
    }

  return TRUE;
}

/* Site administration. */

/**
 * cfs_store_list_users:
 * @after_id: list users with an id above this one, 0 for the first page
 * @limit: the most users to return
 *
 * Returns: (transfer full) (element-type CfsUser): users by id
 */
GPtrArray *
cfs_store_list_users (CfsStore  *self,
                      gint64     after_id,
                      guint      limit,
                      GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) cfs_user_free);
  int rc;

  g_return_val_if_fail (CFS_IS_STORE (self), NULL);

  stmt = prepare (self, "SELECT " USER_COLUMNS " FROM users u WHERE u.id > ? ORDER BY u.id LIMIT ?",
                  error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, after_id);
  sqlite3_bind_int64 (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (users, read_user (stmt));

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, "list users", error);
      return NULL;
    }

  return g_steal_pointer (&users);
}

/**
 * cfs_store_set_disabled:
 *
 * Disables or enables an account. Disabling also ends all of its sessions,
 * so that enabling it again does not bring old sessions back.
 */
gboolean
cfs_store_set_disabled (CfsStore  *self,
                        gint64     user_id,
                        gboolean   disabled,
                        GError   **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CFS_IS_STORE (self), FALSE);

  stmt = prepare (self, "UPDATE users SET disabled = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int (stmt, 1, disabled ? 1 : 0);
  sqlite3_bind_int64 (stmt, 2, user_id);
  if (!step_done (self, stmt, "disable or enable an account", error))
    return FALSE;

  return !disabled || cfs_store_delete_sessions (self, user_id, NULL, error);
}
