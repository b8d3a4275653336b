/* test-live-store.c: chat, notes and meeting history in SQLite. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cfs-store-live.h"
#include "cfs-store.h"

typedef struct {
  char         *dir;
  CfsStore     *store;
  CfsStoreLive *live;
  gint64        user_id;
  gint64        room_id;
  GPtrArray    *committed;    /* of CfsChatMessage copies */
  guint         commits;
} Fixture;

static void
on_committed (GPtrArray    *messages,
              const GError *error,
              gpointer      user_data)
{
  Fixture *fixture = user_data;

  g_assert_no_error ((GError *) error);
  fixture->commits++;

  for (guint i = 0; i < messages->len; i++)
    {
      CfsChatMessage *message = g_ptr_array_index (messages, i);
      CfsChatMessage *copy = cfs_chat_message_new (message->room_id, message->user_id, message->user_name,
                                                   message->text, message->client_msg_id, message->sent_at);

      copy->id = message->id;
      g_ptr_array_add (fixture->committed, copy);
    }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CfsUser) user = NULL;
  g_autoptr(CfsRoom) room = NULL;

  fixture->dir = g_dir_make_tmp ("confab-live-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "confab.db", NULL);

  fixture->store = cfs_store_open (path, &error);
  g_assert_no_error (error);
  user = cfs_store_create_user (fixture->store, "Ada, \"the first\"", "ada@example.org", "hash", NULL, FALSE, &error);
  g_assert_no_error (error);
  room = cfs_store_create_room (fixture->store, "Room", "", 10, FALSE, user->id, &error);
  g_assert_no_error (error);

  fixture->user_id = user->id;
  fixture->room_id = room->id;
  fixture->committed = g_ptr_array_new_with_free_func ((GDestroyNotify) cfs_chat_message_free);
  fixture->live = cfs_store_live_new (cfs_store_get_db (fixture->store), on_committed, fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&fixture->live);
  g_clear_object (&fixture->store);
  g_ptr_array_unref (fixture->committed);

  dir = g_dir_open (fixture->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (fixture->dir, name, NULL);

      g_remove (child);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static gboolean
is_committed (gpointer user_data)
{
  Fixture *fixture = user_data;

  return fixture->commits > 0;
}

static void
wait_for_commit (Fixture *fixture)
{
  gboolean timed_out = FALSE;

  /* The commit runs from an idle callback on the next main-loop turn. */
  while (!is_committed (fixture) && !timed_out)
    timed_out = !g_main_context_iteration (NULL, FALSE) && !is_committed (fixture);

  g_assert_true (is_committed (fixture));
}

static void
test_chat_group_commit (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) newest = NULL;
  g_autoptr(GPtrArray) older = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 120; i++)
    {
      g_autofree char *text = g_strdup_printf ("message %u", i);

      cfs_store_live_queue_chat (fixture->live,
                                 cfs_chat_message_new (fixture->room_id, fixture->user_id, "Ada",
                                                       text, NULL, 1767225600 + i));
    }

  /* Nothing is committed, so nothing is acknowledged, before the idle. */
  g_assert_cmpuint (fixture->commits, ==, 0);
  wait_for_commit (fixture);

  g_assert_cmpuint (fixture->commits, ==, 1);
  g_assert_cmpuint (fixture->committed->len, ==, 120);
  for (guint i = 1; i < fixture->committed->len; i++)
    g_assert_cmpint (((CfsChatMessage *) fixture->committed->pdata[i])->id, >,
                     ((CfsChatMessage *) fixture->committed->pdata[i - 1])->id);

  newest = cfs_store_live_list_chat (fixture->live, fixture->room_id, 0, 50, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (newest->len, ==, 50);
  g_assert_cmpstr (((CfsChatMessage *) newest->pdata[0])->text, ==, "message 70");
  g_assert_cmpstr (((CfsChatMessage *) newest->pdata[49])->text, ==, "message 119");
  g_assert_cmpstr (((CfsChatMessage *) newest->pdata[0])->user_name, ==, "Ada, \"the first\"");

  older = cfs_store_live_list_chat (fixture->live, fixture->room_id,
                                    ((CfsChatMessage *) newest->pdata[0])->id, 200, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (older->len, ==, 70);
  g_assert_cmpstr (((CfsChatMessage *) older->pdata[69])->text, ==, "message 69");
}

static void
test_chat_bad_room_alone (Fixture       *fixture,
                          gconstpointer  data)
{
  cfs_store_live_queue_chat (fixture->live,
                             cfs_chat_message_new (fixture->room_id, fixture->user_id, "Ada", "first", "a", 1));
  cfs_store_live_queue_chat (fixture->live,
                             cfs_chat_message_new (fixture->room_id + 100, fixture->user_id, "Ada", "lost", "b", 2));
  cfs_store_live_queue_chat (fixture->live,
                             cfs_chat_message_new (fixture->room_id, fixture->user_id, "Ada", "third", "c", 3));
  wait_for_commit (fixture);

  g_assert_cmpuint (fixture->committed->len, ==, 3);
  g_assert_cmpint (((CfsChatMessage *) fixture->committed->pdata[0])->id, >, 0);
  g_assert_cmpint (((CfsChatMessage *) fixture->committed->pdata[1])->id, ==, 0);
  g_assert_cmpint (((CfsChatMessage *) fixture->committed->pdata[2])->id, >, 0);
}

static void
test_notes_versions (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(CfsNotes) notes = { 0, };
  g_auto(CfsNotes) updated = { 0, };
  g_auto(CfsNotes) current = { 0, };
  g_autoptr(GError) error = NULL;

  g_assert_true (cfs_store_live_get_notes (fixture->live, fixture->room_id, &notes, &error));
  g_assert_cmpint (notes.version, ==, 0);
  g_assert_cmpstr (notes.text, ==, "");

  g_assert_true (cfs_store_live_update_notes (fixture->live, fixture->room_id, 0, "Agenda",
                                              fixture->user_id, 100, &updated, &error));
  g_assert_cmpint (updated.version, ==, 1);
  g_assert_cmpint (updated.updated_by, ==, fixture->user_id);

  g_assert_false (cfs_store_live_update_notes (fixture->live, fixture->room_id, 0, "Stale",
                                               fixture->user_id, 101, &current, &error));
  g_assert_error (error, CFS_STORE_LIVE_ERROR, CFS_STORE_LIVE_ERROR_CONFLICT);
  g_assert_cmpint (current.version, ==, 1);
  g_assert_cmpstr (current.text, ==, "Agenda");
}

static void
test_history_csv (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) meetings = NULL;
  g_autofree char *csv = NULL;
  gint64 meeting_id;
  gint64 attendance_id;
  CfsMeeting *meeting;

  meeting_id = cfs_store_live_start_meeting (fixture->live, fixture->room_id, 1767225600, &error);
  g_assert_no_error (error);
  attendance_id = cfs_store_live_start_attendance (fixture->live, meeting_id, fixture->user_id,
                                                   1767225600, &error);
  g_assert_no_error (error);
  g_assert_true (cfs_store_live_end_attendance (fixture->live, attendance_id, 1767229200, &error));
  g_assert_true (cfs_store_live_end_meeting (fixture->live, meeting_id, 1767229200, 1, &error));

  /* A second meeting left open by a crash is ended at the next start. */
  cfs_store_live_start_meeting (fixture->live, fixture->room_id, 1767300000, &error);
  g_assert_no_error (error);
  g_assert_true (cfs_store_live_end_all_meetings (fixture->live, 1767300060, &error));

  meetings = cfs_store_live_list_meetings (fixture->live, fixture->room_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (meetings->len, ==, 2);
  meeting = g_ptr_array_index (meetings, 0);
  g_assert_cmpint (meeting->ended_at, ==, 1767300060);
  meeting = g_ptr_array_index (meetings, 1);
  g_assert_cmpint (meeting->id, ==, meeting_id);
  g_assert_cmpuint (meeting->attendance->len, ==, 1);

  csv = cfs_store_live_format_history_csv (meetings);
  g_assert_true (g_str_has_prefix (csv, "meeting_id,started_at,ended_at,peak_participants,"
                                        "user_id,user_name,joined_at,left_at\r\n"));
  g_assert_nonnull (strstr (csv, ",2026-01-01T00:00:00Z,2026-01-01T01:00:00Z,1,"));
  g_assert_nonnull (strstr (csv, ",\"Ada, \"\"the first\"\"\",2026-01-01T00:00:00Z,2026-01-01T01:00:00Z\r\n"));
  g_assert_nonnull (strstr (csv, ",0,,,,\r\n"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/server/live-store/chat-group-commit", Fixture, NULL,
              fixture_set_up, test_chat_group_commit, fixture_tear_down);
  g_test_add ("/server/live-store/chat-bad-room-alone", Fixture, NULL,
              fixture_set_up, test_chat_bad_room_alone, fixture_tear_down);
  g_test_add ("/server/live-store/notes-versions", Fixture, NULL,
              fixture_set_up, test_notes_versions, fixture_tear_down);
  g_test_add ("/server/live-store/history-csv", Fixture, NULL,
              fixture_set_up, test_history_csv, fixture_tear_down);

  return g_test_run ();
}
