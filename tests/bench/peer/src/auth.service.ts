// Accounts and bearer sessions. Passwords are hashed with scrypt from node:crypto.
import { Injectable, UnauthorizedException } from '@nestjs/common';
import { randomBytes, scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import { DatabaseService, User } from './database.service';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, length: number) => Promise<Buffer>;
const SESSION_TTL_SECONDS = 30 * 24 * 3600;

@Injectable()
export class AuthService {
  constructor(private readonly database: DatabaseService) {}

  async register(name: string, email: string, password: string): Promise<{ token: string; expires_at: number; user: User }> {
    const salt = randomBytes(16);
    const hash = await scryptAsync(password, salt, 32);
    const user = this.database.createUser(name, email, `${salt.toString('hex')}:${hash.toString('hex')}`);

    const token = randomBytes(32).toString('hex');
    const expiresAt = Math.floor(Date.now() / 1000) + SESSION_TTL_SECONDS;
    this.database.createSession(token, user.id, expiresAt);

    return { token, expires_at: expiresAt, user };
  }

  userForToken(token: string | undefined): User {
    const user = token ? this.database.findSessionUser(token) : undefined;
    if (!user) {
      throw new UnauthorizedException({ error: { code: 'unauthorized', message: 'Sign in first.' } });
    }
    return user;
  }

  userForAuthorization(header: string | undefined): User {
    const match = /^Bearer ([0-9a-f]{64})$/.exec(header ?? '');
    return this.userForToken(match?.[1]);
  }
}
