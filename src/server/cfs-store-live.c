/* cfs-store-live.c: chat, notes and meeting history in SQLite.
 *
 * A chat message is acknowledged only once it is committed, and a
 * transaction per message would limit chat to the rate of commits. So
 * messages are queued, and an idle source at default priority commits
 * everything queued during one main-loop turn in a single transaction (a
 * group commit). The owner acknowledges them from the committed callback.
 */
#define G_LOG_DOMAIN "confab-store"

#include "config.h"

#include <string.h>

#include "cfs-store-live.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

struct _CfsStoreLive
{
  GObject               parent_instance;

  sqlite3              *db;
  CfsChatCommittedFunc  committed_func;
  gpointer              committed_data;

  GPtrArray            *queue;          /* of CfsChatMessage */
  guint                 flush_source;
  sqlite3_stmt         *insert_chat;
};

G_DEFINE_FINAL_TYPE (CfsStoreLive, cfs_store_live, G_TYPE_OBJECT)

G_DEFINE_QUARK (cfs-store-live-error-quark, cfs_store_live_error)

static gboolean
set_sqlite_error (CfsStoreLive  *self,
                  const char    *what,
                  GError       **error)
{
  g_set_error (error, CFS_STORE_LIVE_ERROR, CFS_STORE_LIVE_ERROR_FAILED,
               "Failed to %s: %s", what, sqlite3_errmsg (self->db));
  return FALSE;
}

static sqlite3_stmt *
prepare (CfsStoreLive  *self,
         const char    *sql,
         GError       **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, "prepare SQL", error);
      return NULL;
    }

  return stmt;
}

static char *
dup_column_text (sqlite3_stmt *stmt,
                 int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static gboolean
exec_sql (CfsStoreLive  *self,
          const char    *sql,
          GError       **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_sqlite_error (self, sql, error);

  return TRUE;
}

static gboolean
insert_chat_message (CfsStoreLive    *self,
                     CfsChatMessage  *message,
                     GError         **error)
{
  sqlite3_stmt *stmt = self->insert_chat;

  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, message->room_id);
  sqlite3_bind_int64 (stmt, 2, message->user_id);
  sqlite3_bind_text (stmt, 3, message->text, -1, SQLITE_STATIC);
  if (message->client_msg_id != NULL)
    sqlite3_bind_text (stmt, 4, message->client_msg_id, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 4);
  sqlite3_bind_int64 (stmt, 5, message->sent_at);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_sqlite_error (self, "store a chat message", error);
      sqlite3_reset (stmt);
      return FALSE;
    }

  message->id = sqlite3_last_insert_rowid (self->db);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  return TRUE;
}

/* Inserts every message in one transaction. A message that breaks a
 * constraint, because its room was deleted meanwhile, keeps id 0 and the
 * others are still committed. Any other failure rolls back all of them.
 */
static gboolean
commit_queue (CfsStoreLive  *self,
              GPtrArray     *messages,
              GError       **error)
{
  if (!exec_sql (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  for (guint i = 0; i < messages->len; i++)
    {
      CfsChatMessage *message = g_ptr_array_index (messages, i);
      g_autoptr(GError) insert_error = NULL;

      if (insert_chat_message (self, message, &insert_error))
        continue;

      if ((sqlite3_extended_errcode (self->db) & 0xff) == SQLITE_CONSTRAINT)
        {
          g_message ("Dropped a chat message of user %" G_GINT64_FORMAT " to room %" G_GINT64_FORMAT
                     ": %s", message->user_id, message->room_id, insert_error->message);
          continue;
        }

      for (guint j = 0; j < messages->len; j++)
        ((CfsChatMessage *) g_ptr_array_index (messages, j))->id = 0;

      exec_sql (self, "ROLLBACK", NULL);
      g_propagate_error (error, g_steal_pointer (&insert_error));
      return FALSE;
    }

  if (!exec_sql (self, "COMMIT", error))
    {
      for (guint j = 0; j < messages->len; j++)
        ((CfsChatMessage *) g_ptr_array_index (messages, j))->id = 0;

      exec_sql (self, "ROLLBACK", NULL);
      return FALSE;
    }

  return TRUE;
}

static gboolean
flush_queue_cb (gpointer user_data)
{
  CfsStoreLive *self = user_data;

  self->flush_source = 0;
  cfs_store_live_flush (self);

  return G_SOURCE_REMOVE;
}

static void
cfs_store_live_finalize (GObject *object)
{
  CfsStoreLive *self = CFS_STORE_LIVE (object);

  g_clear_handle_id (&self->flush_source, g_source_remove);
  g_ptr_array_unref (self->queue);
  sqlite3_finalize (self->insert_chat);

  G_OBJECT_CLASS (cfs_store_live_parent_class)->finalize (object);
}

static void
cfs_store_live_class_init (CfsStoreLiveClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cfs_store_live_finalize;
}

static void
cfs_store_live_init (CfsStoreLive *self)
{
  self->queue = g_ptr_array_new_with_free_func ((GDestroyNotify) cfs_chat_message_free);
}

CfsChatMessage *
cfs_chat_message_new (gint64      room_id,
                      gint64      user_id,
                      const char *user_name,
                      const char *text,
                      const char *client_msg_id,
                      gint64      sent_at)
{
  CfsChatMessage *message = g_new0 (CfsChatMessage, 1);

  message->room_id = room_id;
  message->user_id = user_id;
  message->user_name = g_strdup (user_name);
  message->text = g_strdup (text);
  message->client_msg_id = g_strdup (client_msg_id);
  message->sent_at = sent_at;

  return message;
}

void
cfs_chat_message_free (CfsChatMessage *message)
{
  if (message == NULL)
    return;

  g_free (message->user_name);
  g_free (message->text);
  g_free (message->client_msg_id);
  g_free (message);
}

void
cfs_notes_clear (CfsNotes *notes)
{
  g_clear_pointer (&notes->text, g_free);
}

static void
cfs_attendance_free (CfsAttendance *attendance)
{
  g_free (attendance->user_name);
  g_free (attendance);
}

void
cfs_meeting_free (CfsMeeting *meeting)
{
  if (meeting == NULL)
    return;

  g_ptr_array_unref (meeting->attendance);
  g_free (meeting);
}

/**
 * cfs_store_live_new:
 * @db: the store's database, which must outlive the result
 * @committed_func: called after each group commit
 */
CfsStoreLive *
cfs_store_live_new (sqlite3              *db,
                    CfsChatCommittedFunc  committed_func,
                    gpointer              user_data)
{
  CfsStoreLive *self;

  g_return_val_if_fail (db != NULL, NULL);

  self = g_object_new (CFS_TYPE_STORE_LIVE, NULL);
  self->db = db;
  self->committed_func = committed_func;
  self->committed_data = user_data;

  /* Only fails on a schema without chat_messages, which a store that opened
   * cannot have.
   */
  self->insert_chat = prepare (self,
                               "INSERT INTO chat_messages (room_id, user_id, text, client_msg_id, sent_at) "
                               "VALUES (?, ?, ?, ?, ?)", NULL);
  g_assert (self->insert_chat != NULL);

  return self;
}

/**
 * cfs_store_live_queue_chat:
 * @message: (transfer full): a message without id
 *
 * Queues @message for the next group commit.
 */
void
cfs_store_live_queue_chat (CfsStoreLive   *self,
                           CfsChatMessage *message)
{
  g_return_if_fail (CFS_IS_STORE_LIVE (self));
  g_return_if_fail (message != NULL);

  g_ptr_array_add (self->queue, message);

  if (self->flush_source == 0)
    self->flush_source = g_idle_add_full (G_PRIORITY_DEFAULT, flush_queue_cb, self, NULL);
}

/**
 * cfs_store_live_flush:
 *
 * Commits the queued chat messages in one transaction now and calls the
 * committed function.
 */
void
cfs_store_live_flush (CfsStoreLive *self)
{
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CFS_IS_STORE_LIVE (self));

  g_clear_handle_id (&self->flush_source, g_source_remove);
  if (self->queue->len == 0)
    return;

  messages = g_steal_pointer (&self->queue);
  self->queue = g_ptr_array_new_with_free_func ((GDestroyNotify) cfs_chat_message_free);

  if (!commit_queue (self, messages, &error))
    {
      g_warning ("Failed to commit %u chat messages: %s", messages->len, error->message);
      self->committed_func (messages, error, self->committed_data);
      return;
    }

  g_debug ("Committed %u chat messages", messages->len);
  self->committed_func (messages, NULL, self->committed_data);
}

/**
 * cfs_store_live_list_chat:
 * @before_id: list messages older than this id, or 0 for the newest
 * @limit: the most messages to return
 *
 * Returns: (transfer container): the @limit newest messages of the room
 *   before @before_id, oldest first
 */
GPtrArray *
cfs_store_live_list_chat (CfsStoreLive  *self,
                          gint64         room_id,
                          gint64         before_id,
                          guint          limit,
                          GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) cfs_chat_message_free);
  int status;

  g_return_val_if_fail (CFS_IS_STORE_LIVE (self), NULL);

  stmt = prepare (self,
                  "SELECT c.id, c.user_id, u.name, c.text, c.client_msg_id, c.sent_at "
                  "FROM chat_messages c JOIN users u ON u.id = c.user_id "
                  "WHERE c.room_id = ? AND c.id < ? ORDER BY c.id DESC LIMIT ?", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, room_id);
  sqlite3_bind_int64 (stmt, 2, before_id > 0 ? before_id : G_MAXINT64);
  sqlite3_bind_int64 (stmt, 3, limit);

  while ((status = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CfsChatMessage *message = g_new0 (CfsChatMessage, 1);

      message->id = sqlite3_column_int64 (stmt, 0);
      message->room_id = room_id;
      message->user_id = sqlite3_column_int64 (stmt, 1);
      message->user_name = dup_column_text (stmt, 2);
      message->text = dup_column_text (stmt, 3);
      message->client_msg_id = dup_column_text (stmt, 4);
      message->sent_at = sqlite3_column_int64 (stmt, 5);
      g_ptr_array_add (messages, message);
    }

  if (status != SQLITE_DONE)
    {
      set_sqlite_error (self, "list chat messages", error);
      return NULL;
    }

  /* The query returns the newest first. */
  for (guint i = 0; i < messages->len / 2; i++)
    {
      gpointer swap = messages->pdata[i];

      messages->pdata[i] = messages->pdata[messages->len - 1 - i];
      messages->pdata[messages->len - 1 - i] = swap;
    }

  return g_steal_pointer (&messages);
}

gboolean
cfs_store_live_get_notes (CfsStoreLive  *self,
                          gint64         room_id,
                          CfsNotes      *notes_out,
                          GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int status;

  g_return_val_if_fail (CFS_IS_STORE_LIVE (self), FALSE);
  g_return_val_if_fail (notes_out != NULL, FALSE);

  stmt = prepare (self,
                  "SELECT version, text, updated_by, updated_at FROM room_notes WHERE room_id = ?",
                  error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, room_id);
  status = sqlite3_step (stmt);

  if (status == SQLITE_DONE)
    {
      *notes_out = (CfsNotes) { 0, g_strdup (""), 0, 0 };
      return TRUE;
    }

  if (status != SQLITE_ROW)
    return set_sqlite_error (self, "read notes", error);

  notes_out->version = sqlite3_column_int64 (stmt, 0);
  notes_out->text = dup_column_text (stmt, 1);
  notes_out->updated_by = sqlite3_column_int64 (stmt, 2);
  notes_out->updated_at = sqlite3_column_int64 (stmt, 3);

  return TRUE;
}

/**
 * cfs_store_live_update_notes:
 * @base_version: the version the client edited
 * @notes_out: (out): the notes after the update; with
 *   %CFS_STORE_LIVE_ERROR_CONFLICT, the current notes
 *
 * Replaces the notes when @base_version is the current version.
 */
gboolean
cfs_store_live_update_notes (CfsStoreLive  *self,
                             gint64         room_id,
                             gint64         base_version,
                             const char    *text,
                             gint64         user_id,
                             gint64         now,
                             CfsNotes      *notes_out,
                             GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CFS_IS_STORE_LIVE (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (!cfs_store_live_get_notes (self, room_id, notes_out, error))
    return FALSE;

  if (notes_out->version != base_version)
    {
      g_set_error (error, CFS_STORE_LIVE_ERROR, CFS_STORE_LIVE_ERROR_CONFLICT,
                   "The notes changed: they are at version %" G_GINT64_FORMAT
                   ", not %" G_GINT64_FORMAT ". Merge your edit into the current text and send it again.",
                   notes_out->version, base_version);
      return FALSE;
    }

  stmt = prepare (self,
                  "INSERT INTO room_notes (room_id, version, text, updated_by, updated_at) "
                  "VALUES (?1, ?2, ?3, ?4, ?5) "
                  "ON CONFLICT (room_id) DO UPDATE SET version = ?2, text = ?3, updated_by = ?4, updated_at = ?5",
                  error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, room_id);
  sqlite3_bind_int64 (stmt, 2, base_version + 1);
  sqlite3_bind_text (stmt, 3, text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, user_id);
  sqlite3_bind_int64 (stmt, 5, now);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sqlite_error (self, "store notes", error);

  cfs_notes_clear (notes_out);
  *notes_out = (CfsNotes) { base_version + 1, g_strdup (text), user_id, now };

  return TRUE;
}

gint64
cfs_store_live_start_meeting (CfsStoreLive  *self,
                              gint64         room_id,
                              gint64         now,
                              GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CFS_IS_STORE_LIVE (self), 0);

  stmt = prepare (self, "INSERT INTO meetings (room_id, started_at) VALUES (?, ?)", error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_int64 (stmt, 1, room_id);
  sqlite3_bind_int64 (stmt, 2, now);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_sqlite_error (self, "start a meeting", error);
      return 0;
    }

  return sqlite3_last_insert_rowid (self->db);
}

gboolean
cfs_store_live_end_meeting (CfsStoreLive  *self,
                            gint64         meeting_id,
                            gint64         now,
                            guint          peak_participants,
                            GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CFS_IS_STORE_LIVE (self), FALSE);

  stmt = prepare (self, "UPDATE meetings SET ended_at = ?, peak_participants = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, peak_participants);
  sqlite3_bind_int64 (stmt, 3, meeting_id);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sqlite_error (self, "end a meeting", error);

  return TRUE;
}

/* Records a new peak at once, so that the history of a running meeting,
 * and of one cut short by a crash, shows it.
 */
gboolean
cfs_store_live_set_meeting_peak (CfsStoreLive  *self,
                                 gint64         meeting_id,
                                 guint          peak_participants,
                                 GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CFS_IS_STORE_LIVE (self), FALSE);

  stmt = prepare (self, "UPDATE meetings SET peak_participants = ?2 WHERE id = ?1 AND peak_participants < ?2",
                  error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, meeting_id);
  sqlite3_bind_int64 (stmt, 2, peak_participants);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sqlite_error (self, "record a meeting's peak", error);

  return TRUE;
}

gint64
cfs_store_live_start_attendance (CfsStoreLive  *self,
                                 gint64         meeting_id,
                                 gint64         user_id,
                                 gint64         now,
                                 GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CFS_IS_STORE_LIVE (self), 0);

  stmt = prepare (self, "INSERT INTO attendance (meeting_id, user_id, joined_at) VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_int64 (stmt, 1, meeting_id);
  sqlite3_bind_int64 (stmt, 2, user_id);
  sqlite3_bind_int64 (stmt, 3, now);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_sqlite_error (self, "record attendance", error);
      return 0;
    }

  return sqlite3_last_insert_rowid (self->db);
}

gboolean
cfs_store_live_end_attendance (CfsStoreLive  *self,
                               gint64         attendance_id,
                               gint64         now,
                               GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CFS_IS_STORE_LIVE (self), FALSE);

  stmt = prepare (self, "UPDATE attendance SET left_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, attendance_id);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sqlite_error (self, "record a leave", error);

  return TRUE;
}

/**
 * cfs_store_live_end_all_meetings:
 *
 * Ends the meetings and attendances left open when the server last
 * stopped, at @now.
 *
 * NOTE: a server that crashed ends its meetings at the next start, so
 * their recorded end is late by the time the server was down.
 */
gboolean
cfs_store_live_end_all_meetings (CfsStoreLive  *self,
                                 gint64         now,
                                 GError       **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (CFS_IS_STORE_LIVE (self), FALSE);

  sql = g_strdup_printf ("UPDATE attendance SET left_at = %" G_GINT64_FORMAT " WHERE left_at IS NULL;"
                         "UPDATE meetings SET ended_at = %" G_GINT64_FORMAT " WHERE ended_at IS NULL;",
                         now, now);

  return exec_sql (self, sql, error);
}

/**
 * cfs_store_live_list_meetings:
 *
 * Returns: (transfer container): the room's meetings, newest first, each
 *   with its attendance
 */
GPtrArray *
cfs_store_live_list_meetings (CfsStoreLive  *self,
                              gint64         room_id,
                              GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) meetings = g_ptr_array_new_with_free_func ((GDestroyNotify) cfs_meeting_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  int status;

  g_return_val_if_fail (CFS_IS_STORE_LIVE (self), NULL);

  stmt = prepare (self,
                  "SELECT id, started_at, ended_at, peak_participants FROM meetings "
                  "WHERE room_id = ? ORDER BY id DESC", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, room_id);
  while ((status = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CfsMeeting *meeting = g_new0 (CfsMeeting, 1);

      meeting->id = sqlite3_column_int64 (stmt, 0);
      meeting->started_at = sqlite3_column_int64 (stmt, 1);
      meeting->ended_at = sqlite3_column_int64 (stmt, 2);
      meeting->peak_participants = sqlite3_column_int (stmt, 3);
      meeting->attendance = g_ptr_array_new_with_free_func ((GDestroyNotify) cfs_attendance_free);
      g_ptr_array_add (meetings, meeting);
      g_hash_table_insert (by_id, &meeting->id, meeting);
    }

  if (status != SQLITE_DONE)
    {
      set_sqlite_error (self, "list meetings", error);
      return NULL;
    }

  g_clear_pointer (&stmt, sqlite3_finalize);
  stmt = prepare (self,
                  "SELECT a.meeting_id, a.user_id, u.name, a.joined_at, a.left_at "
                  "FROM attendance a JOIN meetings m ON m.id = a.meeting_id "
                  "JOIN users u ON u.id = a.user_id "
                  "WHERE m.room_id = ? ORDER BY a.joined_at, a.id", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, room_id);
  while ((status = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 meeting_id = sqlite3_column_int64 (stmt, 0);
      CfsMeeting *meeting = g_hash_table_lookup (by_id, &meeting_id);
      CfsAttendance *attendance;

      if (meeting == NULL)
        continue;

      attendance = g_new0 (CfsAttendance, 1);
      attendance->user_id = sqlite3_column_int64 (stmt, 1);
      attendance->user_name = dup_column_text (stmt, 2);
      attendance->joined_at = sqlite3_column_int64 (stmt, 3);
      attendance->left_at = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (meeting->attendance, attendance);
    }

  if (status != SQLITE_DONE)
    {
      set_sqlite_error (self, "list attendance", error);
      return NULL;
    }

  return g_steal_pointer (&meetings);
}

static void
append_csv_time (GString *out,
                 gint64   unix_time)
{
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *text = NULL;

  if (unix_time == 0)
    return;

  time = g_date_time_new_from_unix_utc (unix_time);
  text = g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
  g_string_append (out, text);
}

/* Quotes a field as RFC 4180 specifies. A leading =, +, - or @ would make
 * a spreadsheet run the name as a formula, so such a name gets a leading
 * apostrophe.
 */
static void
append_csv_text (GString    *out,
                 const char *text)
{
  g_string_append_c (out, '"');
  if (strchr ("=+-@", text[0]) != NULL && text[0] != '\0')
    g_string_append_c (out, '\'');

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }

  g_string_append_c (out, '"');
}

/**
 * cfs_store_live_format_history_csv:
 * @meetings: (element-type CfsMeeting): from cfs_store_live_list_meetings()
 *
 * Formats one row per attendance, with times in ISO 8601 UTC. A meeting
 * without attendance gets one row with empty attendance columns.
 */
char *
cfs_store_live_format_history_csv (GPtrArray *meetings)
{
  GString *out = g_string_new ("meeting_id,started_at,ended_at,peak_participants,"
                               "user_id,user_name,joined_at,left_at\r\n");

  for (guint i = 0; i < meetings->len; i++)
    {
      CfsMeeting *meeting = g_ptr_array_index (meetings, i);
      guint rows = MAX (meeting->attendance->len, 1);

      for (guint j = 0; j < rows; j++)
        {
          CfsAttendance *attendance = j < meeting->attendance->len
                                      ? g_ptr_array_index (meeting->attendance, j) : NULL;

          g_string_append_printf (out, "%" G_GINT64_FORMAT ",", meeting->id);
          append_csv_time (out, meeting->started_at);
          g_string_append_c (out, ',');
          append_csv_time (out, meeting->ended_at);
          g_string_append_printf (out, ",%u,", meeting->peak_participants);

          if (attendance != NULL)
            {
              g_string_append_printf (out, "%" G_GINT64_FORMAT ",", attendance->user_id);
              append_csv_text (out, attendance->user_name);
              g_string_append_c (out, ',');
              append_csv_time (out, attendance->joined_at);
              g_string_append_c (out, ',');
              append_csv_time (out, attendance->left_at);
            }
          else
            {
              g_string_append (out, ",,,");
            }

          g_string_append (out, "\r\n");
        }
    }

  return g_string_free (out, FALSE);
}

gint64
cfs_store_live_get_session_expiry (CfsStoreLive *self,
                                   const char   *token_hash)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (CFS_IS_STORE_LIVE (self), 0);
  g_return_val_if_fail (token_hash != NULL, 0);

  stmt = prepare (self, "SELECT expires_at FROM sessions WHERE token_hash = ?", &error);
  if (stmt == NULL)
    {
      g_warning ("%s", error->message);
      return 0;
    }

  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;

  return sqlite3_column_int64 (stmt, 0);
}
