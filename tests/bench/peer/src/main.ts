// Entry point: one NestJS application serving REST and socket.io on one port.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });

  app.useWebSocketAdapter(new IoAdapter(app));
  app.enableShutdownHooks();

  const port = Number(process.env.PEER_PORT ?? 0);
  await app.listen(port, '127.0.0.1');

  const address = app.getHttpServer().address();
  // The bench command reads this line to learn the port.
  console.log(`peer listening on http://127.0.0.1:${address.port}`);
}

void bootstrap();
