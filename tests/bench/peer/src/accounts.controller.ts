import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { AuthService } from './auth.service';

interface RegisterBody {
  name?: unknown;
  email?: unknown;
  password?: unknown;
}

@Controller('api/v1/auth')
export class AccountsController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  @HttpCode(201)
  async register(@Body() body: RegisterBody) {
    if (typeof body.name !== 'string' || typeof body.email !== 'string' || typeof body.password !== 'string') {
      throw new BadRequestException({ error: { code: 'invalid-field', message: 'name, email and password are required strings.' } });
    }
    return this.auth.register(body.name, body.email, body.password);
  }
}
