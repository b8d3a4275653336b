// Seats per room and per user: a user's sockets in one room share one seat,
// as in confab-server. Lobby count changes are collected and flushed in rounds.
import { Injectable } from '@nestjs/common';

export interface Seat {
  userId: number;
  name: string;
  handRaised: boolean;
  socketIds: Set<string>;
}

export interface LiveRoom {
  seats: Map<number, Seat>;
  seq: number;
}

@Injectable()
export class PresenceService {
  private readonly rooms = new Map<number, LiveRoom>();
  readonly changedRooms = new Set<number>();

  room(roomId: number): LiveRoom {
    let room = this.rooms.get(roomId);
    if (!room) {
      room = { seats: new Map(), seq: 0 };
      this.rooms.set(roomId, room);
    }
    return room;
  }

  count(roomId: number): number {
    return this.rooms.get(roomId)?.seats.size ?? 0;
  }

  isSeated(roomId: number, userId: number): boolean {
    return this.rooms.get(roomId)?.seats.has(userId) ?? false;
  }

  // Returns the new seat, the existing one, or null when the room is full.
  take(roomId: number, capacity: number, userId: number, name: string, socketId: string): { seat: Seat; isNew: boolean } | null {
    const room = this.room(roomId);
    const existing = room.seats.get(userId);
    if (existing) {
      existing.socketIds.add(socketId);
      return { seat: existing, isNew: false };
    }
    if (room.seats.size >= capacity) {
      return null;
    }
    const seat: Seat = { userId, name, handRaised: false, socketIds: new Set([socketId]) };
    room.seats.set(userId, seat);
    this.changedRooms.add(roomId);
    return { seat, isNew: true };
  }

  // Returns true when the user's last socket left, so the seat is free.
  release(roomId: number, userId: number, socketId: string): boolean {
    const room = this.rooms.get(roomId);
    const seat = room?.seats.get(userId);
    if (!room || !seat) {
      return false;
    }
    seat.socketIds.delete(socketId);
    if (seat.socketIds.size > 0) {
      return false;
    }
    room.seats.delete(userId);
    this.changedRooms.add(roomId);
    return true;
  }
}
