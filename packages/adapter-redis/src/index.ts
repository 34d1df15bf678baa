export { RedisTicketStore } from './redis-ticket-store.js';
export type {
  RedisClientLike,
  RedisTicketStoreClientOptions,
  RedisTicketStoreCommonOptions,
  RedisTicketStoreOptions,
  RedisTicketStoreUrlOptions,
} from './redis-ticket-store-options.js';
