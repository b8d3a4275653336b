// SQLite through better-sqlite3, with the same journal settings as confab-server.
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import Database from 'better-sqlite3';

export interface User {
  id: number;
  name: string;
  email: string;
}

export interface Room {
  id: number;
  name: string;
  topic: string;
  capacity: number;
  owner_id: number;
  owner_name: string;
}

export interface StoredMessage {
  id: number;
  sentAt: number;
}

@Injectable()
export class DatabaseService implements OnModuleDestroy {
  private readonly db: Database.Database;
  private readonly insertUser: Database.Statement;
  private readonly insertSession: Database.Statement;
  private readonly selectSessionUser: Database.Statement;
  private readonly insertRoom: Database.Statement;
  private readonly selectRoom: Database.Statement;
  private readonly selectRooms: Database.Statement;
  private readonly insertMessage: Database.Statement;
  private readonly selectRecentMessages: Database.Statement;

  constructor() {
    this.db = new Database(process.env.PEER_DATABASE ?? ':memory:');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS users (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS sessions (
        token TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), expires_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS rooms (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL, topic TEXT NOT NULL, capacity INTEGER NOT NULL,
        owner_id INTEGER NOT NULL REFERENCES users(id));
      CREATE TABLE IF NOT EXISTS messages (
        id INTEGER PRIMARY KEY, room_id INTEGER NOT NULL REFERENCES rooms(id),
        user_id INTEGER NOT NULL REFERENCES users(id), text TEXT NOT NULL, sent_at INTEGER NOT NULL,
        client_msg_id TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS messages_room ON messages(room_id, id);
    `);

    this.insertUser = this.db.prepare('INSERT INTO users (name, email, password_hash) VALUES (?, ?, ?)');
    this.insertSession = this.db.prepare('INSERT INTO sessions (token, user_id, expires_at) VALUES (?, ?, ?)');
    this.selectSessionUser = this.db.prepare(
      'SELECT users.id, users.name, users.email FROM sessions JOIN users ON users.id = sessions.user_id ' +
        'WHERE sessions.token = ? AND sessions.expires_at > ?');
    this.insertRoom = this.db.prepare('INSERT INTO rooms (name, topic, capacity, owner_id) VALUES (?, ?, ?, ?)');
    this.selectRoom = this.db.prepare(
      'SELECT rooms.*, users.name AS owner_name FROM rooms JOIN users ON users.id = rooms.owner_id WHERE rooms.id = ?');
    this.selectRooms = this.db.prepare(
      'SELECT rooms.*, users.name AS owner_name FROM rooms JOIN users ON users.id = rooms.owner_id ORDER BY rooms.id');
    this.insertMessage = this.db.prepare(
      'INSERT INTO messages (room_id, user_id, text, sent_at, client_msg_id) VALUES (?, ?, ?, ?, ?)');
    this.selectRecentMessages = this.db.prepare(
      'SELECT messages.id, user_id AS userId, users.name, text, sent_at AS sentAt, client_msg_id AS clientMsgId ' +
        'FROM messages JOIN users ON users.id = messages.user_id WHERE room_id = ? ORDER BY messages.id DESC LIMIT 50');
  }

  onModuleDestroy(): void {
    this.db.close();
  }

  createUser(name: string, email: string, passwordHash: string): User {
    const result = this.insertUser.run(name, email, passwordHash);
    return { id: Number(result.lastInsertRowid), name, email };
  }

  createSession(token: string, userId: number, expiresAt: number): void {
    this.insertSession.run(token, userId, expiresAt);
  }

  findSessionUser(token: string): User | undefined {
    return this.selectSessionUser.get(token, Math.floor(Date.now() / 1000)) as User | undefined;
  }

  createRoom(name: string, topic: string, capacity: number, ownerId: number): Room {
    const result = this.insertRoom.run(name, topic, capacity, ownerId);
    return this.findRoom(Number(result.lastInsertRowid)) as Room;
  }

  findRoom(id: number): Room | undefined {
    return this.selectRoom.get(id) as Room | undefined;
  }

  listRooms(): Room[] {
    return this.selectRooms.all() as Room[];
  }

  // One transaction per message, committed before the caller acknowledges it.
  storeMessage(roomId: number, userId: number, text: string, clientMsgId: string): StoredMessage {
    const sentAt = Math.floor(Date.now() / 1000);
    const result = this.insertMessage.run(roomId, userId, text, sentAt, clientMsgId);
    return { id: Number(result.lastInsertRowid), sentAt };
  }

  recentMessages(roomId: number): unknown[] {
    return (this.selectRecentMessages.all(roomId) as unknown[]).reverse();
  }
}
