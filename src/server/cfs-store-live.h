/* cfs-store-live.h: chat, notes and meeting history in SQLite. */
#pragma once

#include <glib-object.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define CFS_STORE_LIVE_ERROR (cfs_store_live_error_quark ())

typedef enum {
  CFS_STORE_LIVE_ERROR_FAILED,
  CFS_STORE_LIVE_ERROR_CONFLICT,
} CfsStoreLiveError;

typedef struct {
  gint64   id;              /* 0 until committed */
  gint64   room_id;
  gint64   user_id;
  char    *user_name;
  char    *text;
  char    *client_msg_id;   /* nullable */
  gint64   sent_at;
  guint64  origin;          /* chosen by the caller, passed back on commit */
} CfsChatMessage;

typedef struct {
  gint64  version;          /* 0: never written */
  char   *text;
  gint64  updated_by;       /* 0: never written */
  gint64  updated_at;
} CfsNotes;

typedef struct {
  gint64  user_id;
  char   *user_name;
  gint64  joined_at;
  gint64  left_at;          /* 0: still present */
} CfsAttendance;

typedef struct {
  gint64     id;
  gint64     started_at;
  gint64     ended_at;      /* 0: running */
  guint      peak_participants;
  GPtrArray *attendance;    /* of CfsAttendance, by joined_at */
} CfsMeeting;

CfsChatMessage *cfs_chat_message_new   (gint64          room_id,
                                        gint64          user_id,
                                        const char     *user_name,
                                        const char     *text,
                                        const char     *client_msg_id,
                                        gint64          sent_at);
void            cfs_chat_message_free  (CfsChatMessage *message);
void            cfs_notes_clear        (CfsNotes       *notes);
void            cfs_meeting_free       (CfsMeeting     *meeting);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfsChatMessage, cfs_chat_message_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CfsNotes, cfs_notes_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CfsMeeting, cfs_meeting_free)

/* Called after each group commit with every queued message: committed
 * ones have their id set, and the others keep id 0. @error is set when the
 * whole transaction failed.
 */
typedef void (*CfsChatCommittedFunc) (GPtrArray    *messages,
                                      const GError *error,
                                      gpointer      user_data);

#define CFS_TYPE_STORE_LIVE (cfs_store_live_get_type ())
G_DECLARE_FINAL_TYPE (CfsStoreLive, cfs_store_live, CFS, STORE_LIVE, GObject)

GQuark        cfs_store_live_error_quark        (void);

CfsStoreLive *cfs_store_live_new                (sqlite3               *db,
                                                 CfsChatCommittedFunc   committed_func,
                                                 gpointer               user_data);

/* Chat. */
void          cfs_store_live_queue_chat         (CfsStoreLive          *self,
                                                 CfsChatMessage        *message);
void          cfs_store_live_flush              (CfsStoreLive          *self);
GPtrArray    *cfs_store_live_list_chat          (CfsStoreLive          *self,
                                                 gint64                 room_id,
                                                 gint64                 before_id,
                                                 guint                  limit,
                                                 GError               **error);

/* Notes. */
gboolean      cfs_store_live_get_notes          (CfsStoreLive          *self,
                                                 gint64                 room_id,
                                                 CfsNotes              *notes_out,
                                                 GError               **error);
gboolean      cfs_store_live_update_notes       (CfsStoreLive          *self,
                                                 gint64                 room_id,
                                                 gint64                 base_version,
                                                 const char            *text,
                                                 gint64                 user_id,
                                                 gint64                 now,
                                                 CfsNotes              *notes_out,
                                                 GError               **error);

/* Meetings and attendance. */
gint64        cfs_store_live_start_meeting      (CfsStoreLive          *self,
                                                 gint64                 room_id,
                                                 gint64                 now,
                                                 GError               **error);
gboolean      cfs_store_live_end_meeting        (CfsStoreLive          *self,
                                                 gint64                 meeting_id,
                                                 gint64                 now,
                                                 guint                  peak_participants,
                                                 GError               **error);
gboolean      cfs_store_live_set_meeting_peak   (CfsStoreLive          *self,
                                                 gint64                 meeting_id,
                                                 guint                  peak_participants,
                                                 GError               **error);
gint64        cfs_store_live_start_attendance   (CfsStoreLive          *self,
                                                 gint64                 meeting_id,
                                                 gint64                 user_id,
                                                 gint64                 now,
                                                 GError               **error);
gboolean      cfs_store_live_end_attendance     (CfsStoreLive          *self,
                                                 gint64                 attendance_id,
                                                 gint64                 now,
                                                 GError               **error);
gboolean      cfs_store_live_end_all_meetings   (CfsStoreLive          *self,
                                                 gint64                 now,
                                                 GError               **error);
GPtrArray    *cfs_store_live_list_meetings      (CfsStoreLive          *self,
                                                 gint64                 room_id,
                                                 GError               **error);
char         *cfs_store_live_format_history_csv (GPtrArray             *meetings);

/* Sessions: the expiry (Unix time) of a session, 0 when it is unknown. */
gint64        cfs_store_live_get_session_expiry (CfsStoreLive          *self,
                                                 const char            *token_hash);

G_END_DECLS
