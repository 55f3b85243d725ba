import { Socket } from 'node:net';
import type { Connection } from 'rabbitmq-client';

/**
 * Runs `write` with the connection's socket corked, so that the frames of every message it
 * publishes leave in one write. rabbitmq-client corks and uncorks around each message, i.e. one
 * writev per message: for a batch of N events N system calls here and N reads in RabbitMQ.
 * The socket is a private field of the library; where a version moves it, writes go out
 * uncorked as before. While corked, the library's `ready` reads false (it takes a corked socket
 * for a blocked connection): nothing inside `write` may depend on it.
 */
export function withCorkedWrites<T>(amqp: Connection, write: () => T): T {
  const socket = (amqp as unknown as { _socket?: unknown })._socket;
  if (!(socket instanceof Socket)) return write();
  socket.cork();
  try {
    return write();
  } finally {
    socket.uncork();
  }
}
