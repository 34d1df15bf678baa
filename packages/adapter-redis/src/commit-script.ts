import { createHash } from 'node:crypto';

/**
 * The commit of one turn, atomically on the server: compare-and-set on the version, write
 * the document, append the events with gap-free seq, apply the retention.
 *
 * A mismatch returns before the first write, so a conflict writes nothing. Every stored
 * value is checked before the first write too, so a corrupt ticket fails without a partial
 * update (Redis does not roll a script back).
 */
export const COMMIT_SCRIPT = `-- ticketflow commit v1
-- KEYS[1]  document hash: version, seq (last event seq), document (JSON)
-- KEYS[2]  event list: the event with seq n is element n - 1
-- ARGV[1]  expected version as a decimal string, '' to create
-- ARGV[2]  the document as JSON
-- ARGV[3]  retention in ms, '0' to keep the keys forever
-- ARGV[4…] the events as JSON objects without seq
-- returns  {1, new version} or {0, current version (0: no ticket)}
local stored = redis.call('HMGET', KEYS[1], 'version', 'seq')
local current, last = stored[1], stored[2]
if current then
  if not string.match(current, '^[1-9]%d*$') then
    return redis.error_reply('TFCORRUPT the stored version is not a positive integer')
  end
  if last and not string.match(last, '^%d+$') then
    return redis.error_reply('TFCORRUPT the stored event seq is not an integer')
  end
  if ARGV[1] ~= current then return {0, tonumber(current)} end
elseif ARGV[1] ~= '' then
  return {0, 0}
else
  -- events left behind by a document that vanished must not leak into a new ticket
  redis.call('DEL', KEYS[2])
end

local version = (tonumber(current) or 0) + 1
local seq = tonumber(last) or 0
local batch = {}
for index = 4, #ARGV do
  seq = seq + 1
  batch[#batch + 1] = '{"seq":' .. string.format('%d', seq) .. ',' .. string.sub(ARGV[index], 2)
  if #batch == 1000 then
    redis.call('RPUSH', KEYS[2], unpack(batch))
    batch = {}
  end
end
if #batch > 0 then redis.call('RPUSH', KEYS[2], unpack(batch)) end
redis.call('HSET', KEYS[1], 'version', string.format('%d', version), 'seq', string.format('%d', seq), 'document', ARGV[2])

if ARGV[3] ~= '0' then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  if seq > 0 then redis.call('PEXPIRE', KEYS[2], ARGV[3]) end
else
  redis.call('PERSIST', KEYS[1])
  if seq > 0 then redis.call('PERSIST', KEYS[2]) end
end
return {1, version}
`;

/** SHA1 of {@link COMMIT_SCRIPT}, for EVALSHA. */
export const COMMIT_SCRIPT_SHA1 = createHash('sha1').update(COMMIT_SCRIPT).digest('hex');
