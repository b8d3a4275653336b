/* test-auth.c: Argon2id hashing on worker threads, and login rate limits. */
#include "config.h"

#include <string.h>

#include "cfs-auth.h"
#include "cfs-test-server.h"

typedef struct {
  guint     pending;
  GPtrArray *hashes;
  gboolean  match;
} HashWait;

static gboolean
is_nothing_pending (gpointer user_data)
{
  HashWait *wait = user_data;

  return wait->pending == 0;
}

static void
hashed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  HashWait *wait = user_data;
  g_autoptr(GError) error = NULL;
  char *hash = cfs_auth_hash_password_finish (CFS_AUTH (source), result, &error);

  g_assert_no_error (error);
  g_ptr_array_add (wait->hashes, hash);
  wait->pending--;
}

static void
verified_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  HashWait *wait = user_data;
  g_autoptr(GError) error = NULL;

  wait->match = cfs_auth_verify_password_finish (CFS_AUTH (source), result, &error);
  g_assert_no_error (error);
  wait->pending--;
}

static gboolean
verify (CfsAuth    *auth,
        const char *hash,
        const char *password)
{
  HashWait wait = { .pending = 1 };

  cfs_auth_verify_password_async (auth, hash, password, NULL, verified_cb, &wait);
  g_assert_true (cfs_test_wait_until (is_nothing_pending, &wait, 30000));

  return wait.match;
}

static void
test_auth_hash_and_verify (void)
{
  g_autoptr(CfsAuth) auth = cfs_auth_new ();
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  HashWait wait = { .pending = 1, .hashes = hashes };
  const char *hash;

  cfs_auth_hash_password_async (auth, "correct horse battery", NULL, hashed_cb, &wait);

  /* The callback comes from the main loop, after _async has returned. */
  g_assert_cmpuint (wait.pending, ==, 1);
  g_assert_true (cfs_test_wait_until (is_nothing_pending, &wait, 30000));

  hash = g_ptr_array_index (hashes, 0);
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  g_assert_null (strstr (hash, "correct horse battery"));

  g_assert_true (verify (auth, hash, "correct horse battery"));
  g_assert_false (verify (auth, hash, "correct horse battery "));
  g_assert_false (verify (auth, hash, ""));

  /* An unknown account (no hash) never matches, not even the dummy's password. */
  g_assert_false (verify (auth, NULL, "confab-dummy-password"));
}

static void
test_auth_concurrent_hashes (void)
{
  g_autoptr(CfsAuth) auth = cfs_auth_new ();
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  HashWait wait = { .pending = 8, .hashes = hashes };

  for (guint i = 0; i < 8; i++)
    cfs_auth_hash_password_async (auth, "same password", NULL, hashed_cb, &wait);

  g_assert_true (cfs_test_wait_until (is_nothing_pending, &wait, 60000));
  g_assert_cmpuint (hashes->len, ==, 8);

  /* Each hash has its own salt. */
  for (guint i = 1; i < hashes->len; i++)
    g_assert_cmpstr (g_ptr_array_index (hashes, 0), !=, g_ptr_array_index (hashes, i));
}

static void
test_auth_account_limit (void)
{
  g_autoptr(CfsAuth) auth = cfs_auth_new ();
  guint retry_after = 0;

  for (guint i = 0; i < CFS_AUTH_MAX_FAILURES_PER_ACCOUNT; i++)
    {
      g_assert_true (cfs_auth_check_login_allowed (auth, "ada@example.org", "192.0.2.1", &retry_after));
      cfs_auth_record_login_failure (auth, "ada@example.org", "192.0.2.1");
    }

  g_assert_false (cfs_auth_check_login_allowed (auth, "ada@example.org", "192.0.2.2", &retry_after));
  g_assert_cmpuint (retry_after, >, 0);
  g_assert_cmpuint (retry_after, <=, CFS_AUTH_FAILURE_WINDOW_S);

  /* Other accounts from the same address are not limited yet. */
  g_assert_true (cfs_auth_check_login_allowed (auth, "bob@example.org", "192.0.2.1", &retry_after));
  g_assert_cmpuint (retry_after, ==, 0);

  /* A success clears the account's failures. */
  cfs_auth_record_login_success (auth, "ada@example.org");
  g_assert_true (cfs_auth_check_login_allowed (auth, "ada@example.org", "192.0.2.1", &retry_after));
}

static void
test_auth_address_limit (void)
{
  g_autoptr(CfsAuth) auth = cfs_auth_new ();
  guint retry_after = 0;

  for (guint i = 0; i < CFS_AUTH_MAX_FAILURES_PER_ADDRESS; i++)
    {
      g_autofree char *email = g_strdup_printf ("user%u@example.org", i);

      cfs_auth_record_login_failure (auth, email, "2001:db8::1");
    }

  g_assert_false (cfs_auth_check_login_allowed (auth, "new@example.org", "2001:db8::1", &retry_after));
  g_assert_cmpuint (retry_after, >, 0);

  /* A success on one account does not reset the address. */
  cfs_auth_record_login_success (auth, "user0@example.org");
  g_assert_false (cfs_auth_check_login_allowed (auth, "user0@example.org", "2001:db8::1", &retry_after));

  g_assert_true (cfs_auth_check_login_allowed (auth, "new@example.org", "2001:db8::2", &retry_after));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/auth/hash-and-verify", test_auth_hash_and_verify);
  g_test_add_func ("/server/auth/concurrent-hashes", test_auth_concurrent_hashes);
  g_test_add_func ("/server/auth/account-limit", test_auth_account_limit);
  g_test_add_func ("/server/auth/address-limit", test_auth_address_limit);

  return g_test_run ();
}
