/* test-store.c: users, sessions, rooms, roles and bans in SQLite, across
 * restarts and schema migrations.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "cfs-schema.h"
#include "cfs-store-private.h"
#include "confab-protocol.h"

typedef struct {
  char     *dir;
  char     *path;
  CfsStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("confab-test-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "sub", "confab.db", NULL);

  fixture->store = cfs_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_remove (child);
    }

  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static void
reopen (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->store);
  fixture->store = cfs_store_open (fixture->path, &error);
  g_assert_no_error (error);
}

static CfsUser *
create_user (Fixture    *fixture,
             const char *name,
             const char *email)
{
  g_autoptr(GError) error = NULL;
  CfsUser *user;

  user = cfs_store_create_user (fixture->store, name, email, "$argon2id$placeholder-hash",
                                NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (user);

  return user;
}

static int
read_user_version (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int version;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return version;
}

static void
exec_on_file (const char *path,
              const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_store_users (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfsUser) ada = create_user (fixture, "Ada", "Ada.Lovelace@Example.org");
  g_autoptr(CfsUser) found = NULL;
  g_autoptr(CfsUser) updated = NULL;
  g_autoptr(CfsUser) duplicate = NULL;
  g_autoptr(CfsUser) missing = NULL;
  g_autofree char *hash = NULL;

  g_assert_cmpint (ada->id, >, 0);
  g_assert_cmpstr (ada->email, ==, "Ada.Lovelace@Example.org");
  g_assert_false (ada->is_admin);

  found = cfs_store_find_user_by_email (fixture->store, "ada.lovelace@EXAMPLE.ORG", &hash, &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->id, ==, ada->id);
  g_assert_cmpstr (hash, ==, "$argon2id$placeholder-hash");

  duplicate = cfs_store_create_user (fixture->store, "Other", "ADA.LOVELACE@example.org",
                                     "$argon2id$x", NULL, FALSE, &error);
  g_assert_error (error, CFS_STORE_ERROR, CFS_STORE_ERROR_EMAIL_TAKEN);
  g_assert_null (duplicate);
  g_clear_error (&error);

  g_assert_true (cfs_store_update_user (fixture->store, ada->id, "Ada King", TRUE,
                                        "https://example.org/ada.png", &error));
  g_assert_true (cfs_store_set_admin (fixture->store, ada->id, TRUE, &error));
  g_assert_true (cfs_store_set_password_hash (fixture->store, ada->id, "$argon2id$new", &error));
  g_assert_no_error (error);

  updated = cfs_store_get_user (fixture->store, ada->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (updated->name, ==, "Ada King");
  g_assert_cmpstr (updated->avatar_url, ==, "https://example.org/ada.png");
  g_assert_true (updated->is_admin);
  g_clear_pointer (&hash, g_free);
  hash = cfs_store_get_password_hash (fixture->store, ada->id, &error);
  g_assert_cmpstr (hash, ==, "$argon2id$new");

  /* Removing the avatar keeps the name. */
  g_assert_true (cfs_store_update_user (fixture->store, ada->id, NULL, TRUE, NULL, &error));
  g_clear_pointer (&updated, cfs_user_free);
  updated = cfs_store_get_user (fixture->store, ada->id, &error);
  g_assert_null (updated->avatar_url);
  g_assert_cmpstr (updated->name, ==, "Ada King");

  missing = cfs_store_get_user (fixture->store, 9999, &error);
  g_assert_error (error, CFS_STORE_ERROR, CFS_STORE_ERROR_NOT_FOUND);
  g_assert_null (missing);
}

static void
test_store_sessions (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfsUser) ada = create_user (fixture, "Ada", "ada@example.org");
  g_autofree char *token = NULL;
  g_autofree char *other = NULL;
  g_autofree char *expired = NULL;
  g_autofree char *token_hash = NULL;
  g_autofree char *expected_hash = NULL;
  g_autoptr(CfsUser) signed_in = NULL;
  g_autoptr(CfsUser) none = NULL;
  g_auto(GStrv) hashes = NULL;
  gint64 expires_at = 0;

  token = cfs_store_create_session (fixture->store, ada->id, 3600, &expires_at, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (token), ==, 64);
  g_assert_cmpint (expires_at, >, g_get_real_time () / G_USEC_PER_SEC);

  signed_in = cfs_store_lookup_session (fixture->store, token, &token_hash, &error);
  g_assert_no_error (error);
  g_assert_cmpint (signed_in->id, ==, ada->id);
  expected_hash = cfs_store_hash_token (token);
  g_assert_cmpstr (token_hash, ==, expected_hash);

  /* Only the hash is stored: the token itself is not in the database. */
  {
    sqlite3_stmt *stmt = NULL;

    sqlite3_prepare_v2 (cfs_store_get_db (fixture->store),
                        "SELECT count(*) FROM sessions WHERE token_hash = ?", -1, &stmt, NULL);
    sqlite3_bind_text (stmt, 1, token, -1, SQLITE_TRANSIENT);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
    sqlite3_finalize (stmt);
  }

  expired = cfs_store_create_session (fixture->store, ada->id, 0, NULL, &error);
  none = cfs_store_lookup_session (fixture->store, expired, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (none);

  other = cfs_store_create_session (fixture->store, ada->id, 3600, NULL, &error);
  hashes = cfs_store_list_session_hashes (fixture->store, ada->id, token_hash, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (hashes), ==, 1);

  g_assert_true (cfs_store_delete_sessions (fixture->store, ada->id, token_hash, &error));
  none = cfs_store_lookup_session (fixture->store, other, NULL, &error);
  g_assert_null (none);
  g_clear_pointer (&signed_in, cfs_user_free);
  signed_in = cfs_store_lookup_session (fixture->store, token, NULL, &error);
  g_assert_nonnull (signed_in);

  g_assert_true (cfs_store_delete_session (fixture->store, token_hash, &error));
  none = cfs_store_lookup_session (fixture->store, token, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (none);
}

static void
test_store_rooms (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfsUser) ada = create_user (fixture, "Ada", "ada@example.org");
  g_autoptr(CfsRoom) first = NULL;
  g_autoptr(CfsRoom) second = NULL;
  g_autoptr(CfsRoom) renamed = NULL;
  g_autoptr(CfsRoom) gone = NULL;
  g_autoptr(GPtrArray) rooms = NULL;
  g_autofree char *expected_slug = NULL;

  first = cfs_store_create_room (fixture->store, "Café Été", "Weekly sync", 10, FALSE, ada->id, &error);
  g_assert_no_error (error);
  second = cfs_store_create_room (fixture->store, "Café Été", NULL, 2, FALSE, ada->id, &error);
  g_assert_no_error (error);

  expected_slug = g_strdup_printf ("cafe-ete-%" G_GINT64_FORMAT, first->id);
  g_assert_cmpstr (first->jitsi_room, ==, expected_slug);
  g_assert_cmpstr (first->jitsi_room, !=, second->jitsi_room);
  g_assert_cmpstr (first->owner_name, ==, "Ada");
  g_assert_cmpint (first->owner_id, ==, ada->id);
  g_assert_cmpstr (second->topic, ==, "");

  g_assert_true (cfs_store_update_room (fixture->store, first->id, "Renamed Room", "New topic", 20, -1, &error));
  renamed = cfs_store_get_room (fixture->store, first->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (renamed->name, ==, "Renamed Room");
  g_assert_cmpstr (renamed->topic, ==, "New topic");
  g_assert_cmpuint (renamed->capacity, ==, 20);
  g_assert_cmpstr (renamed->jitsi_room, ==, first->jitsi_room);

  rooms = cfs_store_list_rooms (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rooms->len, ==, 2);
  g_assert_cmpint (((CfsRoom *) g_ptr_array_index (rooms, 0))->id, ==, first->id);
  g_assert_cmpint (((CfsRoom *) g_ptr_array_index (rooms, 1))->id, ==, second->id);

  g_assert_true (cfs_store_delete_room (fixture->store, second->id, &error));
  gone = cfs_store_get_room (fixture->store, second->id, &error);
  g_assert_error (error, CFS_STORE_ERROR, CFS_STORE_ERROR_NOT_FOUND);
  g_assert_null (gone);
}

static void
test_store_room_ids_not_reused (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfsUser) owner = create_user (fixture, "Owner", "owner@example.org");
  g_autoptr(CfsRoom) first = NULL;
  g_autoptr(CfsRoom) newest = NULL;
  g_autoptr(CfsRoom) after_delete = NULL;

  first = cfs_store_create_room (fixture->store, "Same", NULL, 10, FALSE, owner->id, &error);
  g_assert_no_error (error);
  newest = cfs_store_create_room (fixture->store, "Same", NULL, 10, FALSE, owner->id, &error);
  g_assert_no_error (error);

  /* SQLite alone would give the deleted newest room's id to the next room,
   * and with it the same Jitsi room name and invite links.
   */
  g_assert_true (cfs_store_delete_room (fixture->store, newest->id, &error));
  g_assert_no_error (error);
  after_delete = cfs_store_create_room (fixture->store, "Same", NULL, 10, FALSE, owner->id, &error);
  g_assert_no_error (error);

  g_assert_cmpint (after_delete->id, >, newest->id);
  g_assert_cmpstr (after_delete->jitsi_room, !=, newest->jitsi_room);
  g_assert_cmpstr (after_delete->jitsi_room, !=, first->jitsi_room);
}

static void
test_store_roles_and_bans (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfsUser) owner = create_user (fixture, "Owner", "owner@example.org");
  g_autoptr(CfsUser) member = create_user (fixture, "Member", "member@example.org");
  g_autoptr(CfsUser) admin = create_user (fixture, "Admin", "admin@example.org");
  g_autoptr(CfsRoom) room = NULL;
  g_autoptr(GPtrArray) bans = NULL;
  gint64 until = -1;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  room = cfs_store_create_room (fixture->store, "Room", NULL, 10, FALSE, owner->id, &error);
  g_assert_no_error (error);
  g_assert_true (cfs_store_set_admin (fixture->store, admin->id, TRUE, &error));

  g_assert_cmpstr (cfs_store_get_role (fixture->store, room->id, owner->id), ==, CONFAB_ROLE_OWNER);
  g_assert_cmpstr (cfs_store_get_role (fixture->store, room->id, member->id), ==, CONFAB_ROLE_MEMBER);
  g_assert_cmpstr (cfs_store_get_role (fixture->store, room->id, admin->id), ==, CONFAB_ROLE_MODERATOR);

  g_assert_true (cfs_store_set_moderator (fixture->store, room->id, member->id, owner->id, TRUE, &error));
  g_assert_cmpstr (cfs_store_get_role (fixture->store, room->id, member->id), ==, CONFAB_ROLE_MODERATOR);
  g_assert_true (cfs_store_set_moderator (fixture->store, room->id, member->id, owner->id, FALSE, &error));
  g_assert_cmpstr (cfs_store_get_role (fixture->store, room->id, member->id), ==, CONFAB_ROLE_MEMBER);

  g_assert_false (cfs_store_get_ban (fixture->store, room->id, member->id, &until));

  g_assert_true (cfs_store_set_ban (fixture->store, room->id, member->id, owner->id, 0, "spam", &error));
  g_assert_true (cfs_store_get_ban (fixture->store, room->id, member->id, &until));
  g_assert_cmpint (until, ==, 0);

  g_assert_true (cfs_store_set_ban (fixture->store, room->id, member->id, owner->id, now + 600, NULL, &error));
  g_assert_true (cfs_store_get_ban (fixture->store, room->id, member->id, &until));
  g_assert_cmpint (until, ==, now + 600);

  bans = cfs_store_list_bans (fixture->store, room->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bans->len, ==, 1);
  g_assert_cmpint (((CfsBan *) g_ptr_array_index (bans, 0))->user_id, ==, member->id);
  g_assert_cmpstr (((CfsBan *) g_ptr_array_index (bans, 0))->by_name, ==, "Owner");

  /* An expired ban is no ban. */
  g_assert_true (cfs_store_set_ban (fixture->store, room->id, member->id, owner->id, now - 1, NULL, &error));
  g_assert_false (cfs_store_get_ban (fixture->store, room->id, member->id, &until));

  g_assert_true (cfs_store_set_ban (fixture->store, room->id, member->id, owner->id, 0, NULL, &error));
  g_assert_true (cfs_store_remove_ban (fixture->store, room->id, member->id, &error));
  g_assert_false (cfs_store_get_ban (fixture->store, room->id, member->id, &until));

  /* A ban of an unknown user is reported, not stored. */
  g_assert_false (cfs_store_set_ban (fixture->store, room->id, 9999, owner->id, 0, NULL, &error));
  g_assert_error (error, CFS_STORE_ERROR, CFS_STORE_ERROR_NOT_FOUND);
}

static void
test_store_restart_keeps_data (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfsUser) owner = create_user (fixture, "Owner", "owner@example.org");
  g_autoptr(CfsUser) member = create_user (fixture, "Member", "member@example.org");
  g_autoptr(CfsUser) moderator = create_user (fixture, "Moderator", "moderator@example.org");
  g_autoptr(CfsRoom) room = NULL;
  g_autoptr(CfsRoom) reread = NULL;
  g_autoptr(CfsUser) found = NULL;
  g_autoptr(CfsUser) signed_in = NULL;
  g_autofree char *token = NULL;
  gint64 until = -1;

  room = cfs_store_create_room (fixture->store, "Kept Room", "topic", 12, FALSE, owner->id, &error);
  g_assert_no_error (error);
  token = cfs_store_create_session (fixture->store, member->id, 3600, NULL, &error);
  g_assert_true (cfs_store_set_moderator (fixture->store, room->id, moderator->id, owner->id, TRUE, &error));
  g_assert_true (cfs_store_set_ban (fixture->store, room->id, member->id, owner->id, 0, "spam", &error));
  g_assert_no_error (error);

  reopen (fixture);

  found = cfs_store_find_user_by_email (fixture->store, "member@example.org", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->id, ==, member->id);

  signed_in = cfs_store_lookup_session (fixture->store, token, NULL, &error);
  g_assert_nonnull (signed_in);
  g_assert_cmpint (signed_in->id, ==, member->id);

  reread = cfs_store_get_room (fixture->store, room->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reread->name, ==, "Kept Room");
  g_assert_cmpstr (reread->jitsi_room, ==, room->jitsi_room);
  g_assert_cmpuint (reread->capacity, ==, 12);

  g_assert_cmpstr (cfs_store_get_role (fixture->store, room->id, owner->id), ==, CONFAB_ROLE_OWNER);
  g_assert_cmpstr (cfs_store_get_role (fixture->store, room->id, moderator->id), ==, CONFAB_ROLE_MODERATOR);
  g_assert_true (cfs_store_get_ban (fixture->store, room->id, member->id, &until));
  g_assert_cmpint (until, ==, 0);
}

static void
test_store_configured_for_wal (Fixture       *fixture,
                               gconstpointer  data)
{
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = cfs_store_get_db (fixture->store);

  sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);

  sqlite3_prepare_v2 (db, "PRAGMA foreign_keys", -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_finalize (stmt);

  g_assert_cmpint (read_user_version (fixture->path), ==, cfs_store_schema_version ());
}

/* A release with one more schema version than this build: its migration
 * adds a column, and data written at the current version must survive it.
 */
static const char *next_release_migration =
  "ALTER TABLE users ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';";

static void
test_store_migrates_older_database (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfsUser) ada = create_user (fixture, "Ada", "ada@example.org");
  g_autoptr(CfsUser) found = NULL;
  g_autoptr(CfsStore) migrated = NULL;
  const int current = G_N_ELEMENTS (cfs_schema_migrations);
  const char *migrations[G_N_ELEMENTS (cfs_schema_migrations) + 1];
  sqlite3_stmt *stmt = NULL;

  for (int i = 0; i < current; i++)
    migrations[i] = cfs_schema_migrations[i];
  migrations[current] = next_release_migration;
  g_clear_object (&fixture->store);
  g_assert_cmpint (read_user_version (fixture->path), ==, current);

  migrated = cfs_store_open_with_migrations (fixture->path, migrations, current + 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (read_user_version (fixture->path), ==, current + 1);

  found = cfs_store_find_user_by_email (migrated, "ada@example.org", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->id, ==, ada->id);

  sqlite3_prepare_v2 (cfs_store_get_db (migrated), "SELECT locale FROM users WHERE id = ?",
                      -1, &stmt, NULL);
  sqlite3_bind_int64 (stmt, 1, ada->id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "en");
  sqlite3_finalize (stmt);
}

/* A database of the first release: its rooms become public rooms. */
static void
test_store_migrates_version_1 (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "version1.db", NULL);
  g_autoptr(CfsStore) old = NULL;
  g_autoptr(CfsStore) store = NULL;
  g_autoptr(CfsRoom) room = NULL;
  g_autoptr(CfsUser) bob = NULL;
  g_autoptr(GPtrArray) invites = NULL;

  old = cfs_store_open_with_migrations (path, cfs_schema_migrations, 1, &error);
  g_assert_no_error (error);
  g_clear_object (&old);
  exec_on_file (path,
                "INSERT INTO users (id, name, email, email_key, password_hash, created_at)"
                " VALUES (1, 'Ada', 'ada@example.org', 'ada@example.org', 'x', 0),"
                " (2, 'Bob', 'bob@example.org', 'bob@example.org', 'x', 0);"
                "INSERT INTO rooms (id, name, capacity, jitsi_room, owner_id, created_at)"
                " VALUES (7, 'Old Room', 10, 'old-room-7', 1, 0);");
  g_assert_cmpint (read_user_version (path), ==, 1);

  store = cfs_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (read_user_version (path), ==, cfs_store_schema_version ());

  room = cfs_store_get_room (store, 7, &error);
  g_assert_no_error (error);
  g_assert_false (room->is_private);
  bob = cfs_store_get_user (store, 2, &error);
  g_assert_no_error (error);
  g_assert_true (cfs_store_can_see_room (store, room, bob->id));

  invites = cfs_store_list_invites (store, 7, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (invites->len, ==, 0);
}

static void
test_store_migrates_empty_database (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "version0.db", NULL);
  g_autoptr(CfsStore) store = NULL;
  g_autoptr(CfsUser) user = NULL;

  /* A database file another tool created, with no schema version yet. */
  exec_on_file (path, "CREATE TABLE unrelated (x INTEGER);");
  g_assert_cmpint (read_user_version (path), ==, 0);

  store = cfs_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (read_user_version (path), ==, cfs_store_schema_version ());

  user = cfs_store_create_user (store, "Ada", "ada@example.org", "$argon2id$x", NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (user);
}

static void
test_store_rejects_newer_database (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CfsStore) store = NULL;

  g_clear_object (&fixture->store);
  exec_on_file (fixture->path, "PRAGMA user_version = 99;");

  store = cfs_store_open (fixture->path, &error);
  g_assert_error (error, CFS_STORE_ERROR, CFS_STORE_ERROR_NEWER_SCHEMA);
  g_assert_null (store);
  g_assert_nonnull (strstr (error->message, "99"));
  g_assert_nonnull (strstr (error->message, "upgrade confab-server"));

  /* The refused database is left as it was. */
  g_assert_cmpint (read_user_version (fixture->path), ==, 99);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/server/store/users", test_store_users);
  ADD ("/server/store/sessions", test_store_sessions);
  ADD ("/server/store/rooms", test_store_rooms);
  ADD ("/server/store/room-ids-not-reused", test_store_room_ids_not_reused);
  ADD ("/server/store/roles-and-bans", test_store_roles_and_bans);
  ADD ("/server/store/restart-keeps-data", test_store_restart_keeps_data);
  ADD ("/server/store/wal-and-foreign-keys", test_store_configured_for_wal);
  ADD ("/server/store/migrates-older-database", test_store_migrates_older_database);
  ADD ("/server/store/migrates-version-1", test_store_migrates_version_1);
  ADD ("/server/store/migrates-empty-database", test_store_migrates_empty_database);
  ADD ("/server/store/rejects-newer-database", test_store_rejects_newer_database);

#undef ADD

  return g_test_run ();
}
