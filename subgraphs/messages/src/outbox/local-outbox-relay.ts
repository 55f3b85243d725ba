/**
 * The relay running in this process, as a writer of outbox rows sees it. A writer whose commit
 * this relay hears of directly skips the per-row NOTIFY: signalling the LISTEN connection cost
 * PostgreSQL a transaction of the listening backend per send, besides the commit-time work of
 * NOTIFY itself.
 */
export interface LocalOutboxRelay {
  /**
   * Whether committed() reaches a running relay. While false (relay disabled in this process,
   * not started yet, stopping) writers NOTIFY, so that a relay elsewhere drains their rows.
   */
  readonly takesLocalCommits: boolean;
  /**
   * The caller committed outbox rows without NOTIFY. The relay drains them, and if another
   * relay holds the drain lock it NOTIFYs that one in the writer's stead. False when the relay
   * stopped taking them while the caller's statement ran (stopping, failing): then the caller
   * must NOTIFY itself, or its rows would wait for a poll.
   */
  committed(): boolean;
}
