/* confab-bench: load generator for confab-server and the socket.io peer.
 *
 * Sets up accounts and rooms over REST (not timed as load), then runs the
 * scenarios in order over loopback and writes "key value" result lines.
 * Every loop is bounded by a count and a deadline.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench-net.h"
#include "bench-stats.h"

#define ROOM_SIZE 10

typedef enum {
  ROLE_MEMBER,
  ROLE_WATCHER,
  ROLE_JOINER,
} Role;

typedef struct {
  char   *token;
  gint64  id;
} User;

typedef void (*TickFunc) (gint64 now);

static struct {
  /* Options. */
  BenchStack   stack;
  int          pid;
  guint16      port;
  int          n_users;
  int          n_connections;
  int          ramp_rate;
  char        *checkpoints;
  int          register_concurrency;
  int          steady_seconds;
  int          slow_seconds;
  int          storm_watchers;
  int          storm_joiners;
  int          step_seconds;
  int          max_steps;
  char        *scenarios;
  char        *perf_dir;
  FILE        *results;

  /* Setup. */
  User        *users;
  int          users_done;
  gint64      *ramp_rooms;
  gint64      *storm_rooms;
  int          rooms_done;
  gint64       max_room_id;
  int         *storm_index_by_room;   /* room id -> storm room index, or -1 */

  /* Connections. */
  GPtrArray   *members;
  GPtrArray   *watchers;
  GPtrArray   *joiners;

  /* What the handlers count. */
  BenchHistogram latency;         /* chat delivery, or the phase's own latency */
  BenchHistogram join_latency;    /* connect, upgrade, sign-in and roomState */
  gboolean     measure_chat;
  guint64      deliveries;
  guint64      hand_deliveries;
  guint64      acks;
  guint64      errors;
  guint64      joins_done;
  guint64      failed;
  guint64      closed;
  guint64      watcher_frames;
  gint64       last_delivery_at;
  guint        watchers_ready;
  guint        watchers_matched;
  GHashTable  *close_reasons;
  GHashTable  *error_codes;
} bench;

/* ---- results ---- */

static void G_GNUC_PRINTF (2, 3)
result (const char *key,
        const char *format,
        ...)
{
  va_list args;
  g_autofree char *value = NULL;

  va_start (args, format);
  value = g_strdup_vprintf (format, args);
  va_end (args);

  printf ("  %-44s %s\n", key, value);
  fflush (stdout);
  if (bench.results != NULL)
    {
      fprintf (bench.results, "%s %s\n", key, value);
      fflush (bench.results);
    }
}

static void
result_latency (const char           *prefix,
                const BenchHistogram *histogram)
{
  g_autofree char *p50 = g_strdup_printf ("%s.p50_ms", prefix);
  g_autofree char *p99 = g_strdup_printf ("%s.p99_ms", prefix);
  g_autofree char *p999 = g_strdup_printf ("%s.p999_ms", prefix);
  g_autofree char *count = g_strdup_printf ("%s.samples", prefix);

  result (count, "%" G_GUINT64_FORMAT, histogram->count);
  result (p50, "%.2f", bench_histogram_quantile (histogram, 0.50));
  result (p99, "%.2f", bench_histogram_quantile (histogram, 0.99));
  result (p999, "%.2f", bench_histogram_quantile (histogram, 0.999));
}

static BenchProcessSample
sample_server (void)
{
  BenchProcessSample sample = { 0 };
  BenchProcessSample generator = { 0 };

  /* The generator's own CPU time, read with every server reading, shows
   * whether a phase was limited by the generator rather than the server.
   */
  bench_process_sample (getpid (), &generator);
  if (!bench_process_sample (bench.pid, &sample))
    g_printerr ("bench: cannot read /proc/%d; is the server still running?\n", bench.pid);
  sample.generator_cpu_seconds = generator.cpu_seconds;

  return sample;
}

static void
result_server (const char               *prefix,
               const BenchProcessSample *before,
               const BenchProcessSample *after)
{
  g_autofree char *generator = g_strdup_printf ("%s.generator_cpu_cores", prefix);
  g_autofree char *cpu = g_strdup_printf ("%s.server_cpu_cores", prefix);
  g_autofree char *rss = g_strdup_printf ("%s.server_rss_mb", prefix);
  g_autofree char *pss = g_strdup_printf ("%s.server_pss_mb", prefix);

  result (cpu, "%.2f", bench_process_cpu_between (before, after));
  result (generator, "%.2f", (after->generator_cpu_seconds - before->generator_cpu_seconds) /
                             MAX ((after->taken_at_us - before->taken_at_us) / 1e6, 1e-3));
  result (rss, "%.1f", after->rss_kb / 1024.0);
  result (pss, "%.1f", after->pss_kb / 1024.0);
}

static void
count_reason (GHashTable *table,
              const char *reason)
{
  gpointer count = g_hash_table_lookup (table, reason);

  g_hash_table_replace (table, g_strdup (reason), GUINT_TO_POINTER (GPOINTER_TO_UINT (count) + 1));
}

static void
print_reasons (const char *what,
               GHashTable *table)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, &value))
    printf ("    %s: %s × %u\n", what, (const char *) key, GPOINTER_TO_UINT (value));
  g_hash_table_remove_all (table);
}

/* ---- the loop ---- */

static void
run_for (gint64   seconds_us,
         TickFunc tick)
{
  gint64 until = g_get_monotonic_time () + seconds_us;
  gint64 now;

  while ((now = g_get_monotonic_time ()) < until)
    {
      if (tick != NULL)
        tick (now);
      bench_net_iterate (1);
    }
}

static gboolean
run_until (gboolean (*condition) (void),
           gint64    timeout_us,
           TickFunc  tick)
{
  gint64 until = g_get_monotonic_time () + timeout_us;
  gint64 now;

  while (!condition ())
    {
      now = g_get_monotonic_time ();
      if (now >= until)
        return FALSE;
      if (tick != NULL)
        tick (now);
      bench_net_iterate (tick != NULL ? 1 : 10);
    }

  return TRUE;
}

/* ---- small JSON readers: the generator reads a few known fields ---- */

static gint64
find_int_after (const char *body,
                gsize       length,
                const char *key)
{
  const char *at = g_strstr_len (body, length, key);

  if (at == NULL)
    return -1;

  return g_ascii_strtoll (at + strlen (key), NULL, 10);
}

/* ---- connection handlers ---- */

static void
conn_ready (BenchConn *conn)
{
  char fields[64];

  switch (conn->role)
    {
    case ROLE_MEMBER:
      g_snprintf (fields, sizeof fields, "\"roomId\":%" G_GINT64_FORMAT, conn->room_id);
      bench_conn_send (conn, "joinRoom", fields);
      break;

    case ROLE_WATCHER:
      bench_conn_send (conn, "subscribeLobby", "");
      break;

    default:
      break;
    }
}

static void
record_chat_delivery (BenchConn  *conn,
                      const char *body,
                      gsize       length)
{
  static const char key[] = "\"clientMsgId\":\"b";
  const char *at;

  bench.deliveries++;
  bench.last_delivery_at = g_get_monotonic_time ();

  if (!bench.measure_chat || conn->paused)
    return;

  at = g_strstr_len (body, length, key);
  if (at != NULL)
    bench_histogram_record (&bench.latency,
                            bench.last_delivery_at - g_ascii_strtoll (at + sizeof key - 1, NULL, 10));
}

static void
track_room_update (BenchConn  *conn,
                   const char *body,
                   gsize       length)
{
  gint64 room_id = find_int_after (body, length, "\"room\":{\"id\":");
  gint64 participants = find_int_after (body, length, "\"participants\":");
  int index;
  gboolean was_full, is_full;

  bench.watcher_frames++;

  if (room_id <= 0 || room_id > bench.max_room_id || conn->watched_counts == NULL)
    return;

  index = bench.storm_index_by_room[room_id];
  if (index < 0)
    return;

  was_full = conn->watched_counts[index] == ROOM_SIZE;
  conn->watched_counts[index] = CLAMP (participants, 0, 255);
  is_full = conn->watched_counts[index] == ROOM_SIZE;

  if (is_full && !was_full)
    conn->watched_matched++;
  else if (was_full && !is_full)
    conn->watched_matched--;

  if (conn->watched_matched == (guint) bench.storm_joiners / ROOM_SIZE && conn->watched_done_at == 0)
    {
      conn->watched_done_at = g_get_monotonic_time ();
      bench.watchers_matched++;
    }
}

static void
record_error (const char *body,
              gsize       length)
{
  const char *code = g_strstr_len (body, length, "\"code\":\"");
  g_autofree char *name = NULL;

  bench.errors++;
  if (code != NULL)
    {
      const char *end = strchr (code + 8, '"');
      name = g_strndup (code + 8, end != NULL ? end - code - 8 : 0);
    }
  count_reason (bench.error_codes, name != NULL ? name : "(no code)");
}

static void
conn_message (BenchConn        *conn,
              BenchMessageKind  kind,
              const char       *body,
              gsize             length)
{
  switch (kind)
    {
    case BENCH_MSG_ROOM_STATE:
      if (!conn->joined)
        {
          conn->joined = TRUE;
          bench.joins_done++;
          bench_histogram_record (&bench.join_latency, g_get_monotonic_time () - conn->started_at);
        }
      break;

    case BENCH_MSG_CHAT_MESSAGE:
      record_chat_delivery (conn, body, length);
      break;

    case BENCH_MSG_CHAT_ACK:
      bench.acks++;
      break;

    case BENCH_MSG_HAND_RAISED:
      bench.hand_deliveries++;
      break;

    case BENCH_MSG_LOBBY:
      if (!conn->lobby_ready && g_strstr_len (body, length, "\"last\":true") != NULL)
        {
          conn->lobby_ready = TRUE;
          bench.watchers_ready++;
        }
      break;

    case BENCH_MSG_ROOM_UPDATED:
      if (conn->role == ROLE_WATCHER)
        track_room_update (conn, body, length);
      break;

    case BENCH_MSG_ERROR:
      record_error (body, length);
      break;

    default:
      break;
    }
}

static void
conn_closed (BenchConn  *conn,
             const char *reason)
{
  g_autofree char *detail = conn->close_code != 0
    ? g_strdup_printf ("%s (code %d)", reason, conn->close_code) : g_strdup (reason);

  if (conn->state == BENCH_CONN_FAILED)
    bench.failed++;
  else
    bench.closed++;

  count_reason (bench.close_reasons, detail);
}

static const BenchConnHandlers handlers = {
  .ready = conn_ready,
  .message = conn_message,
  .closed = conn_closed,
};

/* ---- setup: accounts and rooms over REST ---- */

static char *
find_string_after (const char *body,
                   const char *key)
{
  const char *at = strstr (body, key);
  const char *end;

  if (at == NULL)
    return NULL;

  at += strlen (key);
  end = strchr (at, '"');
  return end != NULL ? g_strndup (at, end - at) : NULL;
}

static void
registered_cb (int         status,
               const char *body,
               gsize       length,
               gint64      latency_us,
               gpointer    user_data)
{
  User *user = user_data;

  bench.users_done++;
  if (status != 201)
    {
      g_printerr ("bench: registering a user failed with status %d: %.200s\n", status, body);
      return;
    }

  user->token = find_string_after (body, "\"token\":\"");
  user->id = find_int_after (body, length, "\"user\":{\"id\":");
}

static void
room_created_cb (int         status,
                 const char *body,
                 gsize       length,
                 gint64      latency_us,
                 gpointer    user_data)
{
  gint64 *room_id = user_data;

  bench.rooms_done++;
  if (status != 201)
    {
      g_printerr ("bench: creating a room failed with status %d: %.200s\n", status, body);
      return;
    }

  *room_id = find_int_after (body, length, "\"id\":");
  bench.max_room_id = MAX (bench.max_room_id, *room_id);
}

static int setup_target;

static gboolean
users_registered (void)
{
  return bench.users_done >= setup_target;
}

static gboolean
rooms_created (void)
{
  return bench.rooms_done >= setup_target;
}

static void
set_up_accounts (void)
{
  BenchHttpPool *pool = bench_http_pool_new (bench.register_concurrency);
  gint64 started = g_get_monotonic_time ();
  guint64 run_id = (guint64) g_get_real_time ();

  printf ("setup: registering %d users over REST, %d at a time\n", bench.n_users, bench.register_concurrency);
  bench.users = g_new0 (User, bench.n_users);
  for (int i = 0; i < bench.n_users; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"name\":\"Bench User %d\",\"email\":\"bench-%" G_GUINT64_FORMAT
                                               "-%d@example.org\",\"password\":\"bench password %d\"}",
                                               i, run_id, i, i);
      bench_http_request (pool, "POST", "/api/v1/auth/register", NULL, body, g_get_monotonic_time (),
                          registered_cb, &bench.users[i]);
    }

  setup_target = bench.n_users;
  if (!run_until (users_registered, (gint64) 3600 * G_USEC_PER_SEC, NULL))
    g_error ("registering users timed out");

  for (int i = 0; i < bench.n_users; i++)
    if (bench.users[i].token == NULL)
      g_error ("user %d has no session token; see the errors above", i);

  result ("setup.users", "%d", bench.n_users);
  result ("setup.register_seconds", "%.1f", (g_get_monotonic_time () - started) / 1e6);
}

static void
set_up_rooms (void)
{
  BenchHttpPool *pool = bench_http_pool_new (4);
  int n_ramp = bench.n_connections / ROOM_SIZE;
  int n_storm = bench.storm_joiners / ROOM_SIZE;
  gint64 started = g_get_monotonic_time ();

  bench.ramp_rooms = g_new0 (gint64, n_ramp);
  bench.storm_rooms = g_new0 (gint64, n_storm);

  for (int i = 0; i < n_ramp + n_storm; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"name\":\"Bench room %d\",\"capacity\":%d}", i, ROOM_SIZE);
      gint64 *slot = i < n_ramp ? &bench.ramp_rooms[i] : &bench.storm_rooms[i - n_ramp];

      bench_http_request (pool, "POST", "/api/v1/rooms", bench.users[i % bench.n_users].token, body,
                          g_get_monotonic_time (), room_created_cb, slot);
    }

  setup_target = n_ramp + n_storm;
  if (!run_until (rooms_created, 600 * G_USEC_PER_SEC, NULL))
    g_error ("creating rooms timed out");

  bench.storm_index_by_room = g_new (int, bench.max_room_id + 1);
  for (gint64 id = 0; id <= bench.max_room_id; id++)
    bench.storm_index_by_room[id] = -1;
  for (int i = 0; i < n_storm; i++)
    if (bench.storm_rooms[i] > 0)
      bench.storm_index_by_room[bench.storm_rooms[i]] = i;

  result ("setup.rooms", "%d", n_ramp + n_storm);
  result ("setup.rooms_seconds", "%.1f", (g_get_monotonic_time () - started) / 1e6);
}

/* ---- ramp ---- */

static guint ramp_started;
static guint ramp_target;
static gint64 ramp_t0;

/* Member i sits in ramp room i / 10. Its user is chosen so that the ten
 * members of a room are ten different users, and each user sits in
 * n_connections / n_users different rooms.
 */
static guint
member_user (guint i)
{
  guint room = i / ROOM_SIZE;
  guint groups = MAX (1, bench.n_users / ROOM_SIZE);

  return ((room % groups) * ROOM_SIZE + i % ROOM_SIZE) % bench.n_users;
}

static void
ramp_tick (gint64 now)
{
  while (ramp_started < ramp_target &&
         now >= ramp_t0 + (gint64) ramp_started * G_USEC_PER_SEC / bench.ramp_rate)
    {
      BenchConn *conn = g_ptr_array_index (bench.members, ramp_started);

      bench_conn_start (conn);
      ramp_started++;
    }
}

static gboolean
ramp_settled (void)
{
  return ramp_started >= ramp_target && bench.joins_done + bench.failed + bench.errors >= ramp_target;
}

static void
run_ramp (void)
{
  g_auto(GStrv) checkpoints = g_strsplit (bench.checkpoints, ",", -1);
  BenchProcessSample baseline = sample_server ();
  BenchProcessSample before = baseline;

  printf ("ramp: connecting and joining at %d connections/s, rooms of %d\n", bench.ramp_rate, ROOM_SIZE);
  result ("ramp.baseline_rss_mb", "%.1f", baseline.rss_kb / 1024.0);
  result ("ramp.baseline_pss_mb", "%.1f", baseline.pss_kb / 1024.0);

  bench.members = g_ptr_array_new ();
  for (int i = 0; i < bench.n_connections; i++)
    {
      BenchConn *conn = bench_conn_new (i, bench.users[member_user (i)].token);

      conn->role = ROLE_MEMBER;
      conn->user = member_user (i);
      conn->room_id = bench.ramp_rooms[i / ROOM_SIZE];
      g_ptr_array_add (bench.members, conn);
    }

  for (guint c = 0; checkpoints[c] != NULL; c++)
    {
      BenchProcessSample after;
      g_autofree char *prefix = NULL;
      g_autofree char *key = NULL;
      guint joined;

      ramp_target = MIN ((guint) g_ascii_strtoull (checkpoints[c], NULL, 10), (guint) bench.n_connections);
      prefix = g_strdup_printf ("ramp.%u", ramp_target);
      bench_histogram_reset (&bench.join_latency);

      /* Restart the schedule here, so the pause at the last checkpoint does
       * not turn into a burst of overdue connections.
       */
      ramp_t0 = g_get_monotonic_time () - (gint64) ramp_started * G_USEC_PER_SEC / bench.ramp_rate;
      if (!run_until (ramp_settled, 60 * G_USEC_PER_SEC, ramp_tick))
        g_printerr ("bench: ramp to %u did not settle within 60 s\n", ramp_target);

      /* Let the server finish the work the joins queued before reading memory. */
      run_for (2 * G_USEC_PER_SEC, NULL);
      after = sample_server ();
      joined = bench.joins_done;

      key = g_strdup_printf ("%s.joined", prefix);
      result (key, "%u", joined);
      g_clear_pointer (&key, g_free);
      key = g_strdup_printf ("%s.failed", prefix);
      result (key, "%" G_GUINT64_FORMAT, bench.failed + bench.errors);
      g_clear_pointer (&key, g_free);
      key = g_strdup_printf ("%s.join", prefix);
      result_latency (key, &bench.join_latency);
      g_clear_pointer (&key, g_free);
      result_server (prefix, &before, &after);
      key = g_strdup_printf ("%s.rss_kb_per_connection", prefix);
      result (key, "%.2f", joined > 0 ? (double) (after.rss_kb - baseline.rss_kb) / joined : 0);
      g_clear_pointer (&key, g_free);
      key = g_strdup_printf ("%s.pss_kb_per_connection", prefix);
      result (key, "%.2f", joined > 0 ? (double) (after.pss_kb - baseline.pss_kb) / joined : 0);
      print_reasons ("closed", bench.close_reasons);
      print_reasons ("error", bench.error_codes);
      before = after;
    }
}

/* ---- chat: steady, slow consumer and saturation ---- */

static double chat_rate_per_member;
static double hand_rate_per_member;
static gint64 chat_t0;
static guint64 chat_sent;
static guint64 hands_sent;

static BenchConn *
next_member (guint64 n)
{
  return g_ptr_array_index (bench.members, n % bench.members->len);
}

static void
send_chat (BenchConn *conn,
           gint64     now)
{
  char fields[160];

  g_snprintf (fields, sizeof fields,
              "\"roomId\":%" G_GINT64_FORMAT ",\"text\":\"Bench message from the load generator\","
              "\"clientMsgId\":\"b%" G_GINT64_FORMAT "-%u\"", conn->room_id, now, conn->index);
  bench_conn_send (conn, "chat", fields);
}

static void
chat_tick (gint64 now)
{
  double elapsed = (now - chat_t0) / 1e6;
  guint64 chat_due = (guint64) (elapsed * chat_rate_per_member * bench.members->len);
  guint64 hands_due = (guint64) (elapsed * hand_rate_per_member * bench.members->len);

  /* Round robin over the members, so each sends at the same even rate and
   * stays under the server's per-connection limit.
   */
  while (chat_sent < chat_due)
    {
      BenchConn *conn = next_member (chat_sent);

      if (conn->joined && conn->state == BENCH_CONN_READY)
        send_chat (conn, now);
      chat_sent++;
    }

  while (hands_sent < hands_due)
    {
      BenchConn *conn = next_member (hands_sent * 7919);
      char fields[96];

      g_snprintf (fields, sizeof fields, "\"roomId\":%" G_GINT64_FORMAT ",\"raised\":%s",
                  conn->room_id, (hands_sent / bench.members->len) % 2 == 0 ? "true" : "false");
      if (conn->joined && conn->state == BENCH_CONN_READY)
        bench_conn_send (conn, "raiseHand", fields);
      hands_sent++;
    }
}

static void
start_chat (double per_member,
            double hands_per_member)
{
  chat_rate_per_member = per_member;
  hand_rate_per_member = hands_per_member;
  chat_t0 = g_get_monotonic_time ();
  chat_sent = 0;
  hands_sent = 0;
  bench.deliveries = 0;
  bench.hand_deliveries = 0;
  bench.acks = 0;
  bench.errors = 0;
  bench_histogram_reset (&bench.latency);
  bench.measure_chat = TRUE;
}

static guint
count_open_members (void)
{
  guint open = 0;

  for (guint i = 0; i < bench.members->len; i++)
    {
      BenchConn *conn = g_ptr_array_index (bench.members, i);
      open += conn->state == BENCH_CONN_READY && conn->joined;
    }

  return open;
}

/* Waits until no chat message arrived for 500 ms, or 10 s at most. */
static gboolean
deliveries_quiet (void)
{
  return g_get_monotonic_time () - bench.last_delivery_at > 500000;
}

static void
run_steady (void)
{
  BenchProcessSample before, after;
  gint64 started, elapsed;

  printf ("steady: 0.2 chat messages/s per connection and a hand raise per 50 s, %d s\n", bench.steady_seconds);
  before = sample_server ();
  start_chat (0.2, 0.02);
  started = g_get_monotonic_time ();
  run_for ((gint64) bench.steady_seconds * G_USEC_PER_SEC, chat_tick);
  after = sample_server ();
  bench.measure_chat = FALSE;
  elapsed = g_get_monotonic_time () - started;
  run_until (deliveries_quiet, 10 * G_USEC_PER_SEC, NULL);

  result ("steady.connections", "%u", count_open_members ());
  result ("steady.chat_sent", "%" G_GUINT64_FORMAT, chat_sent);
  result ("steady.chat_acked", "%" G_GUINT64_FORMAT, bench.acks);
  result ("steady.deliveries_per_second", "%.0f", bench.deliveries / (elapsed / 1e6));
  result ("steady.hand_deliveries", "%" G_GUINT64_FORMAT, bench.hand_deliveries);
  result ("steady.errors", "%" G_GUINT64_FORMAT, bench.errors);
  result_latency ("steady.broadcast", &bench.latency);
  result_server ("steady", &before, &after);
  print_reasons ("closed", bench.close_reasons);
  print_reasons ("error", bench.error_codes);
}

static gint64 slow_max_rss_kb;
static gint64 slow_max_pss_kb;
static gint64 slow_next_sample;

static void
slow_tick (gint64 now)
{
  chat_tick (now);

  if (now >= slow_next_sample)
    {
      BenchProcessSample sample = sample_server ();

      slow_max_rss_kb = MAX (slow_max_rss_kb, sample.rss_kb);
      slow_max_pss_kb = MAX (slow_max_pss_kb, sample.pss_kb);
      slow_next_sample = now + G_USEC_PER_SEC;
    }
}

static void
run_slow_consumer (void)
{
  BenchProcessSample before, after;
  guint paused = 0, dropped = 0;

  printf ("slow consumer: 1%% of connections stop reading for %d s while the steady chat runs\n",
          bench.slow_seconds);
  before = sample_server ();
  slow_max_rss_kb = before.rss_kb;
  slow_max_pss_kb = before.pss_kb;
  slow_next_sample = 0;

  for (guint i = 0; i < bench.members->len; i += 100)
    {
      bench_conn_set_paused (g_ptr_array_index (bench.members, i), TRUE);
      paused++;
    }

  start_chat (0.2, 0.02);
  run_for ((gint64) bench.slow_seconds * G_USEC_PER_SEC, slow_tick);
  after = sample_server ();
  bench.measure_chat = FALSE;

  for (guint i = 0; i < bench.members->len; i += 100)
    {
      BenchConn *conn = g_ptr_array_index (bench.members, i);

      dropped += conn->state != BENCH_CONN_READY;
      bench_conn_set_paused (conn, FALSE);
    }
  run_until (deliveries_quiet, 10 * G_USEC_PER_SEC, NULL);

  result ("slow.paused_connections", "%u", paused);
  result ("slow.paused_dropped_by_server", "%u", dropped);
  result_latency ("slow.others_broadcast", &bench.latency);
  result ("slow.server_rss_before_mb", "%.1f", before.rss_kb / 1024.0);
  result ("slow.server_rss_max_mb", "%.1f", slow_max_rss_kb / 1024.0);
  result ("slow.server_pss_max_mb", "%.1f", slow_max_pss_kb / 1024.0);
  result_server ("slow", &before, &after);
  print_reasons ("closed", bench.close_reasons);
  print_reasons ("error", bench.error_codes);
}

static void
run_saturation (void)
{
  static const double rates[] = { 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0 };
  gboolean crossed = FALSE;

  printf ("saturation: raising the chat rate per connection until broadcast p99 passes 100 ms\n");

  for (guint s = 0; s < G_N_ELEMENTS (rates) && s < (guint) bench.max_steps && !crossed; s++)
    {
      BenchProcessSample before = sample_server (), after;
      g_autofree char *prefix = g_strdup_printf ("saturation.step%u", s);
      g_autofree char *key = NULL;
      gint64 started = g_get_monotonic_time ();
      double seconds, p99;

      start_chat (rates[s], 0);
      run_for ((gint64) bench.step_seconds * G_USEC_PER_SEC, chat_tick);
      after = sample_server ();
      run_until (deliveries_quiet, 10 * G_USEC_PER_SEC, NULL);
      bench.measure_chat = FALSE;

      /* Deliveries over the time until the last one arrived, so that the
       * backlog drained after the step counts in its own time.
       */
      seconds = (MAX (bench.last_delivery_at, started + 1) - started) / 1e6;
      p99 = bench_histogram_quantile (&bench.latency, 0.99);
      crossed = p99 > 100;

      key = g_strdup_printf ("%s.rate_per_connection", prefix);
      result (key, "%.2f", rates[s]);
      g_clear_pointer (&key, g_free);
      key = g_strdup_printf ("%s.connections", prefix);
      result (key, "%u", count_open_members ());
      g_clear_pointer (&key, g_free);
      key = g_strdup_printf ("%s.chat_sent_per_second", prefix);
      result (key, "%.0f", chat_sent / (double) bench.step_seconds);
      g_clear_pointer (&key, g_free);
      key = g_strdup_printf ("%s.deliveries_per_second", prefix);
      result (key, "%.0f", bench.deliveries / seconds);
      g_clear_pointer (&key, g_free);
      key = g_strdup_printf ("%s.broadcast", prefix);
      result_latency (key, &bench.latency);
      g_clear_pointer (&key, g_free);
      result_server (prefix, &before, &after);
      print_reasons ("closed", bench.close_reasons);
      print_reasons ("error", bench.error_codes);

      if (crossed)
        {
          result ("saturation.crossed_at_step", "%u", s);
          result ("saturation.deliveries_per_second", "%.0f", bench.deliveries / seconds);
        }
    }

  if (!crossed)
    result ("saturation.crossed_at_step", "none");
}

/* ---- join storm ---- */

static guint storm_started;
static guint storm_joins_sent;
static gint64 storm_t0;
static gint64 storm_last_join_us;
static GPtrArray *storm_opening;
static int storm_open_rate = 400;

static void
open_tick (gint64 now)
{
  while (storm_started < storm_opening->len &&
         now >= storm_t0 + (gint64) storm_started * G_USEC_PER_SEC / storm_open_rate)
    bench_conn_start (g_ptr_array_index (storm_opening, storm_started++));
}

static gboolean
watchers_subscribed (void)
{
  guint settled = 0;

  if (storm_started < storm_opening->len)
    return FALSE;

  for (guint i = 0; i < storm_opening->len; i++)
    {
      BenchConn *conn = g_ptr_array_index (storm_opening, i);
      settled += conn->lobby_ready || conn->state >= BENCH_CONN_CLOSED;
    }

  return settled == storm_opening->len;
}

static gboolean
joiners_connected (void)
{
  guint settled = 0;

  if (storm_started < storm_opening->len)
    return FALSE;

  for (guint i = 0; i < storm_opening->len; i++)
    {
      BenchConn *conn = g_ptr_array_index (storm_opening, i);
      settled += conn->state >= BENCH_CONN_READY;
    }

  return settled == storm_opening->len;
}

static void
storm_tick (gint64 now)
{
  while (storm_joins_sent < bench.joiners->len &&
         now >= storm_t0 + (gint64) storm_joins_sent * G_USEC_PER_SEC / bench.joiners->len)
    {
      BenchConn *conn = g_ptr_array_index (bench.joiners, storm_joins_sent++);
      char fields[64];

      conn->started_at = now;
      storm_last_join_us = now - storm_t0;
      g_snprintf (fields, sizeof fields, "\"roomId\":%" G_GINT64_FORMAT, conn->room_id);
      bench_conn_send (conn, "joinRoom", fields);
    }
}

static gboolean
storm_converged (void)
{
  guint live = 0;

  for (guint i = 0; i < bench.watchers->len; i++)
    live += ((BenchConn *) g_ptr_array_index (bench.watchers, i))->lobby_ready;

  return storm_joins_sent == bench.joiners->len && bench.watchers_matched >= live;
}

static void
open_storm_group (GPtrArray    *group,
                  gboolean    (*settled) (void),
                  const char   *what)
{
  storm_opening = group;
  storm_started = 0;
  storm_t0 = g_get_monotonic_time ();

  if (!run_until (settled, 60 * G_USEC_PER_SEC, open_tick))
    g_printerr ("bench: not every %s settled within 60 s\n", what);
}

static void
run_storm (void)
{
  int n_rooms = bench.storm_joiners / ROOM_SIZE;
  BenchProcessSample before, after;
  guint64 failed_before, frames_before;
  BenchNetCounters *counters = bench_net_counters ();
  guint watchers_live = 0;

  printf ("join storm: %d lobby watchers, then %d joins within one second\n",
          bench.storm_watchers, bench.storm_joiners);

  bench.watchers = g_ptr_array_new ();
  bench.joiners = g_ptr_array_new ();
  for (int i = 0; i < bench.storm_watchers; i++)
    {
      BenchConn *conn = bench_conn_new (i, bench.users[i % bench.n_users].token);

      conn->role = ROLE_WATCHER;
      conn->watched_counts = g_new0 (guint8, n_rooms);
      g_ptr_array_add (bench.watchers, conn);
    }
  for (int i = 0; i < bench.storm_joiners; i++)
    {
      guint user = (guint) i % bench.n_users;
      BenchConn *conn = bench_conn_new (i, bench.users[user].token);

      conn->role = ROLE_JOINER;
      conn->user = user;
      conn->room_id = bench.storm_rooms[i / ROOM_SIZE];
      g_ptr_array_add (bench.joiners, conn);
    }

  failed_before = bench.failed;
  open_storm_group (bench.watchers, watchers_subscribed, "lobby watcher");
  open_storm_group (bench.joiners, joiners_connected, "joining connection");
  result ("storm.connections_failed_before_joins", "%" G_GUINT64_FORMAT, bench.failed - failed_before);
  print_reasons ("closed", bench.close_reasons);

  for (guint i = 0; i < bench.watchers->len; i++)
    watchers_live += ((BenchConn *) g_ptr_array_index (bench.watchers, i))->lobby_ready;

  /* Let lobby rounds from the subscriptions pass before the clock starts. */
  run_for (G_USEC_PER_SEC, NULL);
  bench.watcher_frames = 0;
  bench.watchers_matched = 0;
  bench.errors = 0;
  bench.joins_done = 0;
  bench_histogram_reset (&bench.latency);
  frames_before = counters->frames_in;
  failed_before = bench.failed + bench.closed;
  before = sample_server ();

  storm_joins_sent = 0;
  storm_t0 = g_get_monotonic_time ();
  if (!run_until (storm_converged, 30 * G_USEC_PER_SEC, storm_tick))
    g_printerr ("bench: lobby watchers did not all see the final counts within 30 s\n");
  after = sample_server ();

  for (guint i = 0; i < bench.watchers->len; i++)
    {
      BenchConn *conn = g_ptr_array_index (bench.watchers, i);

      if (conn->watched_done_at != 0)
        bench_histogram_record (&bench.latency, conn->watched_done_at - storm_t0);
    }

  result ("storm.watchers_subscribed", "%u", watchers_live);
  result ("storm.watchers_converged", "%u", bench.watchers_matched);
  result ("storm.joins_acknowledged", "%" G_GUINT64_FORMAT, bench.joins_done);
  result ("storm.join_errors", "%" G_GUINT64_FORMAT, bench.errors);
  result ("storm.connections_lost", "%" G_GUINT64_FORMAT, bench.failed + bench.closed - failed_before);
  result ("storm.converged_all_ms", "%.1f", bench.latency.max_us / 1000.0);
  result ("storm.converged_after_last_join_ms", "%.1f", (bench.latency.max_us - storm_last_join_us) / 1000.0);
  result_latency ("storm.converged", &bench.latency);
  result ("storm.watcher_frames", "%" G_GUINT64_FORMAT, bench.watcher_frames);
  result ("storm.watcher_frames_per_watcher", "%.1f",
          watchers_live > 0 ? (double) bench.watcher_frames / watchers_live : 0);
  result ("storm.frames_received_total", "%" G_GUINT64_FORMAT, counters->frames_in - frames_before);
  result_server ("storm", &before, &after);
  print_reasons ("closed", bench.close_reasons);
  print_reasons ("error", bench.error_codes);
}

/* ---- meeting tokens ---- */

static BenchHttpPool *token_pool;
static guint64 token_statuses[6];

static void
token_cb (int         status,
          const char *body,
          gsize       length,
          gint64      latency_us,
          gpointer    user_data)
{
  guint slot;

  /* Slots: 0 for 200, 1 to 4 for other 1xx to 4xx-and-above, 5 for no answer. */
  if (status == 200)
    slot = 0;
  else if (status < 0)
    slot = 5;
  else
    slot = MIN (status / 100, 4);

  bench_histogram_record (&bench.latency, latency_us);
  token_statuses[slot]++;
  if (status != 200 && token_statuses[1] + token_statuses[2] + token_statuses[3] + token_statuses[4] < 5)
    g_printerr ("bench: token request answered %d: %.200s\n", status, body);
}

static double token_rate;
static guint64 tokens_sent;
static gint64 token_t0;

static void
token_tick (gint64 now)
{
  while ((double) tokens_sent < (now - token_t0) / 1e6 * token_rate)
    {
      /* A seated member: the token endpoint requires a seat. */
      BenchConn *conn = next_member (tokens_sent * 7919);
      g_autofree char *path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/token", conn->room_id);
      gint64 scheduled = token_t0 + (gint64) (tokens_sent * 1e6 / token_rate);

      bench_http_request (token_pool, "POST", path, conn->token, NULL, scheduled, token_cb, NULL);
      tokens_sent++;
    }
}

static gboolean
tokens_answered (void)
{
  return bench_http_pool_pending (token_pool) == 0;
}

static void
run_tokens (void)
{
  static const int rates[] = { 100, 200, 400, 800, 1200, 1600, 2400, 3200, 4800, 6400 };
  gboolean crossed = FALSE;

  printf ("tokens: meeting-token requests at rising rates until p99 passes 10 ms\n");
  token_pool = bench_http_pool_new (32);

  for (guint s = 0; s < G_N_ELEMENTS (rates) && s < (guint) bench.max_steps && !crossed; s++)
    {
      BenchProcessSample before = sample_server (), after;
      g_autofree char *prefix = g_strdup_printf ("tokens.step%u", s);
      g_autofree char *key = NULL;
      gint64 started = g_get_monotonic_time ();
      double p99;

      memset (token_statuses, 0, sizeof token_statuses);
      bench_histogram_reset (&bench.latency);
      token_rate = rates[s];
      tokens_sent = 0;
      token_t0 = started;
      run_for ((gint64) bench.step_seconds * G_USEC_PER_SEC, token_tick);
      after = sample_server ();
      if (!run_until (tokens_answered, 30 * G_USEC_PER_SEC, NULL))
        g_printerr ("bench: token requests still unanswered 30 s after the step\n");

      p99 = bench_histogram_quantile (&bench.latency, 0.99);
      crossed = p99 > 10;

      key = g_strdup_printf ("%s.rate", prefix);
      result (key, "%d", rates[s]);
      g_clear_pointer (&key, g_free);
      key = g_strdup_printf ("%s.answered_per_second", prefix);
      result (key, "%.0f", bench.latency.count / ((g_get_monotonic_time () - started) / 1e6));
      g_clear_pointer (&key, g_free);
      key = g_strdup_printf ("%s.ok", prefix);
      result (key, "%" G_GUINT64_FORMAT, token_statuses[0]);
      g_clear_pointer (&key, g_free);
      key = g_strdup_printf ("%s.not_ok", prefix);
      result (key, "%" G_GUINT64_FORMAT,
              token_statuses[1] + token_statuses[2] + token_statuses[3] + token_statuses[4] + token_statuses[5]);
      g_clear_pointer (&key, g_free);
      result_latency (prefix, &bench.latency);
      result_server (prefix, &before, &after);

      if (crossed)
        result ("tokens.crossed_at_rate", "%d", rates[s]);
    }

  if (!crossed)
    result ("tokens.crossed_at_rate", "none");
}

static gboolean wants (const char *scenario);

/* ---- profiling ---- */

static GPid perf_pid;

/* Samples the server's stacks at 99 Hz during one scenario, into
 * PERF_DIR/SCENARIO.data, so that a missed target can be traced to code.
 */
static void
start_profile (const char *scenario)
{
  g_autofree char *output = NULL;
  g_autofree char *pid = NULL;
  g_autoptr(GError) error = NULL;

  if (bench.perf_dir == NULL)
    return;

  output = g_strdup_printf ("%s/%s.data", bench.perf_dir, scenario);
  pid = g_strdup_printf ("%d", bench.pid);
  {
    const char *argv[] = { "perf", "record", "-q", "-F", "99", "-p", pid, "-o", output, NULL };

    if (!g_spawn_async (NULL, (char **) argv, NULL,
                        G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
                        G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                        NULL, NULL, &perf_pid, &error))
      {
        g_printerr ("bench: cannot start perf: %s; continuing without a profile\n", error->message);
        perf_pid = 0;
      }
  }

  /* perf needs a moment to attach before the scenario's load starts. */
  run_for (G_USEC_PER_SEC / 2, NULL);
}

static void
stop_profile (void)
{
  if (perf_pid == 0)
    return;

  kill (perf_pid, SIGINT);
  waitpid (perf_pid, NULL, 0);
  g_spawn_close_pid (perf_pid);
  perf_pid = 0;
}

typedef void (*ScenarioFunc) (void);

static void
run_scenario (const char   *name,
              ScenarioFunc  scenario)
{
  if (!wants (name))
    return;

  start_profile (name);
  scenario ();
  stop_profile ();
}

/* ---- main ---- */

/* Other processes on the machine change every figure, so the result
 * records how busy the machine was: the 1- and 5-minute load averages.
 */
static void
record_load_average (void)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &contents, NULL, NULL))
    return;

  fields = g_strsplit (contents, " ", -1);
  if (g_strv_length (fields) >= 2)
    result ("setup.load_average", "%s %s", fields[0], fields[1]);
}

static gboolean
wants (const char *scenario)
{
  g_auto(GStrv) names = g_strsplit (bench.scenarios, ",", -1);

  return g_strv_contains ((const char * const *) names, scenario) ||
         g_strv_contains ((const char * const *) names, "all");
}

static void
raise_file_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
      getrlimit (RLIMIT_NOFILE, &limit);
      if (limit.rlim_cur < (rlim_t) (bench.n_connections + bench.storm_watchers + bench.storm_joiners + 100))
        g_printerr ("bench: the open-file limit is %lu, too low for %d connections; "
                    "raise it with ulimit -n\n", (unsigned long) limit.rlim_cur,
                    bench.n_connections + bench.storm_watchers + bench.storm_joiners);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *stack = NULL;
  g_autofree char *results_path = NULL;
  int port = 0;
  GOptionEntry entries[] = {
    { "stack", 0, 0, G_OPTION_ARG_STRING, &stack, "Server under test: confab or peer", "NAME" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Server port on 127.0.0.1", "PORT" },
    { "pid", 0, 0, G_OPTION_ARG_INT, &bench.pid, "Server process id, for CPU and memory readings", "PID" },
    { "users", 0, 0, G_OPTION_ARG_INT, &bench.n_users, "Accounts to register (default 500)", "N" },
    { "connections", 0, 0, G_OPTION_ARG_INT, &bench.n_connections, "Room members at the end of the ramp (default 10000)", "N" },
    { "checkpoints", 0, 0, G_OPTION_ARG_STRING, &bench.checkpoints, "Ramp checkpoints (default 1000,5000,10000)", "LIST" },
    { "ramp-rate", 0, 0, G_OPTION_ARG_INT, &bench.ramp_rate, "New connections per second in the ramp (default 500)", "N" },
    { "register-concurrency", 0, 0, G_OPTION_ARG_INT, &bench.register_concurrency, "Registrations in flight (default 2)", "N" },
    { "steady-seconds", 0, 0, G_OPTION_ARG_INT, &bench.steady_seconds, "Length of the steady phase (default 60)", "S" },
    { "slow-seconds", 0, 0, G_OPTION_ARG_INT, &bench.slow_seconds, "Pause of the slow consumers (default 30)", "S" },
    { "storm-watchers", 0, 0, G_OPTION_ARG_INT, &bench.storm_watchers, "Lobby watchers in the join storm (default 2000)", "N" },
    { "storm-joiners", 0, 0, G_OPTION_ARG_INT, &bench.storm_joiners, "Joins in the storm's second (default 2000)", "N" },
    { "step-seconds", 0, 0, G_OPTION_ARG_INT, &bench.step_seconds, "Length of each saturation and token step (default 5)", "S" },
    { "max-steps", 0, 0, G_OPTION_ARG_INT, &bench.max_steps, "Most saturation and token steps to run (default 10)", "N" },
    { "scenarios", 0, 0, G_OPTION_ARG_STRING, &bench.scenarios, "Comma-separated: ramp,steady,slow,storm,tokens,saturation or all", "LIST" },
    { "perf-dir", 0, 0, G_OPTION_ARG_FILENAME, &bench.perf_dir, "Profile the server with perf during each scenario, into this directory", "DIR" },
    { "results", 0, 0, G_OPTION_ARG_FILENAME, &results_path, "File for the \"key value\" result lines", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- load generator for confab-server and the socket.io peer");
  g_autoptr(GError) error = NULL;

  bench.n_users = 500;
  bench.n_connections = 10000;
  bench.checkpoints = g_strdup ("1000,5000,10000");
  bench.ramp_rate = 500;
  bench.register_concurrency = 2;
  bench.steady_seconds = 60;
  bench.slow_seconds = 30;
  bench.storm_watchers = 2000;
  bench.storm_joiners = 2000;
  bench.step_seconds = 5;
  bench.max_steps = 10;
  bench.scenarios = g_strdup ("all");

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("confab-bench: %s\n", error->message);
      return 2;
    }

  if (stack == NULL || (!g_str_equal (stack, "confab") && !g_str_equal (stack, "peer")) ||
      port <= 0 || port > 65535 || bench.pid <= 0)
    {
      g_printerr ("confab-bench: --stack confab|peer, --port and --pid are required\n");
      return 2;
    }
  if (bench.n_users < ROOM_SIZE || bench.n_connections % ROOM_SIZE != 0 || bench.storm_joiners % ROOM_SIZE != 0)
    {
      g_printerr ("confab-bench: --users must be at least %d, and --connections and --storm-joiners "
                  "multiples of %d\n", ROOM_SIZE, ROOM_SIZE);
      return 2;
    }

  bench.stack = g_str_equal (stack, "confab") ? BENCH_STACK_CONFAB : BENCH_STACK_PEER;
  bench.port = port;
  if (results_path != NULL && (bench.results = fopen (results_path, "w")) == NULL)
    {
      g_printerr ("confab-bench: cannot write %s: %s\n", results_path, g_strerror (errno));
      return 1;
    }

  raise_file_limit ();
  bench_histogram_init (&bench.latency);
  bench_histogram_init (&bench.join_latency);
  bench.close_reasons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  bench.error_codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  bench_net_init (bench.stack, bench.port, &handlers);

  printf ("confab-bench: %s on 127.0.0.1:%d (pid %d)\n", stack, port, bench.pid);
  record_load_average ();
  set_up_accounts ();
  set_up_rooms ();

  /* The ramp always runs: every later scenario needs its connections. */
  start_profile ("ramp");
  run_ramp ();
  stop_profile ();
  run_scenario ("steady", run_steady);
  run_scenario ("slow", run_slow_consumer);
  run_scenario ("storm", run_storm);
  run_scenario ("tokens", run_tokens);
  run_scenario ("saturation", run_saturation);

  if (bench.results != NULL)
    fclose (bench.results);

  return 0;
}
