/* cfs-schema.h: the SQLite schema, one entry per version.
 *
 * Version n is reached by running entry n-1 on a database at version n-1;
 * PRAGMA user_version stores the version. Never edit a released entry: add a
 * new one that migrates forward.
 */
#pragma once

static const char * const cfs_schema_migrations[] = {
  /* Version 1. */
  "CREATE TABLE users ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  email TEXT NOT NULL,"
  "  email_key TEXT NOT NULL UNIQUE,"          /* casefolded email */
  "  password_hash TEXT NOT NULL,"
  "  avatar_url TEXT,"
  "  is_admin INTEGER NOT NULL DEFAULT 0,"
  "  disabled INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE sessions ("
  "  token_hash TEXT PRIMARY KEY,"             /* hex SHA-256 of the token */
  "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX sessions_user ON sessions(user_id);"
  "CREATE TABLE rooms ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  topic TEXT NOT NULL DEFAULT '',"
  "  capacity INTEGER NOT NULL,"
  "  jitsi_room TEXT NOT NULL UNIQUE,"
  "  owner_id INTEGER NOT NULL REFERENCES users(id),"
  "  created_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE room_moderators ("
  "  room_id INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,"
  "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
  "  granted_by INTEGER REFERENCES users(id),"
  "  granted_at INTEGER NOT NULL,"
  "  PRIMARY KEY (room_id, user_id)"
  ");"
  "CREATE TABLE room_bans ("
  "  room_id INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,"
  "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
  "  banned_by INTEGER REFERENCES users(id),"
  "  reason TEXT NOT NULL DEFAULT '',"
  "  created_at INTEGER NOT NULL,"
  "  until INTEGER,"                           /* NULL: until lifted */
  "  PRIMARY KEY (room_id, user_id)"
  ");"
  "CREATE TABLE chat_messages ("
  "  id INTEGER PRIMARY KEY,"
  "  room_id INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,"
  "  user_id INTEGER NOT NULL REFERENCES users(id),"
  "  text TEXT NOT NULL,"
  "  client_msg_id TEXT,"
  "  sent_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX chat_messages_room ON chat_messages(room_id, id);"
  "CREATE TABLE room_notes ("
  "  room_id INTEGER PRIMARY KEY REFERENCES rooms(id) ON DELETE CASCADE,"
  "  version INTEGER NOT NULL,"
  "  text TEXT NOT NULL,"
  "  updated_by INTEGER REFERENCES users(id),"
  "  updated_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE meetings ("
  "  id INTEGER PRIMARY KEY,"
  "  room_id INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,"
  "  started_at INTEGER NOT NULL,"
  "  ended_at INTEGER,"
  "  peak_participants INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX meetings_room ON meetings(room_id, id);"
  "CREATE TABLE attendance ("
  "  id INTEGER PRIMARY KEY,"
  "  meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,"
  "  user_id INTEGER NOT NULL REFERENCES users(id),"
  "  joined_at INTEGER NOT NULL,"
  "  left_at INTEGER"
  ");"
  "CREATE INDEX attendance_meeting ON attendance(meeting_id);",

  /* Version 2: private rooms, the access that invites grant, and invites.
   * Only the SHA-256 of an invite code is stored, as for session tokens.
   */
  "ALTER TABLE rooms ADD COLUMN private INTEGER NOT NULL DEFAULT 0;"
  "CREATE TABLE room_access ("
  "  room_id INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,"
  "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
  "  granted_by INTEGER REFERENCES users(id) ON DELETE SET NULL,"
  "  granted_at INTEGER NOT NULL,"
  "  PRIMARY KEY (room_id, user_id)"
  ");"
  "CREATE TABLE invites ("
  "  id INTEGER PRIMARY KEY,"
  "  room_id INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,"
  "  code_hash TEXT NOT NULL UNIQUE,"           /* hex SHA-256 of the code */
  "  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  max_uses INTEGER NOT NULL,"
  "  uses INTEGER NOT NULL DEFAULT 0,"
  "  email TEXT"                                 /* where it was sent, if by email */
  ");"
  "CREATE INDEX invites_room ON invites(room_id);",

  /* Version 3: room ids are never reused. SQLite hands the id of a deleted
   * newest room to the next one, so invite links, lobby rows and the Jitsi
   * room of a deleted room would name a new one. The highest id ever given
   * is kept here; a database that already reused an id cannot be repaired.
   */
  "CREATE TABLE room_id_high_water (last_id INTEGER NOT NULL);"
  "INSERT INTO room_id_high_water SELECT COALESCE(MAX(id), 0) FROM rooms;"
  "CREATE TRIGGER rooms_raise_high_water AFTER INSERT ON rooms BEGIN"
  "  UPDATE room_id_high_water SET last_id = MAX(last_id, NEW.id);"
  "END;",
};
