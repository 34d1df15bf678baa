import { createHash } from 'node:crypto';

/** A Lua script and its SHA1, for EVALSHA (then EVAL once if the server lost it). */
export interface RedisScript {
  readonly name: string;
  readonly source: string;
  readonly sha1: string;
}

function script(name: string, source: string): RedisScript {
  return { name, source, sha1: createHash('sha1').update(source).digest('hex') };
}

/** The index keys as a script names them (`KEYS[n]`): scripts number their keys differently. */
interface IndexKeyNames {
  updated: string;
  status: string;
  claims: string;
  summaries: string;
  expiry: string;
  /** Remove the claim entry even when the summary has no claim (sweeping stale entries trusts no invariant). */
  anyClaim?: boolean;
}

/**
 * The Lua function `unindex(id, replaced)`: takes a ticket out of every index (its summary
 * says where it is) and returns the summary it had; `replaced` keeps the summary for a new
 * one to overwrite. One source for the commit, delete and list scripts.
 */
function unindexFunction(keys: IndexKeyNames): string {
  return `local function unindex(id, replaced)
  local old = redis.call('HGET', ${keys.summaries}, id)
  if old then
    local summary = cjson.decode(old)
    local member = summary[4] .. ' ' .. id
    redis.call('ZREM', ${keys.updated}, member)
    redis.call('ZREM', ${keys.status}, summary[3] .. ' ' .. member)
    ${keys.anyClaim ? `redis.call('ZREM', ${keys.claims}, member)` : `if summary[5] ~= '' then redis.call('ZREM', ${keys.claims}, member) end`}
    if not replaced then redis.call('HDEL', ${keys.summaries}, id) end
  end
  redis.call('ZREM', ${keys.expiry}, id)
  return old
end`;
}

// Every ticket script takes the same keys:
// KEYS[1] document hash · KEYS[2] event list · KEYS[3] ix:updated · KEYS[4] ix:status
// KEYS[5] ix:claims · KEYS[6] ix:tickets (summaries) · KEYS[7] ix:expiry
// The index helpers: a summary is [version, status, encoded status, updatedAt, claim ISO or '', updatedAt ms];
// a ticket is in the claims index exactly when its summary has a claim. unindex(id, true) keeps
// the summary for index() to overwrite.
const INDEX_HELPERS = `
${unindexFunction({ updated: 'KEYS[3]', status: 'KEYS[4]', claims: 'KEYS[5]', summaries: 'KEYS[6]', expiry: 'KEYS[7]' })}
local function index(id, version, status, encodedStatus, updatedAt, claimIso, claimMs, updatedMs)
  local member = updatedAt .. ' ' .. id
  redis.call('ZADD', KEYS[3], 0, member)
  redis.call('ZADD', KEYS[4], 0, encodedStatus .. ' ' .. member)
  if claimMs ~= '' then redis.call('ZADD', KEYS[5], claimMs, member) end
  redis.call('HSET', KEYS[6], id, cjson.encode({version, status, encodedStatus, updatedAt, claimIso, updatedMs}))
end
local function serverMs()
  local now = redis.call('TIME')
  return tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
end
local function expire(id, ttl)
  if ttl > 0 then
    redis.call('PEXPIRE', KEYS[1], ttl)
    if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ttl) end
    redis.call('ZADD', KEYS[7], serverMs() + ttl, id)
  else
    redis.call('PERSIST', KEYS[1])
    redis.call('PERSIST', KEYS[2])
  end
end
local function append(seq, first)
  local batch = {}
  for index = first, #ARGV do
    seq = seq + 1
    batch[#batch + 1] = '{"seq":' .. string.format('%d', seq) .. ',' .. string.sub(ARGV[index], 2)
    if #batch == 1000 then
      redis.call('RPUSH', KEYS[2], unpack(batch))
      batch = {}
    end
  end
  if #batch > 0 then redis.call('RPUSH', KEYS[2], unpack(batch)) end
  return seq
end
`;

/**
 * The commit of one turn, atomically on the server: compare-and-set on the version and the
 * incarnation, write the document, append the events with gap-free seq, move the ticket's
 * index entries, apply the retention. A mismatch returns before the first write, and every
 * stored value is checked before the first write too, so a conflict or a corrupt ticket
 * writes nothing (Redis does not roll a script back).
 *
 * ARGV: 1 expected version ('' to create) · 2 document · 3 retention ms ('0': none) · 4 ticket
 * id · 5 incarnation · 6 status · 7 encoded status · 8 updatedAt · 9 claim ISO ('') · 10 claim
 * ms ('') · 11 updatedAt ms · 12… the events as JSON objects without seq.
 * Returns {1, new version} or {0, current version (0: no ticket)}.
 */
export const COMMIT_SCRIPT = script(
  'commit',
  `-- ticketflow commit v2.1
if redis.replicate_commands then redis.replicate_commands() end
${INDEX_HELPERS}
local stored = redis.call('HMGET', KEYS[1], 'version', 'seq', 'inc')
local current, last, incarnation = stored[1], stored[2], stored[3]
if current then
  if not string.match(current, '^[1-9]%d*$') then
    return redis.error_reply('TFCORRUPT the stored version is not a positive integer')
  end
  if last and not string.match(last, '^%d+$') then
    return redis.error_reply('TFCORRUPT the stored event seq is not an integer')
  end
  if ARGV[1] ~= current then return {0, tonumber(current)} end
  if incarnation and incarnation ~= ARGV[5] then return {0, tonumber(current)} end
elseif ARGV[1] ~= '' then
  return {0, 0}
else
  -- events left behind by a document that vanished must not leak into a new ticket
  redis.call('DEL', KEYS[2])
end
local version = string.format('%d', (tonumber(current) or 0) + 1)
local seq = append(tonumber(last) or 0, 12)
redis.call('HSET', KEYS[1], 'version', version, 'seq', string.format('%d', seq), 'document', ARGV[2], 'inc', ARGV[5])
unindex(ARGV[4], true)
index(ARGV[4], version, ARGV[6], ARGV[7], ARGV[8], ARGV[9], ARGV[10], ARGV[11])
expire(ARGV[4], tonumber(ARGV[3]))
return {1, tonumber(version)}
`,
);

/**
 * Deletes a ticket: its two keys and its index entries. In `purge` mode it first re-checks,
 * atomically, that the ticket is still older than the cutoff and not busy.
 * ARGV: 1 ticket id · 2 'delete' or 'purge' · 3 cutoff ms · 4… busy statuses.
 * Returns 1 when the ticket's document was deleted, else 0: index entries or events left
 * without their document (expired, evicted) are removed too, but there was no ticket to count.
 */
export const DELETE_SCRIPT = script(
  'delete',
  `-- ticketflow delete v2.1
${INDEX_HELPERS}
if ARGV[2] == 'purge' then
  local old = redis.call('HGET', KEYS[6], ARGV[1])
  if not old then return 0 end
  local summary = cjson.decode(old)
  if tonumber(summary[6]) >= tonumber(ARGV[3]) then return 0 end
  for index = 4, #ARGV do
    if summary[2] == ARGV[index] then return 0 end
  end
end
unindex(ARGV[1])
local removed = redis.call('UNLINK', KEYS[1])
redis.call('UNLINK', KEYS[2])
return removed
`,
);

/**
 * How much one call of {@link LIST_SCRIPT} may do beyond the page it returns: at most this
 * many index entries dropped (expired or gone tickets) and, in `claims` mode, members
 * examined. A script blocks the server while it runs, and an index may hold any number of
 * stale entries (keys evicted or deleted behind the store's back leave no expiry record), so
 * the script stops there and says where to go on; the driver calls it again. 1,000 drops take
 * a few milliseconds, and a page without stale entries still takes one call.
 */
export const LIST_SCRIPT_BUDGET = 1_000;

/**
 * Reads pages of the index with the tickets' summaries. An index entry is only as good as
 * its ticket: keys expire (retention, set by any store on the namespace) or get evicted, so
 * each member read is checked with `EXISTS` on its document key, and the entries of a ticket
 * that is gone are dropped instead of returned. First it drops entries whose recorded expiry
 * passed (server time), so expired tickets leave the index even where no list reads them.
 * Every drop spends one unit of the budget (ARGV 3, {@link LIST_SCRIPT_BUDGET}), and so does
 * every claim returned in `claims` mode; once it is spent, the next gone ticket (in `claims`
 * mode, the next claim) ends the call, left as it is, and the reply says where to go on.
 *
 * The document keys are built here from ARGV 1, not passed in KEYS: which members a range
 * holds is only known while the script runs. That is safe on Redis Cluster because the
 * prefix `tf:{<ns>}:t:` carries the namespace's hash tag, so every document key is in the
 * slot of the index keys in KEYS (a cluster checks only declared keys; undeclared ones of
 * another slot would fail with a cross-slot error, which the hash tag rules out).
 *
 * KEYS: 1 ix:updated · 2 ix:status · 3 ix:claims · 4 ix:tickets · 5 ix:expiry.
 * ARGV: 1 document key prefix (`tf:{<ns>}:t:`, the id follows percent-encoded) · 2 mode
 * ('updated', 'status', 'claims') · 3 budget · then for 'updated'/'status' triples (min, max,
 * wanted), one lexicographic range each, read until it yields `wanted` live tickets or ends;
 * for 'claims' the claim expiry (ms) to stay below, the last member returned ('' at first)
 * and its score, claims being read in (score, member) order.
 * Returns one group per range (claims: one): {resume 1, resume 2, ended ('1'/'0'), member,
 * summary (or nil), …} where resume is (min to go on from, live tickets still wanted) for a
 * range and (last member returned, its score) for claims — a member ends with ` <ticket id>`
 * after its (24-character) updatedAt.
 */
export const LIST_SCRIPT = script(
  'list',
  `-- ticketflow list v2.3
if redis.replicate_commands then redis.replicate_commands() end
local prefix, mode, budget = ARGV[1], ARGV[2], tonumber(ARGV[3])
${unindexFunction({ updated: 'KEYS[1]', status: 'KEYS[2]', claims: 'KEYS[3]', summaries: 'KEYS[4]', expiry: 'KEYS[5]', anyClaim: true })}
-- encodeKeyPart of ticket-keys.ts: every byte outside [A-Za-z0-9._-] as %XX
local function documentKey(id)
  return prefix .. (string.gsub(id, '[^A-Za-z0-9._%-]', function(byte) return string.format('%%%02X', string.byte(byte)) end))
end
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
if budget > 0 then
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', ms, 'LIMIT', 0, budget)) do
    unindex(id)
    budget = budget - 1
  end
end
-- Reads one member: appends it and its summary when its ticket exists ('live'), else drops its
-- entries while the budget lasts ('gone'; 'stop' once it is spent, and nothing is dropped).
local function read(key, member, id, group)
  if redis.call('EXISTS', documentKey(id)) == 1 then
    group[#group + 1] = member
    group[#group + 1] = redis.call('HGET', KEYS[4], id)
    return 'live'
  end
  if budget <= 0 then return 'stop' end
  unindex(id)
  redis.call('ZREM', key, member)
  budget = budget - 1
  return 'gone'
end
local out = {}
if mode == 'claims' then
  -- Every claim is read (the driver orders them), so live ones spend the budget too.
  local upper, after, afterScore = tonumber(ARGV[4]), ARGV[5], ARGV[6]
  local group, ended, stop = {'', '', '0'}, '0', false
  -- Go on after the last member returned; if it moved or went meanwhile, from the first of its
  -- score (the driver drops repeats).
  local rank = 0
  if after ~= '' then
    if redis.call('ZSCORE', KEYS[3], after) == afterScore then
      rank = redis.call('ZRANK', KEYS[3], after) + 1
    else
      rank = redis.call('ZCOUNT', KEYS[3], '-inf', '(' .. afterScore)
    end
  end
  while not stop do
    local batch = redis.call('ZRANGE', KEYS[3], rank, rank + 255, 'WITHSCORES')
    for index = 1, #batch, 2 do
      local member, score = batch[index], batch[index + 1]
      if tonumber(score) >= upper then ended = '1' end
      if ended == '1' or budget <= 0 then
        stop = true
        break
      end
      if read(KEYS[3], member, string.sub(member, 26), group) == 'live' then
        after, afterScore, rank, budget = member, score, rank + 1, budget - 1
      end
    end
    if not stop and #batch < 512 then ended, stop = '1', true end
  end
  group[1], group[2], group[3] = after, afterScore, ended
  out[1] = group
else
  local key = KEYS[1]
  if mode == 'status' then key = KEYS[2] end
  for index = 4, #ARGV, 3 do
    local min, max, wanted = ARGV[index], ARGV[index + 1], tonumber(ARGV[index + 2])
    local group, ended, stop = {'', '', '0'}, '0', false
    while wanted > 0 and not stop do
      local asked = wanted
      local members = redis.call('ZRANGEBYLEX', key, min, max, 'LIMIT', 0, asked)
      for _, member in ipairs(members) do
        local start = 26
        if mode == 'status' then start = string.find(member, ' ', 1, true) + 26 end
        local result = read(key, member, string.sub(member, start), group)
        if result == 'stop' then
          stop = true
          break
        end
        if result == 'live' then wanted = wanted - 1 end
        min = '(' .. member
      end
      if not stop and #members < asked then ended, stop = '1', true end
    end
    group[1], group[2], group[3] = min, string.format('%d', wanted), ended
    out[#out + 1] = group
  end
end
return out
`,
);

/**
 * Writes a ticket read from key layout 1 into layout 2, unless layout 2 already has it.
 * ARGV: 1 version · 2 seq · 3 document · 4 ticket id · 5 incarnation · 6 status · 7 encoded
 * status · 8 updatedAt · 9 claim ISO · 10 claim ms · 11 updatedAt ms · 12 remaining ms to live
 * ('-1': none) · 13… the stored events, as they are.
 * Returns 1 when written, 0 when layout 2 already had the ticket.
 */
export const UPGRADE_TICKET_SCRIPT = script(
  'upgrade-ticket',
  `-- ticketflow upgrade ticket v1 -> v2
if redis.replicate_commands then redis.replicate_commands() end
${INDEX_HELPERS}
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('DEL', KEYS[2])
for index = 13, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[index]) end
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'seq', ARGV[2], 'document', ARGV[3], 'inc', ARGV[5])
unindex(ARGV[4], true)
index(ARGV[4], ARGV[1], ARGV[6], ARGV[7], ARGV[8], ARGV[9], ARGV[10], ARGV[11])
local ttl = tonumber(ARGV[12])
if ttl > 0 then expire(ARGV[4], ttl) end
return 1
`,
);

/**
 * Reads a ticket of key layout 1 whole: version, seq, document, remaining ms to live, events.
 * KEYS: 1 document hash · 2 event list (one slot: layout 1 tagged each ticket).
 */
export const READ_LEGACY_TICKET_SCRIPT = script(
  'read-legacy-ticket',
  `-- ticketflow read ticket v1
local stored = redis.call('HMGET', KEYS[1], 'version', 'seq', 'document')
if not stored[1] then return false end
return {stored[1], stored[2] or '0', stored[3] or '', redis.call('PTTL', KEYS[1]), redis.call('LRANGE', KEYS[2], 0, -1)}
`,
);

/** Takes the upgrade lock: `SET key token NX PX ms`. KEYS: 1 lock, 2 meta. Returns 'done' when already upgraded. */
export const LOCK_UPGRADE_SCRIPT = script(
  'lock-upgrade',
  `-- ticketflow upgrade lock
if redis.call('HGET', KEYS[2], 'schema') == ARGV[3] then return 'done' end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 'locked' end
return 'busy'
`,
);

/** Records the layout and drops the lock. KEYS: 1 lock, 2 meta. ARGV: 1 token, 2 layout. */
export const FINISH_UPGRADE_SCRIPT = script(
  'finish-upgrade',
  `-- ticketflow upgrade done
redis.call('HSET', KEYS[2], 'schema', ARGV[2])
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`,
);

/** Removes the two keys of a layout 1 ticket (one slot). */
export const DROP_KEYS_SCRIPT = script('drop-keys', `-- ticketflow drop keys\nreturn redis.call('UNLINK', KEYS[1], KEYS[2])\n`);
